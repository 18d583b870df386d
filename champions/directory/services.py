"""Champion workflows: apply, edit, approve, decline and revoke, and the directory queries."""

from dataclasses import dataclass, field

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from champions import mail
from champions.accounts.models import Role, User
from champions.accounts.services import audit, end_sessions, external_url
from champions.clock import utcnow
from champions.directory.models import (
    SCOPE_RANK,
    ChampionProfile,
    ContactAudience,
    Scope,
    Status,
    champion_profile_areas,
)
from champions.extensions import db
from champions.reference.models import CouncilArea, HealthBoard, NttpLevel, Organisation, Sector
from champions.reference.services import find_or_create_organisation

PER_PAGE = 20


class NotPending(Exception):  # noqa: N818 - named for the rule, like EventFull
    """Only a pending application can be approved or declined."""


class NotVerified(Exception):  # noqa: N818 - named for the rule, like EventFull
    """Only a verified champion can have the role revoked."""


class OwnDecision(Exception):  # noqa: N818 - named for the rule, like EventFull
    """Nobody decides on their own application."""


class AlreadyApplied(Exception):  # noqa: N818 - named for the rule, like EventFull
    """Each person has one champion profile."""


@dataclass
class ProfileDetails:
    """What a person can say about themselves: never the status, the verified flag or a role."""

    display_name: str
    job_title: str
    organisation: str
    scope: str = Scope.LOCAL.value
    council_areas: list[CouncilArea] = field(default_factory=list)
    health_board: HealthBoard | None = None
    sectors: list[Sector] = field(default_factory=list)
    levels: list[NttpLevel] = field(default_factory=list)
    stilt_completed: bool = False
    bio: str = ""
    phone: str = ""
    contact_audience: str = ContactAudience.MEMBERS.value
    listed: bool = False


@dataclass
class Facets:
    """The reference lists the directory filters offer, loaded in three queries."""

    council_areas: list[CouncilArea]
    health_boards: list[HealthBoard]
    sectors: list[Sector]
    levels: list[NttpLevel]


@dataclass
class Filters:
    council_area: CouncilArea | None = None
    health_board: HealthBoard | None = None
    sector: Sector | None = None
    level: NttpLevel | None = None
    query: str = ""

    @property
    def active(self) -> bool:
        return any((self.council_area, self.health_board, self.sector, self.level, self.query))


def facets() -> Facets:
    areas = list(db.session.scalars(
        select(CouncilArea).options(joinedload(CouncilArea.health_board)).order_by(CouncilArea.name)))
    boards = sorted({area.health_board for area in areas}, key=lambda board: board.name)
    sectors = list(db.session.scalars(select(Sector).order_by(Sector.position)))
    levels = list(db.session.scalars(select(NttpLevel).order_by(NttpLevel.position)))
    return Facets(areas, boards, sectors, levels)


def profile_for_user(user) -> ChampionProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))


def _public():
    return (ChampionProfile.status == Status.VERIFIED.value,
            ChampionProfile.listing_consent_at.is_not(None), User.active.is_(True))


def _scope_rank():
    return case({scope.value: rank for scope, rank in SCOPE_RANK.items()}, value=ChampionProfile.scope)


def _covering(area_ids):
    """Profiles covering any of these council areas (a list or a subquery of ids)."""
    return ChampionProfile.id.in_(select(champion_profile_areas.c.champion_profile_id)
                                  .where(champion_profile_areas.c.council_area_id.in_(area_ids)))


