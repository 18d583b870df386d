"""Reads for the buddy pages: settings, requests, pairings, and the suggested matches with their reasons."""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, func, literal_column, or_, select
from sqlalchemy.orm import joinedload, selectinload

from champions.accounts.models import User
from champions.accounts.queries import account_in_areas
from champions.buddies.models import BuddyPairing, BuddyRequest, BuddySetting, RequestStatus
from champions.directory.models import ChampionProfile, Status, champion_profile_areas
from champions.extensions import db
from champions.reference.models import CouncilArea, HealthBoard, OrganisationKind

SUGGESTIONS_SHOWN = 10

# Territorial NHS boards that share a border (or a short crossing: Fife and Lothian over the Forth,
# Orkney and Shetland, the islands and Highland). Kept here, in plain words, because the reference data
# has no map of which boards touch.
NEIGHBOURING_BOARDS = [
    ("nhs-ayrshire-and-arran", "nhs-dumfries-and-galloway"),
    ("nhs-ayrshire-and-arran", "nhs-greater-glasgow-and-clyde"),
    ("nhs-ayrshire-and-arran", "nhs-lanarkshire"),
    ("nhs-borders", "nhs-dumfries-and-galloway"),
    ("nhs-borders", "nhs-lanarkshire"),
    ("nhs-borders", "nhs-lothian"),
    ("nhs-dumfries-and-galloway", "nhs-lanarkshire"),
    ("nhs-fife", "nhs-forth-valley"),
    ("nhs-fife", "nhs-lothian"),
    ("nhs-fife", "nhs-tayside"),
    ("nhs-forth-valley", "nhs-greater-glasgow-and-clyde"),
    ("nhs-forth-valley", "nhs-highland"),
    ("nhs-forth-valley", "nhs-lanarkshire"),
    ("nhs-forth-valley", "nhs-lothian"),
    ("nhs-forth-valley", "nhs-tayside"),
    ("nhs-grampian", "nhs-highland"),
    ("nhs-grampian", "nhs-tayside"),
    ("nhs-greater-glasgow-and-clyde", "nhs-highland"),
    ("nhs-greater-glasgow-and-clyde", "nhs-lanarkshire"),
    ("nhs-highland", "nhs-orkney"),
    ("nhs-highland", "nhs-tayside"),
    ("nhs-highland", "nhs-western-isles"),
    ("nhs-lanarkshire", "nhs-lothian"),
    ("nhs-orkney", "nhs-shetland"),
]


def neighbours(slug: str) -> set[str]:
    return {b for a, b in NEIGHBOURING_BOARDS if a == slug} | {a for a, b in NEIGHBOURING_BOARDS if b == slug}


# -- the rules, each with the words the page shows ----------------------------------------------------------
POINTS = {
    "different_sector": 2,
    "same_board": 2,
    "neighbouring_board": 1,
    "further_on": 2,
    "council_board": 2,
}
RULES = [
    "A different sector: 2 points when the two share no sector.",
    "Nearby: 2 points in the same NHS board, 1 point in a neighbouring one.",
    "Further on with the Roadmap: 2 points when the suggested buddy's Roadmap stage is later.",
    "The health board for their council: 2 points when the suggested buddy works for the NHS board that "
    "covers the council area of the person asking.",
    "Then: those with fewer buddies already come first, then by name.",
]


def settings_for(user_id: int) -> BuddySetting:
    """The person's saved settings, or the defaults: not willing (not added to the session)."""
    return db.session.get(BuddySetting, user_id) or BuddySetting(
        user_id=user_id, willing=False, roadmap_stage=0
    )


def verified_profile(user) -> ChampionProfile | None:
    """The person's champion profile when it is verified and their account in use, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(ChampionProfile).where(
            ChampionProfile.user_id == user.id, ChampionProfile.status == Status.VERIFIED.value
        )
    )


def open_request_for(user_id: int) -> BuddyRequest | None:
    return db.session.scalar(select(BuddyRequest).where(BuddyRequest.open_key == user_id))


def requests_by(user_id: int) -> list[BuddyRequest]:
    return list(
        db.session.scalars(
            select(BuddyRequest).where(BuddyRequest.user_id == user_id).order_by(BuddyRequest.id.desc())
        )
    )


def buddy_request(request_id: int) -> BuddyRequest | None:
    return db.session.get(BuddyRequest, request_id, options=[joinedload(BuddyRequest.user)])


def pairing(pairing_id: int) -> BuddyPairing | None:
    return db.session.get(
        BuddyPairing,
        pairing_id,
        options=[joinedload(BuddyPairing.asker), joinedload(BuddyPairing.buddy)],
        populate_existing=True,
    )


def pairing_for_request(request_id: int) -> BuddyPairing | None:
    return db.session.scalar(select(BuddyPairing).where(BuddyPairing.request_id == request_id))


def pairings_for(user_id: int) -> list[BuddyPairing]:
    """The person's pairings: active ones first, then ended ones, newest first."""
    return list(
        db.session.scalars(
            select(BuddyPairing)
            .where(or_(BuddyPairing.asker_id == user_id, BuddyPairing.buddy_id == user_id))
            .options(joinedload(BuddyPairing.asker), joinedload(BuddyPairing.buddy))
            .order_by(
                BuddyPairing.ended_at.is_not(None), BuddyPairing.paired_at.desc(), BuddyPairing.id.desc()
            )
        )
    )


