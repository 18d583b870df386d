"""The directory's profile queries: what each page shows, loaded in a fixed number of queries."""

import re
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter

from flask import current_app
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import String, and_, case, cast, func, literal_column, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from champions.accounts.models import User
from champions.directory.models import (
    SCOPE_RANK,
    ChampionProfile,
    Scope,
    Status,
    champion_profile_areas,
    champion_profile_levels,
    champion_profile_sectors,
)
from champions.extensions import db
from champions.pagination import KeptIdsPagination
from champions.recent import keeping, recent_for
from champions.reference.cache import ReferenceItem, reference_items
from champions.reference.models import CouncilArea, HealthBoard, NttpLevel, Organisation, Sector

PER_PAGE = 20
# The ordered ids of the listed champions for a set of filters, kept briefly per process (champions.recent).
LISTED = "directory: listed champions"
# Words that name the Scottish Trauma Informed Leaders Training, which a profile records as done.
STILT_WORDS = ("stilt", "leaders training", "leaders' training", "leadership training")


@dataclass(frozen=True)
class Partnership:
    """A health and social care partnership: one or two council areas (Clackmannanshire and Stirling)."""

    slug: str
    name: str
    area_ids: tuple[int, ...]


@dataclass
class Facets:
    """The reference lists the directory filters offer, loaded in three queries."""

    council_areas: list[CouncilArea]
    health_boards: list[HealthBoard]
    sectors: list[Sector]
    levels: list[NttpLevel]
    partnerships: list[Partnership] = field(default_factory=list)


@dataclass
class Filters:
    council_area: CouncilArea | None = None
    health_board: HealthBoard | None = None
    sector: Sector | None = None
    level: NttpLevel | None = None
    query: str = ""
    partnership: Partnership | None = None

    @property
    def active(self) -> bool:
        return any(
            (self.council_area, self.health_board, self.sector, self.level, self.query, self.partnership)
        )

    @property
    def by_place(self) -> bool:
        return bool(self.council_area or self.health_board or self.partnership)


def facets() -> Facets:
    areas = list(
        db.session.scalars(
            select(CouncilArea).options(joinedload(CouncilArea.health_board)).order_by(CouncilArea.name)
        )
    )
    boards = sorted({area.health_board for area in areas}, key=lambda board: board.name)
    sectors = list(db.session.scalars(select(Sector).order_by(Sector.position)))
    levels = list(db.session.scalars(select(NttpLevel).order_by(NttpLevel.position)))
    return Facets(areas, boards, sectors, levels, _partnerships(areas))


@dataclass(frozen=True)
class AreaItem:
    """A council area as the directory's filters use it: a plain record, kept per process."""

    id: int
    slug: str
    name: str
    hscp_name: str
    health_board: ReferenceItem


def filter_facets() -> Facets:
    """The directory's filter lists as plain records, read once per process (as `reference_items` are).

    Reference rows change only through migrations, deployed with a restart. The listing and the export
    only read ids, slugs and names from these; forms that save a profile use `facets()` (ORM rows).
    """
    cache = current_app.extensions.setdefault("directory_facets", [])
    if not cache:
        boards = {board.id: board for board in reference_items("board")}
        rows = db.session.execute(
            select(
                CouncilArea.id,
                CouncilArea.slug,
                CouncilArea.name,
                CouncilArea.hscp_name,
                CouncilArea.health_board_id,
            ).order_by(CouncilArea.name)
        )
        areas = [AreaItem(*row[:4], boards[row[4]]) for row in rows]
        cache.append(
            Facets(
                areas,
                sorted({area.health_board for area in areas}, key=attrgetter("name")),
                list(reference_items("sector")),
                list(reference_items("level")),
                _partnerships(areas),
            )
        )
    return cache[0]


