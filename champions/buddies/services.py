"""Settings, asking for a buddy, pairing (by a coordinator), ending a pairing, mail, and erasure."""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from champions import audit, mail
from champions.accounts.models import User
from champions.buddies import queries
from champions.buddies.models import BuddyPairing, BuddyRequest, BuddySetting, RequestStatus
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.links import external_url
from champions.own_rows import save_own_row


class NotAVerifiedChampion(Exception):
    """Buddies are for verified champions: the person has no verified profile."""


class RequestNotOpen(Exception):
    """The request has been paired or withdrawn already (perhaps by another coordinator just now)."""


class CannotPair(Exception):
    """The chosen person is not (or no longer) someone who can be this champion's buddy."""


class AskerNotAvailable(Exception):
    """The person who asked is no longer a verified champion with an account in use."""


def save_settings(user: User, willing: bool, roadmap_stage: int) -> None:
    if queries.verified_profile(user) is None:
        raise NotAVerifiedChampion
    save_own_row(
        BuddySetting,
        user.id,
        {"willing": willing, "roadmap_stage": roadmap_stage},
        defaults={"willing": False, "roadmap_stage": 0},
    )


def ask(
    user: User,
    different_sector: bool,
    nearby: bool,
    further_on: bool,
    council_board: bool,
    note: str,
) -> BuddyRequest:
    """Ask for a buddy; while a request is open, asking again returns it unchanged (one per person)."""
    if queries.verified_profile(user) is None:
        raise NotAVerifiedChampion
    user_id = user.id
    existing = queries.open_request_for(user_id)
    if existing is not None:
        return existing
    buddy_request = BuddyRequest(
        user_id=user_id,
        open_key=user_id,
        different_sector=different_sector,
        nearby=nearby,
        further_on=further_on,
        council_board=council_board,
        note=note,
    )
    db.session.add(buddy_request)
    try:
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the other request made it
        db.session.rollback()
        return queries.open_request_for(user_id)
    return buddy_request


def _close_request(buddy_request: BuddyRequest, status: RequestStatus) -> bool:
    """Close the request only if it is still open, in SQL: True for the one request that closed it."""
    closed = db.session.execute(
        update(BuddyRequest)
        .where(BuddyRequest.id == buddy_request.id, BuddyRequest.status == RequestStatus.OPEN.value)
        .values(status=status.value, open_key=None, closed_at=utcnow()),
        execution_options={"synchronize_session": False},
    ).rowcount
    return closed == 1


def withdraw(buddy_request: BuddyRequest) -> bool:
    """The person no longer wants a buddy from this request; a second withdrawal finds it closed.

    Returns False when it was closed already: withdrawn before, or paired by a coordinator meanwhile."""
    closed = _close_request(buddy_request, RequestStatus.WITHDRAWN)
    db.session.commit()
    db.session.refresh(buddy_request)
    return closed


def pair(coordinator: User, buddy_request: BuddyRequest, buddy_id: int) -> BuddyPairing:
    """Pair the person who asked with this buddy, audited, and email both.

    The request is closed by an UPDATE that needs it still open, and a pairing has a unique request, so
    two coordinators confirming at once (or one confirming twice) make one pairing: the other is told.
    """
    asker_id = buddy_request.user_id
    db.session.refresh(buddy_request)
    if not buddy_request.is_open:
        raise RequestNotOpen
    asker = db.session.get(User, asker_id)
    if queries.verified_profile(asker) is None or not asker.is_active or asker.is_closed:
        raise AskerNotAvailable
    if buddy_id == asker_id or not queries.can_be_paired(buddy_request, buddy_id):
        db.session.refresh(buddy_request)  # paired by a sending that finished just now: the same answer as it
        raise CannotPair if buddy_request.is_open else RequestNotOpen
    if not _close_request(buddy_request, RequestStatus.PAIRED):
        db.session.rollback()
        raise RequestNotOpen
    pairing = BuddyPairing(
        request_id=buddy_request.id,
        asker_id=asker_id,
        buddy_id=buddy_id,
        active_key=BuddyPairing.key_for(asker_id, buddy_id),
        paired_by_id=coordinator.id,
    )
    db.session.add(pairing)
    try:
        db.session.flush()
    except IntegrityError:  # they were paired from another request at the same moment
        db.session.rollback()
        raise RequestNotOpen from None
    audit.record(coordinator, "buddies.pair", pairing, f"request {buddy_request.id}")
    _tell_paired(pairing)
    db.session.commit()
    return pairing


