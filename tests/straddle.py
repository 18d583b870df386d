"""Force the race of two requests at once, without threads or timing: the other one commits in between.

Two identical POSTs at once fail when one reads ("is it still a draft?", "is there another admin?"), the
other commits, and the first then writes what its stale read allowed. `other_commits_first(change)` runs
`change` on a connection of its own and commits it just before the code under test sends its first write
(an INSERT, UPDATE or DELETE, or a SELECT ... FOR UPDATE): its reads before that answer as they did before
the other's commit. A fix that holds the row first sees the change; one that writes on a stale read does
not. Works the same on SQLite (file, WAL) and PostgreSQL.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Connection

from champions.extensions import db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _is_write(statement: str) -> bool:
    text = statement.lstrip().upper()
    return text.startswith(WRITES) or "FOR UPDATE" in text


@contextmanager
def other_commits_first(
    change: Callable[[Connection], None], before_statement: Callable[[str], bool] = _is_write
) -> Iterator[list[str]]:
    """Within the block, the first write runs after `change` is committed elsewhere; yields that statement.

    `before_statement` picks another statement to go in front of (say, a later INSERT after an UPDATE).
    """
    engine = db.engine
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if seen or not before_statement(statement):
            return
        seen.append(statement)  # first, so the other's own writes pass through
        with engine.connect() as other:
            change(other)
            other.commit()

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert seen, "the code under test wrote nothing, so the other request never committed in between"