def _partnerships(areas: list) -> list[Partnership]:
    """The HSCPs of the reference data, named as the council areas record them."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for area in areas:
        by_name[area.hscp_name].append(area.id)
    return sorted(
        (Partnership(_slug(name), name, tuple(ids)) for name, ids in by_name.items()), key=attrgetter("name")
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def profile_for_user(user) -> ChampionProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))


def _public():
    return (
        ChampionProfile.status == Status.VERIFIED.value,
        ChampionProfile.listing_consent_at.is_not(None),
        User.active.is_(True),
    )


def _scope_rank():
    return case({scope.value: rank for scope, rank in SCOPE_RANK.items()}, value=ChampionProfile.scope)


def _covering(area_ids):
    """Profiles covering any of these council areas (a list or a subquery of ids)."""
    return ChampionProfile.id.in_(
        select(champion_profile_areas.c.champion_profile_id).where(
            champion_profile_areas.c.council_area_id.in_(area_ids)
        )
    )


def _words(needle: str):
    """Profiles whose words match: name, organisation, introduction, places covered, or STILT."""
    matches = [
        func.lower(column).contains(needle, autoescape=True)
        for column in (ChampionProfile.display_name, Organisation.name, ChampionProfile.bio)
    ]
    # "NHS Lothian" and "Lothian" both name the board; "NHS" or "HSCP" alone would name every place.
    place = re.sub(r"^nhs\b|\bhscp$", "", needle).strip()
    if len(place) >= 2:
        boards = select(HealthBoard.id).where(func.lower(HealthBoard.name).contains(place, autoescape=True))
        areas = select(CouncilArea.id).where(
            or_(
                func.lower(CouncilArea.name).contains(place, autoescape=True),
                func.lower(CouncilArea.hscp_name).contains(place, autoescape=True),
                CouncilArea.health_board_id.in_(boards),
            )
        )
        # National champions cover every area: a place's name finds the people based there.
        matches.append(and_(ChampionProfile.scope != Scope.NATIONAL.value, _covering(areas)))
        matches.append(ChampionProfile.health_board_id.in_(boards))
    if any(words in needle for words in STILT_WORDS):
        matches.append(ChampionProfile.stilt_completed.is_(True))
    return or_(*matches)


def _matching(statement, filters: Filters):
    """Listed, verified champions matching the filters; local ones first when filtering by place."""
    statement = statement.join(ChampionProfile.user).where(*_public())
    if filters.council_area:
        statement = statement.where(_covering([filters.council_area.id]))
    if filters.partnership:
        statement = statement.where(_covering(list(filters.partnership.area_ids)))
    if filters.health_board:
        area_ids = select(CouncilArea.id).where(CouncilArea.health_board_id == filters.health_board.id)
        statement = statement.where(
            or_(
                _covering(area_ids),
                ChampionProfile.scope == Scope.NATIONAL.value,
                ChampionProfile.health_board_id == filters.health_board.id,
            )
        )
    if filters.sector:
        statement = statement.where(ChampionProfile.sectors.any(Sector.id == filters.sector.id))
    if filters.level:
        statement = statement.where(ChampionProfile.levels.any(NttpLevel.id == filters.level.id))
    if filters.query:
        needle = " ".join(filters.query.lower().split())
        statement = statement.join(ChampionProfile.organisation).where(_words(needle))
    return statement.order_by(*_order(filters))


def _order(filters: Filters) -> list:
    """Name order; local champions first, then the board's, then national ones, when filtering by place."""
    order = [ChampionProfile.display_name, ChampionProfile.id]
    if filters.by_place:
        order.insert(0, _scope_rank())
    return order


def _with_lists() -> list:
    """Loader options for each profile's council areas, sectors and levels."""
    return [
        selectinload(relation)
        for relation in (ChampionProfile.council_areas, ChampionProfile.sectors, ChampionProfile.levels)
    ]


def directory_query(filters: Filters):
    """Every matching profile with its person, organisation, board and lists (for the CSV export)."""
    statement = select(ChampionProfile)
    if not filters.query:  # a query joins the organisation already, to search its name
        statement = statement.join(ChampionProfile.organisation)
    statement = (
        _matching(statement, filters)
        .outerjoin(ChampionProfile.health_board)
        .options(
            contains_eager(ChampionProfile.user),
            contains_eager(ChampionProfile.organisation),
            contains_eager(ChampionProfile.health_board),
            *_with_lists(),
        )
    )
    return statement


class _CardPagination(SelectPagination):
    """Counts the matching ids as Flask-SQLAlchemy does, and reads the page as cards in one statement."""

    def _query_items(self) -> list:
        return _cards(self._query_args["filters"], self.per_page, self._query_offset)


def _filters_key(filters: Filters) -> tuple:
    """Everything that decides which champions a listing without words holds, and their order."""
    places = (filters.council_area, filters.health_board, filters.sector, filters.level)
    return (
        *(item.id if item else None for item in places),
        filters.partnership.slug if filters.partnership else None,
    )


