"""Settings for each SQLite connection, so that one file serves several gunicorn workers well.

WAL lets readers carry on while one worker writes (the default journal makes them wait), and
synchronous=NORMAL is safe with WAL. Memory-mapped reads and a larger page cache spare a system
call for most page reads of a large database. PostgreSQL needs none of this.

One writer at a time: a connection that finds another writing waits for it, up to BUSY_SECONDS, before
it fails with "database is locked". Python's driver waits 5 seconds, which a burst of writes on a loaded
machine used up: thirty sign-ins at once each count three attempts (champions.ratelimit_storage), and a
count that waited longer fell back to counting in the process's memory, letting an eleventh password be
checked. The wait is as long as the one for a pooled connection (SQLAlchemy's 30 seconds).
"""

from flask import Flask
from sqlalchemy import Engine, event

from champions.extensions import db

BUSY_SECONDS = 30
PRAGMAS = (
    f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA mmap_size=268435456",
    "PRAGMA cache_size=-16384",
)


def _tune(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def tune(engine: Engine) -> None:
    """Set the pragmas on each new connection of this engine, when it is an SQLite file."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        event.listen(engine, "connect", _tune)


def init_app(app: Flask) -> None:
    with app.app_context():
        tune(db.engine)
