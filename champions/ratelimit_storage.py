"""A rate-limit store kept in the app's own database, so every worker shares it.

Flask-Limiter keeps its counters in memory by default, which each gunicorn worker
would hold separately. This store uses one small table instead, so the limits hold
across workers and servers with no extra service. Set RATELIMIT_STORAGE_URI to a
redis:// address to use Redis instead.

The counters have a connection pool of their own. A request holds a connection from the app's pool
from the moment it loads the signed-in user; had counting taken a second one from that same pool, a
threaded server with as many requests as the pool holds would have every request waiting for a
connection none could give back (each waited the pool's 30 seconds, then failed).
"""

import hashlib
import random
import threading
import time

from flask import current_app
from limits.storage import Storage
from sqlalchemy import Column, Engine, Float, Integer, String, Table, create_engine, delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from champions import connection_checks, sqlite_tuning
from champions.extensions import db

PRUNE_CHANCE = 0.01
KEY_LENGTH = 255

rate_limit_counters = Table(
    "rate_limit_counters",
    db.metadata,
    Column("key", String(KEY_LENGTH), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),
)


# One small pool per database per process: a count holds its connection for a moment and waits on nothing
# but the database, so a few connections serve many threads.
COUNTER_POOL = {"pool_size": 2, "max_overflow": 6}
_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def counter_engine(app_engine: Engine, ping_after_idle: float = connection_checks.IDLE_SECONDS) -> Engine:
    """The engine the counters use: a pool of its own on the app's database (in memory, the app's own)."""
    if app_engine.dialect.name == "sqlite" and app_engine.url.database in (None, "", ":memory:"):
        return app_engine
    url = app_engine.url.render_as_string(hide_password=False)
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = create_engine(app_engine.url, **COUNTER_POOL)
            sqlite_tuning.tune(engine)
            connection_checks.ping_after_idle(engine, ping_after_idle)
        return engine


def _short(key: str) -> str:
    """Keep a key within the column: a long one is replaced by its digest."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


class DatabaseStorage(Storage):
    """Fixed-window counters in the rate_limit_counters table."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def _engine(self) -> Engine:
        return counter_engine(db.engine, current_app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        key = _short(key)
        now = time.time()
        table = rate_limit_counters
        with self._engine().begin() as conn:
            # Drop this key's old window, and now and then every expired row, so the table stays small.
            stale = table.c.expires_at <= now
            conn.execute(
                delete(table).where(stale if random.random() < PRUNE_CHANCE else stale & (table.c.key == key))
            )
            changed = conn.execute(
                update(table).where(table.c.key == key).values(count=table.c.count + amount)
            ).rowcount
            if not changed:
                try:
                    with conn.begin_nested():
                        conn.execute(table.insert().values(key=key, count=amount, expires_at=now + expiry))
                except IntegrityError:
                    conn.execute(update(table).where(table.c.key == key).values(count=table.c.count + amount))
            return conn.execute(select(table.c.count).where(table.c.key == key)).scalar_one()

    def _row(self, key: str):
        key = _short(key)
        table = rate_limit_counters
        with self._engine().connect() as conn:
            return conn.execute(
                select(table.c.count, table.c.expires_at).where(
                    table.c.key == key, table.c.expires_at > time.time()
                )
            ).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with self._engine().connect() as conn:
                conn.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self._engine().begin() as conn:
            return conn.execute(delete(rate_limit_counters)).rowcount

    def clear(self, key: str) -> None:
        key = _short(key)
        with self._engine().begin() as conn:
            conn.execute(delete(rate_limit_counters).where(rate_limit_counters.c.key == key))
