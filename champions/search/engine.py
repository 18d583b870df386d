"""The SQL behind site search, one flavour per engine: SQLite FTS5 or a PostgreSQL tsvector.

Both answer the same three questions in one statement each, whatever the number of kinds:
how many matches per kind (capped), which ids are best for each kind (a title match first,
then by rank), and the marked-up title and snippet of those ids. Matches are marked with the
sentinels OPEN and CLOSE; champions.search.queries escapes the text and turns them into <mark>.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, bindparam, text

from champions.extensions import db
from champions.fulltext import Query, fts5_expression, postgres_parts
from champions.search.models import Audience, Kind

OPEN, CLOSE = "\ue000", "\ue001"
FTS = "search_documents_fts"
# Title words count ten times body words in the rank; the kind and audience columns not at all.
BM25 = f"bm25({FTS}, 10.0, 1.0, 0.0, 0.0)"
# Posts are most of the index. A kind token in the MATCH would make the engine read that token's
# whole list on every search, so posts are told apart by a join on search_documents instead. They
# have no title, and they are shown newest first: ranking them would mean reading every matching
# post (bm25 counts each word over the whole index first), and a word found in a hundred thousand
# posts must stay quick. Read newest first, the engine stops after the page it needs.
BULK = {Kind.POST}
# Past the count cap, a word is common enough that ranking its matches costs more than the page is
# worth: bm25 first reads the word's whole list over the index (13 ms for a word in 68,000 documents),
# then scores every match. Those searches list title matches first, then the rest, each newest first,
# reading only the rows the page needs (issue #18).
PG_HEADLINE = (
    f'StartSel={OPEN}, StopSel={CLOSE}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)
PG_TITLE = f"StartSel={OPEN}, StopSel={CLOSE}, HighlightAll=true"


@dataclass
class Slice:
    kind: Kind
    limit: int
    offset: int = 0


@dataclass
class Hit:
    id: int
    kind: Kind
    object_id: int
    title: str
    snippet: str
    context: str
    link: str
    dated_at: datetime | None


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _fts_match(query: Query, kind: Kind, public_only: bool, part: str = "all") -> str:
    """An FTS5 expression: the words anywhere, or all of them in the title."""
    words = fts5_expression(query)
    anywhere, in_title = f"({{title body}} : ({words}))", f"(title : ({words}))"
    match = in_title if part == "title" else anywhere
    if kind not in BULK:
        match += f' AND kind : "{kind.value}"'
    return match + (f' AND audience : "{Audience.PUBLIC.value}"' if public_only else "")


def _fts_source(kind: Kind) -> str:
    if kind in BULK:
        return f"{FTS} CROSS JOIN search_documents AS d ON d.id = {FTS}.rowid AND d.kind = '{kind.value}'"
    return FTS


def _tsquery(query: Query, params: dict) -> str:
    parts = []
    for n, (function, words) in enumerate(postgres_parts(query)):
        params[f"words{n}"] = words
        parts.append(f"{function}('english', :words{n})")
    return "(" + " && ".join(parts) + ")"


def _pg_where(kind: Kind, tsquery: str, public_only: bool, vector: str = "search_vector") -> str:
    """The kind and audience are written into the statement, not bound: a prepared statement's generic
    plan could not know that kind = 'event' may use that kind's own partial GIN indexes (0026)."""
    audience = f" AND audience = '{Audience.PUBLIC.value}'" if public_only else ""
    return f"kind = '{kind.value}'{audience} AND {vector} @@ {tsquery}"


def counts(query: Query, kinds: list[Kind], public_only: bool, cap: int) -> dict[Kind, int]:
    """How many documents of each kind match, counting no further than cap."""
    params: dict = {"cap": cap}
    tsquery = _tsquery(query, params) if _postgres() else ""
    columns = []
    for n, kind in enumerate(kinds):
        if _postgres():
            inner = f"SELECT 1 FROM search_documents WHERE {_pg_where(kind, tsquery, public_only)} LIMIT :cap"
        else:
            params[f"match{n}"] = _fts_match(query, kind, public_only)
            inner = f"SELECT 1 FROM {_fts_source(kind)} WHERE {FTS} MATCH :match{n} LIMIT :cap"
        columns.append(f"(SELECT count(*) FROM ({inner}) AS matched{n})")
    row = db.session.execute(text("SELECT " + ", ".join(columns)), params).one()
    return dict(zip(kinds, row, strict=True))


