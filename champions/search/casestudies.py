"""Full-text search behind one function per kind of content: SQLite FTS5 or PostgreSQL tsvector.

SQLite: the FTS5 table `case_study_search` (rowid = case study id) is kept in step by
triggers made in the migration. PostgreSQL: a GIN index over CASE_STUDY_DOCUMENT with
English stemming; the query below repeats that expression exactly so the index is used.
People's words are never passed to the engine as syntax: they are split into plain
terms, each quoted (FTS5) or joined as plain words (plainto_tsquery).
"""

import re

from sqlalchemy import Select, column, func, literal_column, select, table, text

from champions.extensions import db

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)

# Kept identical to the index in migrations/versions/0006_casestudies.py.
CASE_STUDY_DOCUMENT = (
    "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || "
    "coalesce(challenge, '') || ' ' || coalesce(approach, '') || ' ' || coalesce(involvement, '') || ' ' || "
    "coalesce(impact, '') || ' ' || coalesce(learning, '') || ' ' || coalesce(advice, ''))"
)


def terms(query: str | None) -> list[str]:
    """Split what someone typed into at most a dozen plain words."""
    return _WORD.findall((query or "")[:MAX_QUERY_CHARS].replace("_", " "))[:MAX_TERMS]


def search_case_studies(query: str | None) -> Select | None:
    """Return a select of (id, rank) for matching case studies, best first; None when nothing to search."""
    words = terms(query)
    if not words:
        return None
    if db.engine.dialect.name == "postgresql":
        tsquery = func.plainto_tsquery("english", " ".join(words))
        document = literal_column(CASE_STUDY_DOCUMENT)
        cases = table("case_studies", column("id"))
        return (
            select(cases.c.id.label("id"), (-func.ts_rank(document, tsquery)).label("rank"))
            .select_from(cases)
            .where(document.op("@@")(tsquery))
        )
    match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    fts = table("case_study_search", column("rowid"), column("rank"))
    return (
        select(fts.c.rowid.label("id"), fts.c.rank.label("rank"))
        .select_from(fts)
        .where(text("case_study_search MATCH :match").bindparams(match=match))
    )
