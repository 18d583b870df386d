"""Reads for the library pages: filters, full-text search, one case study and its page, the feed."""

import xml.etree.ElementTree as ET
from array import array
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, String, case, cast, column, func, literal_column, or_, select, table, text
from sqlalchemy.orm import joinedload, selectinload

from champions.casestudies.models import (
    Bookmark,
    CaseStudy,
    Status,
    Topic,
    Transition,
    UsefulMark,
    Visibility,
    case_study_areas,
    case_study_domains,
    case_study_levels,
    case_study_principles,
    case_study_sectors,
    case_study_topics,
)
from champions.extensions import db
from champions.fulltext import fts5_expression, parse, postgres_parts
from champions.pagination import KeptIdsPagination
from champions.recent import recent, recent_for
from champions.reference.cache import ReferenceItem, reference_items
from champions.reference.models import (
    CouncilArea,
    ImplementationDomain,
    NttpLevel,
    Organisation,
    Principle,
    Sector,
)

PER_PAGE = 20
# The ordered ids of the case studies a filter or search lists, kept briefly per process (champions.recent).
LISTED = "library: listed case studies"
# PostgreSQL: the words of a case study's title and sections, a stored generated column with a GIN index
# (migrations 0006 and 0028); not mapped on the model, as it exists on PostgreSQL only.
DOCUMENT = "case_studies.search_vector"
ATOM = "http://www.w3.org/2005/Atom"
# An empty feed's 'updated': a fixed moment, so the feed's ETag holds until a case study is published.
EMPTY_FEED_UPDATED = datetime(2026, 1, 1)
# filter name -> (reference model, link table, its column)
FILTERS = {
    "sector": (Sector, case_study_sectors, "sector_id"),
    "area": (CouncilArea, case_study_areas, "council_area_id"),
    "principle": (Principle, case_study_principles, "principle_id"),
    "domain": (ImplementationDomain, case_study_domains, "implementation_domain_id"),
    "level": (NttpLevel, case_study_levels, "nttp_level_id"),
    "tag": (Topic, case_study_topics, "topic_id"),
}


@dataclass
class Filters:
    q: str = ""
    sort: str = "newest"
    slugs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> "Filters":
        slugs = {name: args.get(name, "")[:80] for name in FILTERS if args.get(name)}
        sort = args.get("sort") if args.get("sort") in ("newest", "saved", "relevance") else "newest"
        return cls(q=args.get("q", "")[:10_000].strip(), sort=sort, slugs=slugs)

    def as_args(self) -> dict:
        args = dict(self.slugs)
        if self.q:
            args["q"] = self.q[:200]
        if self.sort != "newest":
            args["sort"] = self.sort
        return args


def search_case_studies(words: str | None) -> Select | None:
    """Return a select of (id, rank) for matching case studies, best first; None when nothing to search.

    The words go through the site search's parser (champions.fulltext), so both searches share
    its limits and treat quotes, operators and stop words alike. SQLite reads the FTS5 table
    `case_study_search`, kept in step by triggers; PostgreSQL the stored vector DOCUMENT and its GIN index.
    """
    # Not search_documents: with 300,000 posts beside 5,000 case studies there, FTS5 reads every
    # common word's list across all kinds, and a ranked page took about 1.5 times as long and a
    # count about twice as long as on this table of case studies alone (issue #11's closing note).
    query = parse(words)
    if not query:
        return None
    if db.engine.dialect.name == "postgresql":
        parts = [getattr(func, name)("english", value) for name, value in postgres_parts(query)]
        tsquery = parts[0]
        for part in parts[1:]:
            tsquery = tsquery.op("&&")(part)
        document = literal_column(DOCUMENT)
        cases = table("case_studies", column("id"))
        return (
            select(cases.c.id.label("id"), (-func.ts_rank(document, tsquery)).label("rank"))
            .select_from(cases)
            .where(document.op("@@")(tsquery))
        )
    fts = table("case_study_search", column("rowid"), column("rank"))
    return (
        select(fts.c.rowid.label("id"), fts.c.rank.label("rank"))
        .select_from(fts)
        .where(text("case_study_search MATCH :match").bindparams(match=fts5_expression(query)))
    )


