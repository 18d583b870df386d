"""A pooled connection to a database server is tested before use only when it has sat idle for a while.

A server can drop a connection that sat idle: a restart, a failover, a firewall's idle timeout. SQLAlchemy's
`pool_pre_ping` tests every connection each time it leaves the pool, which on PostgreSQL is one more round
trip on every request (on a two-core machine, a page of 2 statements paid for 3). Here a connection is tested
only when it was last given back more than DATABASE_PING_AFTER_IDLE_SECONDS ago (default 10); a dead one is
thrown away and the pool hands out a fresh one, so the page is served as usual. A connection used a moment
ago is almost surely alive; if the server went away in that moment, the request fails once and the pool
throws away every connection of that engine, as it does whenever a connection is found broken. An SQLite
file has no connection to lose, so nothing is tested there.
"""

import time
from functools import partial

from flask import Flask
from sqlalchemy import Dialect, Engine, event
from sqlalchemy.exc import DisconnectionError

from champions.extensions import db

IDLE_SECONDS = 10


def ping_after_idle(engine: Engine, seconds: float = IDLE_SECONDS) -> None:
    """Test this engine's connections as they leave the pool, when they sat idle more than `seconds`."""
    if engine.dialect.name == "sqlite":
        return
    event.listen(engine, "checkin", _given_back)
    event.listen(engine, "checkout", partial(_test_if_idle, engine.dialect, seconds))


def _given_back(dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _test_if_idle(dialect: Dialect, seconds: float, dbapi_connection, record, proxy) -> None:
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < seconds:
        return  # just made, or used a moment ago
    try:
        # The dialect's own ping, as pool_pre_ping sends it: with psycopg it pings in autocommit, so the
        # connection is not left in a transaction begun before the request's first statement.
        dialect.do_ping(dbapi_connection)
    except Exception as error:  # any failure here: the pool throws this one away and makes another
        raise DisconnectionError("the pooled connection was dropped while idle") from error


def init_app(app: Flask) -> None:
    with app.app_context():
        ping_after_idle(db.engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