def listed_ids(filters: Filters) -> array:
    """The ids of every champion listed for these filters (no words), in the directory's order.

    Kept for RECENT_TOTALS_SECONDS per process: sorting a busy area's champions (633 in Glasgow at the
    large benchmark size) grows with the data, and so does counting them. The listing is the same for
    everyone (it holds only public listings), so one copy serves visitors and members. The cards are read
    by id on every request, with the listing's own conditions checked again (`_cards_of`): a champion who
    leaves the directory disappears at once; one who joins, or moves, shows within that time (the page
    says so).
    """
    return recent_for(
        LISTED,
        _filters_key(filters),
        lambda: array("q", db.session.scalars(_matching(select(ChampionProfile.id), filters))),
    )


def directory_page(filters: Filters, page: int, per_page: int = PER_PAGE):
    """One page of the directory: its cards with their lists in one statement, and the number of matches.

    Without words, the matching ids in order are kept briefly (`listed_ids`), so a page is one statement
    once they are kept, and two (ids, cards) when they are not. With words (any text a person types) they
    are counted and read each time, as before: a count, then the cards.
    """
    if not filters.query:
        return KeptIdsPagination(
            page=page,
            per_page=per_page,
            error_out=False,
            ids=listed_ids(filters),
            read=lambda page_ids: _cards_of(filters, page_ids, per_page),
        )
    return _CardPagination(
        select=_matching(select(ChampionProfile.id), filters),
        session=db.session,
        filters=filters,
        page=page,
        per_page=per_page,
        error_out=False,
    )


def _reference(name: str, item_id: int | None) -> ReferenceItem | None:
    return next((item for item in reference_items(name) if item.id == item_id), None)


@dataclass(frozen=True)
class _Named:
    name: str


@dataclass(frozen=True)
class _Person:
    email: str


@dataclass(frozen=True)
class ChampionCard:
    """What a champion's card shows, read in one statement as plain values (no ORM objects).

    It answers the card template as a profile does; the wording rules are the profile's own.
    """

    id: int
    user_id: int
    display_name: str
    job_title: str
    scope: str
    stilt_completed: bool
    phone: str
    contact_audience: str
    organisation: _Named
    user: _Person
    health_board: ReferenceItem | None
    council_areas: tuple[ReferenceItem, ...]
    sectors: tuple[ReferenceItem, ...]
    levels: tuple[ReferenceItem, ...]

    coverage_label = ChampionProfile.coverage_label
    is_owned_by = ChampionProfile.is_owned_by
    contact_visible_to = ChampionProfile.contact_visible_to


# A card's lists, each as one string of ids ("3,12"): one statement for the cards and their lists.
_CARD_LISTS = (
    ("area", champion_profile_areas, champion_profile_areas.c.council_area_id),
    ("sector", champion_profile_sectors, champion_profile_sectors.c.sector_id),
    ("level", champion_profile_levels, champion_profile_levels.c.nttp_level_id),
)


@cache  # SQL expressions, the same for every request: built once per process
def _card_columns() -> tuple:
    lists = [
        select(func.aggregate_strings(cast(column, String), ","))
        .where(table.c.champion_profile_id == ChampionProfile.id)
        .scalar_subquery()
        for _, table, column in _CARD_LISTS
    ]
    return (
        ChampionProfile.id,
        ChampionProfile.user_id,
        ChampionProfile.display_name,
        ChampionProfile.job_title,
        ChampionProfile.scope,
        ChampionProfile.stilt_completed,
        ChampionProfile.phone,
        ChampionProfile.contact_audience,
        Organisation.name,
        User.email,
        ChampionProfile.health_board_id,
        *lists,
    )


def _in_order(name: str, joined: str | None) -> tuple[ReferenceItem, ...]:
    """The reference items named by a string of ids, in the list's usual order (as the profile's are)."""
    if not joined:
        return ()
    wanted = {int(item_id) for item_id in joined.split(",")}
    return tuple(item for item in reference_items(name) if item.id in wanted)


def _card(row) -> ChampionCard:
    (profile_id, user_id, name, job, scope, stilt, phone, audience, organisation, email, board_id) = row[:11]
    areas, sectors, levels = row[11:]
    return ChampionCard(
        id=profile_id,
        user_id=user_id,
        display_name=name,
        job_title=job,
        scope=scope,
        stilt_completed=bool(stilt),
        phone=phone,
        contact_audience=audience,
        organisation=_Named(organisation),
        user=_Person(email),
        health_board=_reference("board", board_id) if board_id is not None else None,
        council_areas=_in_order("area", areas),
        sectors=_in_order("sector", sectors),
        levels=_in_order("level", levels),
    )