def visible(user):
    """Published case studies this person may see."""
    clause = CaseStudy.status == Status.PUBLISHED
    if not user.is_authenticated:
        clause = clause & (CaseStudy.visibility == Visibility.PUBLIC)
    return clause


# "+id" is the id with its index switched off, so SQLite reads the library in date order
# (ix_case_studies_listing) and stops after a page, instead of fetching every match by id and
# sorting them all: many case studies match a filter or a common word, and a page needs twenty.
_NOT_BY_ID = literal_column("+case_studies.id")


def _conditions(filters: Filters, user, id_column) -> list:
    """What a case study must meet to be listed: visible to this person, every filter, the words."""
    conditions = [visible(user)]
    for name, slug in filters.slugs.items():
        model, link, column = FILTERS[name]
        ids = select(link.c.case_study_id).join(model, model.id == link.c[column]).where(model.slug == slug)
        conditions.append(id_column.in_(ids))
    if filters.q:
        matches = search_case_studies(filters.q)
        conditions.append(
            CaseStudy.id.is_(None) if matches is None else id_column.in_(select(matches.subquery().c.id))
        )
    return conditions


@dataclass(frozen=True)
class _Named:
    name: str


@dataclass(frozen=True)
class LibraryCard:
    """What a card in the library shows, as plain values (no ORM objects)."""

    id: int
    title: str
    summary: str
    published_at: datetime | None
    organisation: _Named | None
    areas: tuple[ReferenceItem, ...]
    sectors: tuple[ReferenceItem, ...]


def _joined_ids(table, column):
    """A case study's ids in one link table, as one string ("3,12"), for the card's statement."""
    return (
        select(func.aggregate_strings(cast(column, String), ","))
        .where(table.c.case_study_id == CaseStudy.id)
        .scalar_subquery()
    )


def _in_order(name: str, joined: str | None) -> tuple[ReferenceItem, ...]:
    if not joined:
        return ()
    wanted = {int(item_id) for item_id in joined.split(",")}
    return tuple(item for item in reference_items(name) if item.id in wanted)


@cache  # SQL expressions, the same for every request: built once per process
def _card_columns() -> tuple:
    return (
        CaseStudy.id,
        CaseStudy.title,
        CaseStudy.summary,
        CaseStudy.published_at,
        Organisation.name,
        _joined_ids(case_study_areas, case_study_areas.c.council_area_id),
        _joined_ids(case_study_sectors, case_study_sectors.c.sector_id),
    )


def library_cards(ids: list[int], user=None) -> list[LibraryCard]:
    """These case studies as cards, in the order given, in one statement (only those this person may see
    now, when a person is given)."""
    if not ids:
        return []
    rows = db.session.execute(
        select(*_card_columns())
        .outerjoin(CaseStudy.organisation)
        .where(CaseStudy.id.in_(ids), *([visible(user)] if user is not None else []))
    )
    cards = {
        row[0]: LibraryCard(
            row[0],
            row[1],
            row[2],
            row[3],
            _Named(row[4]) if row[4] is not None else None,
            _in_order("area", row[5]),
            _in_order("sector", row[6]),
        )
        for row in rows
    }
    return [cards[i] for i in ids if i in cards]


class _LibraryPagination(SelectPagination):
    """The page's ids in the library's order, then their cards in one statement."""

    def _query_items(self) -> list[LibraryCard]:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return library_cards(list(db.session.scalars(statement)))


def _audience(user) -> str:
    """The two audiences that see different case studies (`visible`): visitors public ones, members all."""
    return "members" if user.is_authenticated else "visitors"


def _listing(filters: Filters, user) -> Select:
    """The ids of the case studies listed for these filters, words and sort, in the library's order."""
    query = select(CaseStudy.id)
    if filters.sort == "relevance" and (matches := search_case_studies(filters.q)) is not None:
        found = matches.subquery()
        query = query.join(found, found.c.id == CaseStudy.id).order_by(found.c.rank)
    if filters.sort == "saved":
        saves = (
            select(func.count(Bookmark.id))
            .where(Bookmark.case_study_id == CaseStudy.id)
            .correlate(CaseStudy)
            .scalar_subquery()
        )
        query = query.order_by(saves.desc())
    query = query.where(*_conditions(filters, user, _NOT_BY_ID))
    return query.order_by(CaseStudy.published_at.desc(), CaseStudy.id.desc())