def active_pairings_for(user_ids: list[int]) -> list[BuddyPairing]:
    return list(
        db.session.scalars(
            select(BuddyPairing).where(
                BuddyPairing.ended_at.is_(None),
                or_(BuddyPairing.asker_id.in_(user_ids), BuddyPairing.buddy_id.in_(user_ids)),
            )
        )
    )


# -- coordinators: open requests, their areas first -------------------------------------------------------


def _local(area_ids: frozenset[int]):
    """A request is in these areas when the asker's account or champion profile is in one of them."""
    boards = select(CouncilArea.health_board_id).where(CouncilArea.id.in_(area_ids))
    profile_in = exists().where(
        ChampionProfile.user_id == BuddyRequest.user_id,
        or_(
            ChampionProfile.health_board_id.in_(boards),
            exists().where(
                champion_profile_areas.c.champion_profile_id == ChampionProfile.id,
                champion_profile_areas.c.council_area_id.in_(area_ids),
            ),
        ),
    )
    return or_(account_in_areas(area_ids), profile_in)


def open_requests(area_ids: frozenset[int]) -> list[tuple[BuddyRequest, bool]]:
    """Every open request of an account in use, oldest first, each with whether it is in these areas
    (those come first)."""
    local = case((_local(area_ids), True), else_=False) if area_ids else literal_column("0")
    rows = db.session.execute(
        select(BuddyRequest, local)
        .join(User, User.id == BuddyRequest.user_id)
        .where(BuddyRequest.status == RequestStatus.OPEN.value, User.active.is_(True))
        .options(joinedload(BuddyRequest.user).joinedload(User.council_area))
        .order_by(BuddyRequest.created_at, BuddyRequest.id)
    ).all()
    requests = [(r, bool(is_local)) for r, is_local in rows]
    return sorted(requests, key=lambda pair: not pair[1])


def open_request_counts(area_ids: frozenset[int]) -> tuple[int, int]:
    """Open requests in these areas, and all open requests (for /manage)."""
    flag = case((_local(area_ids), 1), else_=0) if area_ids else literal_column("0")
    row = db.session.execute(
        select(func.coalesce(func.sum(flag), 0), func.count(BuddyRequest.id))
        .join(User, User.id == BuddyRequest.user_id)
        .where(BuddyRequest.status == RequestStatus.OPEN.value, User.active.is_(True))
    ).one()
    return int(row[0]), int(row[1])


# -- suggested matches -----------------------------------------------------------------------------------


@dataclass
class Suggestion:
    profile: ChampionProfile
    setting: BuddySetting
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    buddies: int = 0  # active pairings they are in already


def _boards(profile: ChampionProfile | None, user: User) -> set[int]:
    """The NHS boards a person works in: their profile's areas and board, and their account's place."""
    found = set()
    if profile is not None:
        found |= {area.health_board_id for area in profile.council_areas}
        if profile.health_board_id:
            found.add(profile.health_board_id)
    if user.council_area is not None:
        found.add(user.council_area.health_board_id)
    if user.health_board_id:
        found.add(user.health_board_id)
    return found


def _council_boards(profile: ChampionProfile | None, user: User) -> set[int]:
    """The NHS boards covering the council areas a person works in."""
    areas = list(profile.council_areas) if profile is not None else []
    if user.council_area is not None:
        areas.append(user.council_area)
    return {area.health_board_id for area in areas}


def _works_for_board(profile: ChampionProfile, board_ids: set[int]) -> bool:
    """Works for one of these NHS boards: an NHS board organisation there, or a board-wide champion of it."""
    if profile.health_board_id in board_ids and profile.scope == "nhs-board":
        return True
    if profile.organisation.kind != OrganisationKind.NHS_BOARD:
        return False
    return bool(_boards(profile, profile.user) & board_ids)