def directory_query(filters: Filters):
    """Listed, verified champions matching the filters; local ones first when filtering by place."""
    statement = (
        select(ChampionProfile).join(ChampionProfile.user).join(ChampionProfile.organisation)
        .outerjoin(ChampionProfile.health_board).where(*_public())
        .options(contains_eager(ChampionProfile.user), contains_eager(ChampionProfile.organisation),
                 contains_eager(ChampionProfile.health_board), selectinload(ChampionProfile.council_areas),
                 selectinload(ChampionProfile.sectors), selectinload(ChampionProfile.levels))
    )
    if filters.council_area:
        statement = statement.where(_covering([filters.council_area.id]))
    if filters.health_board:
        area_ids = select(CouncilArea.id).where(CouncilArea.health_board_id == filters.health_board.id)
        statement = statement.where(or_(_covering(area_ids), ChampionProfile.scope == Scope.NATIONAL.value,
                                        ChampionProfile.health_board_id == filters.health_board.id))
    if filters.sector:
        statement = statement.where(ChampionProfile.sectors.any(Sector.id == filters.sector.id))
    if filters.level:
        statement = statement.where(ChampionProfile.levels.any(NttpLevel.id == filters.level.id))
    if filters.query:
        needle = filters.query.lower()
        statement = statement.where(or_(
            *(func.lower(column).contains(needle, autoescape=True)
              for column in (ChampionProfile.display_name, Organisation.name, ChampionProfile.bio))))
    order = [ChampionProfile.display_name, ChampionProfile.id]
    if filters.council_area or filters.health_board:
        order.insert(0, _scope_rank())
    return statement.order_by(*order)


def directory_page(filters: Filters, page: int, per_page: int = PER_PAGE):
    return db.paginate(directory_query(filters), page=page, per_page=per_page, error_out=False)


def local_champions(user, limit: int = 12) -> list[ChampionProfile]:
    """The champions for the person's own council area (or NHS board), local ones first."""
    area = getattr(user, "council_area", None)
    board = getattr(user, "health_board", None)
    if area is None and board is None:
        return []
    filters = Filters(council_area=area, health_board=None if area else board)
    return list(db.session.scalars(directory_query(filters).limit(limit)).unique())


def profile_with_details(profile_id: int) -> ChampionProfile | None:
    return db.session.scalar(
        select(ChampionProfile).where(ChampionProfile.id == profile_id)
        .options(joinedload(ChampionProfile.user), joinedload(ChampionProfile.organisation),
                 joinedload(ChampionProfile.health_board), selectinload(ChampionProfile.council_areas),
                 selectinload(ChampionProfile.sectors), selectinload(ChampionProfile.levels)))


def _apply_details(profile: ChampionProfile, details: ProfileDetails) -> str:
    """Copy the details onto the profile; return the consent change to audit ('' when none)."""
    profile.display_name = " ".join(details.display_name.split())
    profile.job_title = " ".join(details.job_title.split())
    profile.organisation = find_or_create_organisation(details.organisation)
    profile.scope = details.scope
    if details.scope == Scope.NATIONAL:
        profile.health_board = None
        profile.council_areas = list(db.session.scalars(select(CouncilArea).order_by(CouncilArea.name)))
    elif details.scope == Scope.NHS_BOARD and details.health_board:
        profile.health_board = details.health_board
        profile.council_areas = list(details.health_board.council_areas)
    else:
        profile.health_board = None
        profile.council_areas = list(details.council_areas)
    profile.sectors = list(details.sectors)
    profile.levels = list(details.levels)
    profile.stilt_completed = details.stilt_completed
    profile.bio = details.bio
    profile.phone = details.phone
    profile.contact_audience = details.contact_audience
    if details.listed and profile.listing_consent_at is None:
        profile.listing_consent_at = utcnow()
        return "champion.consent_given"
    if not details.listed and profile.listing_consent_at is not None:
        profile.listing_consent_at = None
        return "champion.consent_withdrawn"
    return ""


def apply(user: User, details: ProfileDetails) -> ChampionProfile:
    """Make the person's champion profile and put it in the coordinators' queue."""
    if profile_for_user(user):
        raise AlreadyApplied
    profile = ChampionProfile(user=user, status=Status.PENDING.value, applied_at=utcnow())
    with db.session.no_autoflush:
        consent = _apply_details(profile, details)
    db.session.add(profile)
    db.session.flush()
    audit(user, "champion.apply", profile)
    if consent:
        audit(user, consent, profile)
    db.session.commit()
    return profile


