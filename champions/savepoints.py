"""Savepoints that stay inside the request's transaction, on SQLite as on PostgreSQL.

A savepoint lets one insert fail on a unique key (someone else made the same row a moment before) without
undoing the rest of the request. Python's sqlite3 driver opens a transaction only before a write, so a
SAVEPOINT sent with none open becomes the outermost transaction, and releasing it commits the row on its own:
a row the request meant to undo later (it failed, or was rolled back) would stay. `savepoint()` opens the
transaction first when the driver has not.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from champions.extensions import db


@contextmanager
def savepoint() -> Iterator[None]:
    """`db.session.begin_nested()`, with the request's own changes flushed first (so they are never undone
    with it) and, on SQLite, inside the request's transaction (so it never commits on its own)."""
    db.session.flush()
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
    with db.session.begin_nested():
        yield


def insert_once(row) -> bool:
    """Add a row whose unique key says "done" (an email sent, a claim made); False when it was there already.

    No commit: the row is kept or undone with the rest of the request.
    """
    try:
        with savepoint():
            db.session.add(row)
    except IntegrityError:
        return False
    return True
