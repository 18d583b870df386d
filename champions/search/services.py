"""Writes to the site search index: derive some things' documents again, or rebuild them all."""

from collections.abc import Iterable

from sqlalchemy import Select, delete, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from champions.extensions import db
from champions.search.documents import COLUMNS, DEFINITIONS
from champions.search.models import Kind, SearchDocument

REFRESH_SLICE = 5_000


def refresh(kind: Kind, ids: Iterable[int] | Select, connection=None) -> None:
    """Derive these things' documents again: delete them, then insert what the definition selects."""
    if not isinstance(ids, Select):
        ordered = sorted(set(ids))
        # In slices, so that one flush of many new rows stays under SQLite's limit on parameters.
        for start in range(0, len(ordered), REFRESH_SLICE):
            _refresh(kind, ordered[start : start + REFRESH_SLICE], connection)
        return
    _refresh(kind, ids, connection)


def _refresh(kind: Kind, ids: list[int] | Select, connection) -> None:
    """Upsert what the definition selects for these ids, and delete the documents it no longer yields.

    An upsert, not delete-then-insert: two people replying to one thread at the same moment both
    refresh its document, and on PostgreSQL the second insert would otherwise meet the first's row.
    """
    execute = (connection or db.session).execute
    query, key = DEFINITIONS[kind]()
    chosen = query.where(key.in_(ids))
    shown = chosen.subquery()
    execute(
        delete(SearchDocument).where(
            SearchDocument.kind == kind.value,
            SearchDocument.object_id.in_(ids),
            SearchDocument.object_id.not_in(select(list(shown.c)[1])),
        )
    )
    dialect_insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    upsert = dialect_insert(SearchDocument).from_select(COLUMNS, chosen)
    execute(
        upsert.on_conflict_do_update(
            index_elements=["kind", "object_id"], set_={name: upsert.excluded[name] for name in COLUMNS[2:]}
        )
    )


def rebuild_index() -> None:
    """Rebuild every document from the feature tables, one INSERT ... SELECT per kind, and commit."""
    db.session.execute(delete(SearchDocument))
    for definition in DEFINITIONS.values():
        query, _ = definition()
        db.session.execute(insert(SearchDocument).from_select(COLUMNS, query))
    if db.engine.dialect.name == "sqlite":
        # Merge the index into one segment, which keeps searches quick after a bulk load.
        db.session.execute(text("INSERT INTO search_documents_fts(search_documents_fts) VALUES ('optimize')"))
    db.session.commit()