def _candidates(asker_id: int, only: int | None = None) -> list[tuple[ChampionProfile, BuddySetting]]:
    paired = select(BuddyPairing.id).where(
        BuddyPairing.ended_at.is_(None),
        or_(
            and_(BuddyPairing.asker_id == asker_id, BuddyPairing.buddy_id == ChampionProfile.user_id),
            and_(BuddyPairing.buddy_id == asker_id, BuddyPairing.asker_id == ChampionProfile.user_id),
        ),
    )
    rows = db.session.execute(
        select(ChampionProfile, BuddySetting)
        .join(User, User.id == ChampionProfile.user_id)
        .join(BuddySetting, BuddySetting.user_id == ChampionProfile.user_id)
        .where(
            BuddySetting.willing.is_(True),
            ChampionProfile.status == Status.VERIFIED.value,
            ChampionProfile.user_id != asker_id,
            User.active.is_(True),
            User.email_verified_at.is_not(None),
            User.closed_at.is_(None),
            ~paired.exists(),
            *([ChampionProfile.user_id == only] if only is not None else []),
        )
        .options(
            joinedload(ChampionProfile.user).joinedload(User.council_area),
            joinedload(ChampionProfile.organisation),
            selectinload(ChampionProfile.council_areas),
            selectinload(ChampionProfile.sectors),
        )
    ).all()
    return [(profile, setting) for profile, setting in rows]


def _active_counts(user_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = dict.fromkeys(user_ids, 0)
    for p in active_pairings_for(user_ids) if user_ids else []:
        for uid in (p.asker_id, p.buddy_id):
            if uid in counts:
                counts[uid] += 1
    return counts


def suggestions(buddy_request: BuddyRequest) -> list[Suggestion]:
    """Verified champions who opted in and are not paired with the asker, best match first (see RULES)."""
    asker = buddy_request.user
    asker_profile = db.session.scalar(
        select(ChampionProfile)
        .where(ChampionProfile.user_id == asker.id)
        .options(selectinload(ChampionProfile.council_areas), selectinload(ChampionProfile.sectors))
    )
    asker_stage = settings_for(asker.id).roadmap_stage
    asker_sectors = {s.id for s in asker_profile.sectors} if asker_profile else set()
    asker_boards = _boards(asker_profile, asker)
    council_boards = _council_boards(asker_profile, asker)
    board_slugs = dict(db.session.execute(select(HealthBoard.id, HealthBoard.slug)).all())
    board_names = dict(db.session.execute(select(HealthBoard.id, HealthBoard.name)).all())
    near = {b for board in asker_boards for b in neighbours(board_slugs.get(board, ""))}

    found = [Suggestion(profile, setting) for profile, setting in _candidates(asker.id)]
    active = _active_counts([s.profile.user_id for s in found])
    for s in found:
        s.buddies = active[s.profile.user_id]
        theirs = _boards(s.profile, s.profile.user)
        if buddy_request.different_sector:
            sectors = {x.id for x in s.profile.sectors}
            if sectors and asker_sectors and not sectors & asker_sectors:
                s.score += POINTS["different_sector"]
                s.reasons.append("Works in a different sector")
        if buddy_request.nearby:
            if theirs & asker_boards:
                s.score += POINTS["same_board"]
                s.reasons.append("In the same NHS board")
            elif {board_slugs.get(b) for b in theirs} & near:
                s.score += POINTS["neighbouring_board"]
                s.reasons.append("In a neighbouring NHS board")
        if buddy_request.further_on and s.setting.roadmap_stage > asker_stage:
            s.score += POINTS["further_on"]
            label = s.setting.roadmap_label
            s.reasons.append(f"Further on with the Roadmap ({label[0].lower()}{label[1:]})")
        if buddy_request.council_board and council_boards and _works_for_board(s.profile, council_boards):
            names = ", ".join(sorted(board_names[b] for b in council_boards))
            s.score += POINTS["council_board"]
            s.reasons.append(f"Works for {names}, the health board for their council")
    found.sort(key=lambda s: (-s.score, s.buddies, s.profile.display_name.lower(), s.profile.id))
    return found[:SUGGESTIONS_SHOWN]


def can_be_paired(buddy_request: BuddyRequest, buddy_id: int) -> bool:
    """Whether this person may be paired with the asker: a willing verified champion not paired already."""
    return bool(_candidates(buddy_request.user_id, only=buddy_id))