def _sqlite_newest(n: int, query: Query, item: Slice, public_only: bool, params: dict) -> str:
    """Title matches newest first, then the other matches newest first, with no ranking."""
    params[f"title{n}"] = _fts_match(query, item.kind, public_only, part="title")
    params[f"rest{n}"] = (
        f"({_fts_match(query, item.kind, public_only)}) NOT (title : ({fts5_expression(query)}))"
    )
    params[f"upto{n}"] = item.limit + item.offset
    parts = [
        f"SELECT id, {tier} AS tier FROM (SELECT {FTS}.rowid AS id FROM {FTS} WHERE {FTS} MATCH :{name}{n} "
        f"ORDER BY {FTS}.rowid DESC LIMIT :upto{n})"
        for tier, name in ((1, "title"), (0, "rest"))
    ]
    return (
        f"SELECT id FROM (SELECT id FROM ({' UNION ALL '.join(parts)}) "
        f"ORDER BY tier DESC, id DESC LIMIT :limit{n} OFFSET :offset{n})"
    )


def _sqlite_best(n: int, query: Query, item: Slice, public_only: bool, params: dict) -> str:
    if item.kind in BULK:
        params[f"bulk{n}"] = _fts_match(query, item.kind, public_only)
        return (
            f"SELECT id FROM (SELECT {FTS}.rowid AS id FROM {_fts_source(item.kind)} "
            f"WHERE {FTS} MATCH :bulk{n} ORDER BY {FTS}.rowid DESC LIMIT :limit{n} OFFSET :offset{n})"
        )
    params[f"kind{n}"] = item.kind.value
    order = f"ORDER BY tier DESC, score, id LIMIT :limit{n} OFFSET :offset{n}"
    return f"SELECT id FROM (SELECT id FROM small WHERE kind = :kind{n} {order})"


def _sqlite_small(query: Query, kinds: list[Kind], public_only: bool, params: dict) -> str:
    """Every match of the smaller kinds, ranked in one pass.

    bm25 first counts, over the whole index, the documents holding each word; done once per
    statement here, instead of once per kind. A title match (every word, or the phrase, in the
    title) comes before any other.
    """
    words = fts5_expression(query)
    audience = f' AND audience : "{Audience.PUBLIC.value}"' if public_only else ""
    chosen = " OR ".join(f'"{kind.value}"' for kind in kinds)
    params["small_all"] = f"({{title body}} : ({words})) AND kind : ({chosen}){audience}"
    params["small_title"] = f"(title : ({words})) AND kind : ({chosen}){audience}"
    tier = f"rowid IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH :small_title)"
    return (
        f"small AS MATERIALIZED (SELECT rowid AS id, kind, {tier} AS tier, {BM25} AS score "
        f"FROM {FTS} WHERE {FTS} MATCH :small_all)"
    )