def update(profile: ChampionProfile, details: ProfileDetails, actor: User) -> None:
    """Save the owner's changes; a declined or ended application goes back to the queue."""
    consent = _apply_details(profile, details)
    if consent:
        audit(actor, consent, profile)
    if profile.status in (Status.DECLINED, Status.REVOKED):
        profile.status = Status.PENDING.value
        profile.applied_at = utcnow()
        audit(actor, "champion.reapply", profile)
    db.session.commit()


def set_listing(profile: ChampionProfile, listed: bool, actor: User) -> None:
    """Give or withdraw consent to be listed; withdrawing unlists the profile at once."""
    if listed == profile.is_listed:
        return
    profile.listing_consent_at = utcnow() if listed else None
    audit(actor, "champion.consent_given" if listed else "champion.consent_withdrawn", profile)
    db.session.commit()


def _set_role(actor: User, user: User, role: Role) -> None:
    audit(actor, "role.change", user, f"{user.role_enum.label} to {role.label}")
    user.role = role.value
    end_sessions(user)


def _decide(actor: User, profile: ChampionProfile, status: Status, reason: str) -> None:
    if profile.user_id == actor.id:
        raise OwnDecision
    profile.status = status.value
    profile.decision_reason = reason
    profile.decided_at = utcnow()
    profile.decided_by = actor


def _tell(profile: ChampionProfile, subject: str, template: str, **context) -> None:
    mail.queue(profile.user.email, subject, template, profile=profile,
               profile_url=external_url(f"/champions/{profile.id}"), **context)


def approve(actor: User, profile: ChampionProfile, reason: str = "") -> None:
    """Verify the champion and give the champion role (never lowering a higher one)."""
    if profile.status != Status.PENDING:
        raise NotPending
    _decide(actor, profile, Status.VERIFIED, reason)
    audit(actor, "champion.approve", profile, reason)
    role_changed = profile.user.role < Role.CHAMPION
    if role_changed:
        _set_role(actor, profile.user, Role.CHAMPION)
    _tell(profile, "You are now a verified trauma champion", "champion_approved", role_changed=role_changed)
    db.session.commit()


def decline(actor: User, profile: ChampionProfile, reason: str) -> None:
    if profile.status != Status.PENDING:
        raise NotPending
    _decide(actor, profile, Status.DECLINED, reason)
    audit(actor, "champion.decline", profile, reason)
    _tell(profile, "About your trauma champion application", "champion_declined")
    db.session.commit()


def revoke(actor: User, profile: ChampionProfile, reason: str) -> None:
    """End a champion's verification; only the champion role itself is taken back."""
    if profile.status != Status.VERIFIED:
        raise NotVerified
    _decide(actor, profile, Status.REVOKED, reason)
    audit(actor, "champion.revoke", profile, reason)
    if profile.user.role == Role.CHAMPION:
        _set_role(actor, profile.user, Role.MEMBER)
    _tell(profile, "Your trauma champion role has ended", "champion_revoked")
    db.session.commit()


def applications_page(status: Status, page: int, per_page: int = 50):
    """Profiles in one state for coordinators, oldest application first."""
    statement = (select(ChampionProfile).where(ChampionProfile.status == status.value)
                 .options(joinedload(ChampionProfile.user), joinedload(ChampionProfile.organisation),
                          joinedload(ChampionProfile.health_board),
                          selectinload(ChampionProfile.council_areas))
                 .order_by(ChampionProfile.applied_at, ChampionProfile.id))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def status_counts() -> dict[str, int]:
    rows = db.session.execute(select(ChampionProfile.status, func.count()).group_by(ChampionProfile.status))
    counts = {status.value: 0 for status in Status}
    counts.update({status: count for status, count in rows})
    return counts