def library_page(filters: Filters, user, page: int):
    """One page of the library, filtered, searched and sorted, and the number of matches.

    The matching ids in the library's order are kept briefly per process (champions.recent), keyed by the
    audience, the words, the sort and every filter: a search for a common phrase matches over a thousand
    case studies at the large benchmark size, and ordering and counting them grows with the data. Each
    page's cards are read by id on every request, only if this person may still see them, so a withdrawn
    case study disappears at once; a newly published one shows within that time (the page says so).
    Sorted by saves (which change all the time), the page is worked out each time: the ids, then a count.
    """
    if filters.sort != "saved":
        key = (_audience(user), filters.q, filters.sort, tuple(sorted(filters.slugs.items())))
        ids = recent_for(LISTED, key, lambda: array("q", db.session.scalars(_listing(filters, user))))
        return KeptIdsPagination(
            page=page,
            per_page=PER_PAGE,
            error_out=False,
            ids=ids,
            read=lambda page_ids: library_cards(page_ids, user),
        )
    query = _listing(filters, user)
    result = _LibraryPagination(
        select=query, session=db.session, page=page, per_page=PER_PAGE, error_out=False, count=False
    )
    # Counted on its own, without the columns and the order the page needs.
    result.total = db.session.scalar(
        select(func.count(CaseStudy.id)).where(*_conditions(filters, user, CaseStudy.id))
    )
    return result


def filter_choices(user) -> dict[str, list]:
    """The reference rows each filter offers (topics: the most used on case studies this person may see)."""
    # Only two audiences see different case studies (visitors: public ones; members: all published),
    # so each keeps its own short-lived copy, and a draft's tags are never offered to anyone.
    audience = _audience(user)
    return {
        **{name: reference_items(name) for name in ("sector", "area", "principle", "domain", "level")},
        "tag": recent(f"most used topics for {audience}", lambda: _most_used_topics(user)),
    }


def _visible_topics(user) -> Select:
    return (
        select(Topic.id, Topic.slug, Topic.name)
        .join(case_study_topics, case_study_topics.c.topic_id == Topic.id)
        .join(CaseStudy, CaseStudy.id == case_study_topics.c.case_study_id)
        .where(visible(user))
    )


def _most_used_topics(user) -> list[ReferenceItem]:
    used = (
        _visible_topics(user)
        .group_by(Topic.id, Topic.slug, Topic.name)
        .order_by(func.count().desc(), Topic.slug)
        .limit(30)
    )
    return sorted((ReferenceItem(*row) for row in db.session.execute(used)), key=lambda t: t.slug)


def unknown_filters(filters: Filters, choices: dict[str, list], user) -> list[str]:
    """Name the filters whose value matches nothing we know (a topic: nothing this person may see)."""
    unknown = [
        name
        for name, slug in filters.slugs.items()
        if name != "tag" and slug not in {row.slug for row in choices[name]}
    ]
    tag = filters.slugs.get("tag")
    if (
        tag
        and tag not in {t.slug for t in choices["tag"]}
        and db.session.scalar(_visible_topics(user).where(Topic.slug == tag).limit(1)) is None
    ):
        unknown.append("tag")
    return unknown


def load(case_study_id: int) -> CaseStudy | None:
    """One case study with everything its page shows."""
    return db.session.scalar(
        select(CaseStudy)
        .where(CaseStudy.id == case_study_id)
        .options(
            joinedload(CaseStudy.author),
            joinedload(CaseStudy.organisation),
            joinedload(CaseStudy.author_profile),
            selectinload(CaseStudy.sectors),
            selectinload(CaseStudy.principles),
            selectinload(CaseStudy.domains),
            selectinload(CaseStudy.levels),
            selectinload(CaseStudy.areas),
            selectinload(CaseStudy.topics),
            selectinload(CaseStudy.attachments),
            selectinload(CaseStudy.transitions).joinedload(Transition.actor),
        )
    )


def marks(case_study: CaseStudy, user) -> dict:
    """Counts of saves and 'useful', and whether this person gave each."""

    def count(model, who=None):
        query = select(func.count(model.id)).where(model.case_study_id == case_study.id)
        return db.session.scalar(query.where(model.user_id == who) if who else query)

    signed_in = user.is_authenticated
    return {
        "useful": count(UsefulMark),
        "saves": count(Bookmark),
        "saved": signed_in and bool(count(Bookmark, user.id)),
        "found_useful": signed_in and bool(count(UsefulMark, user.id)),
    }


