"""Settings for each SQLite connection, so that one file serves several gunicorn workers well.

WAL lets readers carry on while one worker writes (the default journal makes them wait), and
synchronous=NORMAL is safe with WAL. Memory-mapped reads and a larger page cache spare a system
call for most page reads of a large database. PostgreSQL needs none of this.
"""

from flask import Flask
from sqlalchemy import Engine, event

from champions.extensions import db

PRAGMAS = (
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
