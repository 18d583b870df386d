"""Champion workflows: apply, edit, consent, approve, decline, revoke and the audited CSV export."""

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from champions import audit, mail, versions
from champions.accounts.models import Role, User
from champions.accounts.services import assign_role
from champions.clock import utcnow
from champions.directory import queries
from champions.directory.models import ChampionProfile, ContactAudience, Scope, Status
from champions.directory.queries.profiles import LISTED
from champions.extensions import db
from champions.links import external_url
from champions.recent import forget
from champions.reference.models import CouncilArea, HealthBoard, NttpLevel, Sector
from champions.reference.services import find_or_create_organisation
from champions.small_numbers import plural


class NotPending(Exception):
    """Only a pending application can be approved or declined."""


class NotVerified(Exception):
    """Only a verified champion can have the role revoked."""


class OwnDecision(Exception):
    """Nobody decides on their own application."""


class AlreadyApplied(Exception):
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
    if queries.profile_for_user(user):
        raise AlreadyApplied
    profile = ChampionProfile(user=user, status=Status.PENDING.value, applied_at=utcnow())
    with db.session.no_autoflush:
        consent = _apply_details(profile, details)
    db.session.add(profile)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same application sent twice at once: the other one was saved
        db.session.rollback()
        raise AlreadyApplied from error
    audit.record(user, "champion.apply", profile)
    if consent:
        audit.record(user, consent, profile)
    db.session.commit()
    return profile


def update(profile: ChampionProfile, details: ProfileDetails, actor: User, seen: int | None = None) -> None:
    """Save the owner's changes; a declined or ended application goes back to the queue.

    `seen` is the version the edit form was opened on; a save over a newer version raises versions.Stale.
    """
    versions.claim(profile, seen)
    consent = _apply_details(profile, details)
    if consent:
        audit.record(actor, consent, profile)
    if profile.status in (Status.DECLINED, Status.REVOKED):
        profile.status = Status.PENDING.value
        profile.applied_at = utcnow()
        audit.record(actor, "champion.reapply", profile)
    db.session.commit()
    forget(LISTED)  # this process shows the change at once (champions.recent)


def set_listing(profile: ChampionProfile, listed: bool, actor: User) -> None:
    """Give or withdraw consent to be listed; withdrawing unlists the profile at once."""
    if listed == profile.is_listed:
        return
    now = utcnow() if listed else None
    # Only while it is as read: the same choice sent twice at once is given (and audited) once.
    was = (
        ChampionProfile.listing_consent_at.is_(None)
        if listed
        else ChampionProfile.listing_consent_at.is_not(None)
    )
    if not versions.take(profile, was, listing_consent_at=now):
        return
    profile.listing_consent_at = now
    audit.record(actor, "champion.consent_given" if listed else "champion.consent_withdrawn", profile)
    db.session.commit()
    forget(LISTED)  # this process shows the change at once (champions.recent)


def _decide(actor: User, profile: ChampionProfile, status: Status, reason: str, was: Status) -> None:
    """Record the decision, only while the profile is still as read: of two decisions sent at once (a double
    click, two coordinators) one is made, emailed and audited; the other meets the error a later one would."""
    if profile.user_id == actor.id:
        raise OwnDecision
    if not versions.take(profile, ChampionProfile.status == was.value, status=status.value):
        raise NotVerified if was == Status.VERIFIED else NotPending
    profile.status = status.value
    profile.decision_reason = reason
    profile.decided_at = utcnow()
    profile.decided_by = actor


def _tell(profile: ChampionProfile, subject: str, template: str, **context) -> None:
    mail.queue(
        profile.user.email,
        subject,
        template,
        profile=profile,
        profile_url=external_url("directory.detail", profile_id=profile.id),
        **context,
    )


def approve(actor: User, profile: ChampionProfile, reason: str = "") -> None:
    """Verify the champion and give the champion role (never lowering a higher one)."""
    if profile.status != Status.PENDING:
        raise NotPending
    _decide(actor, profile, Status.VERIFIED, reason, was=Status.PENDING)
    audit.record(actor, "champion.approve", profile, reason)
    role_changed = profile.user.role < Role.CHAMPION
    if role_changed:
        assign_role(actor, profile.user, Role.CHAMPION)
    _tell(
        profile,
        "You are now a verified trauma champion",
        "directory/champion_approved",
        role_changed=role_changed,
    )
    db.session.commit()
    forget(LISTED)  # this process shows the change at once (champions.recent)


def decline(actor: User, profile: ChampionProfile, reason: str) -> None:
    if profile.status != Status.PENDING:
        raise NotPending
    _decide(actor, profile, Status.DECLINED, reason, was=Status.PENDING)
    audit.record(actor, "champion.decline", profile, reason)
    _tell(profile, "About your trauma champion application", "directory/champion_declined")
    db.session.commit()


ROLE_ENDS = "champions.directory.role_ends"  # app.extensions key: callables taking the person


def revoke(actor: User, profile: ChampionProfile, reason: str) -> None:
    """End a champion's verification; only the champion role itself is taken back."""
    if profile.status != Status.VERIFIED:
        raise NotVerified
    _decide(actor, profile, Status.REVOKED, reason, was=Status.VERIFIED)
    audit.record(actor, "champion.revoke", profile, reason)
    if profile.user.role == Role.CHAMPION:
        assign_role(actor, profile.user, Role.MEMBER)
    # What features built on the directory do when a champion's role ends (wired in create_app, as the
    # directory cannot import them): buddies end the person's pairings.
    for rule in current_app.extensions.get(ROLE_ENDS, ()):
        rule(profile.user)
    _tell(profile, "Your trauma champion role has ended", "directory/champion_revoked")
    db.session.commit()
    forget(LISTED)  # this process shows the change at once (champions.recent)


def export_csv(actor: User, filters: queries.Filters) -> str:
    """Write the listed, verified champions matching the filters, and record who took a copy."""
    text, count = queries.directory_csv(filters)
    audit.record(actor, "champion.export", actor, plural(count, "champion"))
    db.session.commit()
    return text
