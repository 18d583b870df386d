"""A pooled PostgreSQL connection is tested only after sitting idle, and a dropped one is replaced unseen.

The server really drops the connection here (pg_terminate_backend), as a restart or a firewall would.
"""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from champions.connection_checks import ping_after_idle
from champions.extensions import db


@pytest.fixture
def server_url(app):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("an SQLite file has no connection to lose (PostgreSQL runs this under CI)")
    return db.engine.url


def _engine(url, seconds: float):
    engine = create_engine(url, pool_size=1, max_overflow=0)
    ping_after_idle(engine, seconds)
    return engine


def _pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _drop(pid: int) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()


def test_a_connection_dropped_while_idle_is_replaced_before_use(server_url):
    engine = _engine(server_url, seconds=0)
    try:
        dropped = _pid(engine)
        _drop(dropped)
        assert _pid(engine) != dropped  # tested on its way out of the pool, and a fresh one made
    finally:
        engine.dispose()


def test_a_connection_used_a_moment_ago_is_not_tested_and_a_broken_one_fails_once(server_url):
    engine = _engine(server_url, seconds=3600)
    try:
        dropped = _pid(engine)
        _drop(dropped)
        with pytest.raises(DBAPIError) as raised:
            _pid(engine)  # no round trip to test it first: the page's own statement finds it gone
        assert raised.value.connection_invalidated
        assert _pid(engine) != dropped  # and the pool has thrown it away
    finally:
        engine.dispose()


def test_the_portal_tests_idle_connections_and_not_busy_ones(app):
    assert app.config["DATABASE_PING_AFTER_IDLE_SECONDS"] == 10
    assert "pool_pre_ping" not in app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})


def test_the_ping_leaves_no_transaction_open(server_url):
    """The request's transaction begins with its own first statement, not with the ping before it."""
    from psycopg.pq import TransactionStatus

    engine = _engine(server_url, seconds=0)
    try:
        _pid(engine)  # made, used and given back: the next checkout pings it
        with engine.connect() as conn:
            assert conn.connection.dbapi_connection.info.transaction_status == TransactionStatus.IDLE
    finally:
        engine.dispose()