def _profile(user_id: int) -> ChampionProfile | None:
    return db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user_id))


def _tell_paired(pairing: BuddyPairing) -> None:
    """Email each of the two the other's contact details and a short guide (no commit)."""
    asker, buddy = db.session.get(User, pairing.asker_id), db.session.get(User, pairing.buddy_id)
    for person, other in ((asker, buddy), (buddy, asker)):
        mail.queue(
            person.email,
            f"Your buddy in the Trauma Champions Network: {other.name}"[:200],
            "buddies/paired",
            user=person,
            other=other,
            profile=_profile(other.id),
            asked=person.id == pairing.asker_id,
            pairing_url=external_url("buddies.pairing", pairing_id=pairing.id),
        )


def end(pairing: BuddyPairing, user: User) -> bool:
    """End the pairing, no reason asked; the other person is told gently. A second ending does nothing."""
    ended = db.session.execute(
        update(BuddyPairing)
        .where(BuddyPairing.id == pairing.id, BuddyPairing.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_by_id=user.id, active_key=None),
        execution_options={"synchronize_session": False},
    ).rowcount
    if ended == 1:
        other = pairing.other_person(user)
        if other.is_active and not other.is_closed:
            _tell_ended(other, pairing, name=user.name)
    db.session.commit()
    db.session.refresh(pairing)
    return ended == 1


def _tell_ended(person: User, pairing: BuddyPairing, name: str | None, why: str = "left") -> None:
    mail.queue(
        person.email,
        "Your buddy pairing has ended",
        "buddies/ended",
        user=person,
        name=name,
        why=why,
        buddies_url=external_url("buddies.index"),
    )


def _end_everything_of(user_ids: list[int], why: str) -> None:
    """End these people's pairings, telling each other person gently without naming them (why: "left" the
    network, or their champion "role" ended; never more than that), and withdraw their open requests."""
    now = utcnow()
    active = queries.active_pairings_for(user_ids)
    leaving = set(user_ids)
    for pairing in active:
        for other_id in {pairing.asker_id, pairing.buddy_id} - leaving:
            other = db.session.get(User, other_id)
            if other is not None and other.is_active and not other.is_closed:
                _tell_ended(other, pairing, name=None, why=why)
    if active:
        db.session.execute(
            update(BuddyPairing)
            .where(BuddyPairing.id.in_([p.id for p in active]), BuddyPairing.ended_at.is_(None))
            .values(ended_at=now, active_key=None),
            execution_options={"synchronize_session": False},
        )
    db.session.execute(
        update(BuddyRequest)
        .where(BuddyRequest.user_id.in_(user_ids), BuddyRequest.status == RequestStatus.OPEN.value)
        .values(status=RequestStatus.WITHDRAWN.value, open_key=None, closed_at=now),
        execution_options={"synchronize_session": False},
    )


def end_for_former_champion(user: User) -> None:
    """When a champion's verification ends (no commit): buddies pair verified champions only, so their
    pairings end (the other person told that the role ended, never why) and their open requests are
    withdrawn. Their settings stay: if they are verified again, they choose afresh whether to be asked."""
    _end_everything_of([user.id], why="role")


def erase_for(user_ids: list[int]) -> None:
    """On closing accounts (no commit): end their pairings, telling the other person gently without naming
    them; withdraw their open requests and empty their words; drop their settings. Pairings stay as the
    other person's history, with the closed account shown as a former member."""
    _end_everything_of(user_ids, why="left")
    db.session.execute(
        update(BuddyRequest).where(BuddyRequest.user_id.in_(user_ids)).values(note=""),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        BuddySetting.__table__.delete().where(BuddySetting.user_id.in_(user_ids)),
        execution_options={"synchronize_session": False},
    )