def related(case_study: CaseStudy, user, limit: int = 3) -> list[CaseStudy]:
    """Published case studies sharing the most tags with this one."""
    shared = []
    for link, key, rows in (
        (case_study_sectors, "sector_id", case_study.sectors),
        (case_study_principles, "principle_id", case_study.principles),
        (case_study_domains, "implementation_domain_id", case_study.domains),
        (case_study_levels, "nttp_level_id", case_study.levels),
        (case_study_topics, "topic_id", case_study.topics),
    ):
        if rows:
            shared.append(
                select(link.c.case_study_id.label("cid")).where(link.c[key].in_([r.id for r in rows]))
            )
    if not shared:
        return []
    tags = shared[0].union_all(*shared[1:]).subquery()
    score = (select(tags.c.cid, func.count().label("score")).group_by(tags.c.cid)).subquery()
    return list(
        db.session.scalars(
            select(CaseStudy)
            .join(score, score.c.cid == CaseStudy.id)
            .where(visible(user), CaseStudy.id != case_study.id)
            .order_by(score.c.score.desc(), CaseStudy.published_at.desc())
            .limit(limit)
        )
    )


def mine(user) -> list[CaseStudy]:
    """The person's own case studies, newest change first, with the history that says which were returned."""
    return list(
        db.session.scalars(
            select(CaseStudy)
            .where(CaseStudy.author_id == user.id)
            .options(selectinload(CaseStudy.transitions))
            .order_by(CaseStudy.updated_at.desc())
        )
    )


def _waiting_for_review():
    return or_(CaseStudy.status == Status.SUBMITTED, CaseStudy.pending_status == "submitted")


def review_queue() -> list[CaseStudy]:
    """Case studies and edits waiting for a coordinator, oldest first."""
    return list(
        db.session.scalars(
            select(CaseStudy)
            .where(_waiting_for_review())
            .options(joinedload(CaseStudy.author), joinedload(CaseStudy.organisation))
            .order_by(CaseStudy.submitted_at, CaseStudy.id)
        )
    )


def review_queue_counts(area_ids: frozenset[int]) -> tuple[int, int]:
    """Count the review queue: case studies tagged with one of these council areas, and all of them."""
    tagged = CaseStudy.id.in_(
        select(case_study_areas.c.case_study_id).where(case_study_areas.c.council_area_id.in_(area_ids))
    )
    flag = case((tagged, 1), else_=0) if area_ids else literal_column("0")
    row = db.session.execute(
        select(func.coalesce(func.sum(flag), 0), func.count(CaseStudy.id)).where(_waiting_for_review())
    ).one()
    return int(row[0]), int(row[1])


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _stamp(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(base_url: str, limit: int = 50) -> bytes:
    """An Atom feed of the newest published public case studies, with absolute links."""
    entries = list(
        db.session.scalars(
            select(CaseStudy)
            .where(CaseStudy.status == Status.PUBLISHED, CaseStudy.visibility == Visibility.PUBLIC)
            .options(joinedload(CaseStudy.author), joinedload(CaseStudy.organisation))
            .order_by(CaseStudy.published_at.desc())
            .limit(limit)
        )
    )
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"{base_url}/case-studies")
    _sub(feed, "title", "Trauma Champions Network: good-practice case studies")
    _sub(feed, "updated", _stamp(max((e.updated_at for e in entries), default=EMPTY_FEED_UPDATED)))
    _sub(feed, "link", rel="self", href=f"{base_url}/case-studies/feed.atom")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{base_url}/case-studies")
    author = _sub(feed, "author")
    _sub(author, "name", "Trauma Champions Network")
    for case_study in entries:
        entry = _sub(feed, "entry")
        url = f"{base_url}/case-studies/{case_study.id}"
        _sub(entry, "id", url)
        _sub(entry, "title", case_study.title)
        _sub(entry, "updated", _stamp(case_study.updated_at))
        _sub(entry, "published", _stamp(case_study.published_at))
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        person = _sub(entry, "author")
        organisation = case_study.organisation
        _sub(person, "name", organisation.name if organisation else case_study.author.name)
        _sub(entry, "summary", case_study.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