def local_champions(user, limit: int = 12) -> list[ChampionCard]:
    """The champions for the person's own council area (or NHS board), local ones first: one statement."""
    # The filters need only the place's id: the reference lists (read once per process) spare a
    # query for the person's area or board on every signed-in home page.
    area = _reference("area", getattr(user, "council_area_id", None))
    board = _reference("board", getattr(user, "health_board_id", None))
    if area is None and board is None:
        return []
    filters = Filters(council_area=area, health_board=None if area else board)
    if keeping():  # the place's ids in order, shared with the directory's listing for that place
        return _cards_of(filters, list(listed_ids(filters)[: limit + 10]), limit)
    return _cards(filters, limit)


def _cards(filters: Filters, limit: int, offset: int = 0) -> list[ChampionCard]:
    """One page of matching champions as cards, in one statement.

    The matching ids are sorted and cut to the page first (a large area has hundreds of champions), so
    the person, organisation and lists are read for the page's cards only.
    """
    page_ids = _matching(select(ChampionProfile.id), filters).limit(limit).offset(offset).correlate(None)
    statement = (
        select(*_card_columns())
        .join(ChampionProfile.user)
        .join(ChampionProfile.organisation)
        .where(ChampionProfile.id.in_(page_ids))
        .order_by(*_order(filters))
    )
    return [_card(row) for row in db.session.execute(statement)]


def _cards_of(filters: Filters, ids: list[int], limit: int) -> list[ChampionCard]:
    """These champions as cards, in one statement, in the listing's order, if they are still listed now.

    Only the listing's own conditions are checked again (verified, agreed to be listed, account active), by
    id: checking the place again would read every champion of a busy place, which is what the kept ids
    spare. So a champion who leaves the directory disappears at once; a change of the places, sectors or
    levels a champion covers moves them between listings within the kept ids' time.
    """
    if not ids:
        return []
    statement = (
        select(*_card_columns())
        .join(ChampionProfile.user)
        .join(ChampionProfile.organisation)
        .where(ChampionProfile.id.in_(ids), *_public())
        .order_by(*_order(filters))
        .limit(limit)
    )
    return [_card(row) for row in db.session.execute(statement)]


def profile_with_details(profile_id: int) -> ChampionProfile | None:
    return db.session.scalar(
        select(ChampionProfile)
        .where(ChampionProfile.id == profile_id)
        .options(
            joinedload(ChampionProfile.user),
            joinedload(ChampionProfile.organisation),
            joinedload(ChampionProfile.health_board),
            selectinload(ChampionProfile.council_areas),
            selectinload(ChampionProfile.sectors),
            selectinload(ChampionProfile.levels),
        )
    )


def applications_page(status: Status, page: int, per_page: int = 50):
    """Profiles in one state for coordinators, oldest application first."""
    statement = (
        select(ChampionProfile)
        .where(ChampionProfile.status == status.value)
        .options(
            joinedload(ChampionProfile.user),
            joinedload(ChampionProfile.organisation),
            joinedload(ChampionProfile.health_board),
            selectinload(ChampionProfile.council_areas),
        )
        .order_by(ChampionProfile.applied_at, ChampionProfile.id)
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def status_counts() -> dict[str, int]:
    rows = db.session.execute(select(ChampionProfile.status, func.count()).group_by(ChampionProfile.status))
    counts = {status.value: 0 for status in Status}
    counts.update({status: count for status, count in rows})
    return counts


def pending_application_counts(area_ids: frozenset[int]) -> tuple[int, int]:
    """Count applications waiting for a decision: those touching these council areas, and all of them."""
    # A profile is in the areas when it covers one of them, or names the NHS board one of them is in.
    boards = select(CouncilArea.health_board_id).where(CouncilArea.id.in_(area_ids))
    in_areas = or_(_covering(area_ids), ChampionProfile.health_board_id.in_(boards))
    flag = case((in_areas, 1), else_=0) if area_ids else literal_column("0")
    row = db.session.execute(
        select(func.coalesce(func.sum(flag), 0), func.count(ChampionProfile.id)).where(
            ChampionProfile.status == Status.PENDING.value
        )
    ).one()
    return int(row[0]), int(row[1])