def _postgres_best(
    n: int, tsquery: str, item: Slice, public_only: bool, params: dict, ctes: list[str], ranked: bool = True
) -> str:
    """One kind's slice on PostgreSQL: title matches first, then by rank, or newest first past the cap.

    Ranked only when no kind has more than COUNT_CAP matches, so ts_rank scores a bounded set (read
    from the kind's own GIN index). Past the cap, title matches newest first, then the rest newest
    first: each reads the kind backwards on (kind, id) and stops after the rows the page needs, or takes
    the word's list for that kind from a GIN index when the word is rare there (PostgreSQL picks by the
    word's statistics). The rest is read only when the titles fall short of the page: when every match
    has the word in its title (threads about "trauma"), reading backwards for one without would go
    through the whole kind.
    """
    where = _pg_where(item.kind, tsquery, public_only)
    page = f"LIMIT :limit{n} OFFSET :offset{n}"
    if item.kind in BULK:
        newest = f"SELECT id FROM search_documents WHERE {where} ORDER BY id DESC {page}"
        return f"SELECT id FROM ({newest}) AS newest{n}"
    in_title = f"title_vector @@ {tsquery}"
    if ranked:
        return (
            f"SELECT id FROM (SELECT id, {in_title} AS tier, ts_rank(search_vector, {tsquery}) AS score "
            f"FROM search_documents WHERE {where} ORDER BY tier DESC, score DESC, id {page}) AS best{n}"
        )
    params[f"upto{n}"] = item.limit + item.offset
    title_where = _pg_where(item.kind, tsquery, public_only, vector="title_vector")
    ctes.append(
        f"titles{n} AS MATERIALIZED (SELECT id FROM search_documents WHERE {title_where} "
        f"ORDER BY id DESC LIMIT :upto{n})"
    )
    short = f"(SELECT count(*) FROM titles{n}) < :upto{n}"
    tiers = (
        f"SELECT id, 1 AS tier FROM titles{n} UNION ALL "
        f"SELECT id, 0 AS tier FROM (SELECT id FROM search_documents WHERE {where} AND NOT {in_title} "
        f"AND {short} ORDER BY id DESC LIMIT :upto{n}) AS rest{n}"
    )
    return f"SELECT id FROM (SELECT id FROM ({tiers}) AS tiers{n} ORDER BY tier DESC, id DESC {page}) AS t{n}"


def best_ids(query: Query, slices: list[Slice], public_only: bool, ranked: bool = True) -> list[int]:
    """The ids to show for each slice of a kind: title matches first, then by rank (or newest first)."""
    if not slices:
        return []
    params: dict = {}
    tsquery = _tsquery(query, params) if _postgres() else ""
    selects, ctes = [], []
    if not _postgres() and ranked:
        small = [item.kind for item in slices if item.kind not in BULK]
        if small:
            ctes.append(_sqlite_small(query, small, public_only, params))
    for n, item in enumerate(slices):
        params[f"limit{n}"], params[f"offset{n}"] = item.limit, item.offset
        if _postgres():
            selects.append(_postgres_best(n, tsquery, item, public_only, params, ctes, ranked))
        elif ranked or item.kind in BULK:
            selects.append(_sqlite_best(n, query, item, public_only, params))
        else:
            selects.append(_sqlite_newest(n, query, item, public_only, params))
    prefix = f"WITH {', '.join(ctes)} " if ctes else ""
    return list(db.session.scalars(text(prefix + " UNION ALL ".join(selects)), params))


def hits(query: Query, ids: list[int], public_only: bool = False) -> dict[int, Hit]:
    """The documents with these ids, their matching words marked, by id.

    public_only checks each document's audience again: the ids may have been kept for a minute by
    champions.search.queries, and a document can turn members-only meanwhile.
    """
    if not ids:
        return {}
    params: dict = {"ids": ids, "open": OPEN, "close": CLOSE}
    if _postgres():
        tsquery = _tsquery(query, params)
        params.update(title_options=PG_TITLE, body_options=PG_HEADLINE)
        statement = text(
            "SELECT id, kind, object_id, ts_headline('english', title, "
            f"{tsquery}, :title_options), ts_headline('english', body, {tsquery}, :body_options), "
            "context, link, dated_at FROM search_documents WHERE id IN :ids"
            + (f" AND audience = '{Audience.PUBLIC.value}'" if public_only else "")
        )
    else:
        params["match"] = f"{{title body}} : ({fts5_expression(query)})"
        statement = text(
            f"SELECT d.id, d.kind, d.object_id, highlight({FTS}, 0, :open, :close), "
            f"snippet({FTS}, 1, :open, :close, ' … ', 24), d.context, d.link, d.dated_at "
            f"FROM {FTS} JOIN search_documents AS d ON d.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH :match AND {FTS}.rowid IN :ids"
            + (f" AND d.audience = '{Audience.PUBLIC.value}'" if public_only else "")
        )
    statement = statement.bindparams(bindparam("ids", expanding=True)).columns(dated_at=DateTime)
    rows = db.session.execute(statement, params)
    return {row[0]: Hit(row[0], Kind(row[1]), *row[2:]) for row in rows}
