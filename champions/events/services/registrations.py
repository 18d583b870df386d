"""Registration with a capacity that holds under concurrent requests, the waitlist and attendance."""

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from champions import audit, mail
from champions.accounts.models import User
from champions.clock import utcnow
from champions.events.models import Event, EventStatus, Registration, RegistrationStatus
from champions.events.queries.listings import attendee_list
from champions.extensions import db
from champions.links import external_url
from champions.reference.models import Sector

CONFIRMED = RegistrationStatus.CONFIRMED.value
WAITLISTED = RegistrationStatus.WAITLISTED.value
CANCELLED = RegistrationStatus.CANCELLED.value


class RegistrationClosed(Exception):
    """The event is cancelled, not published, already started or past its deadline."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _lock_event(event_id: int) -> Event:
    """Lock the event row until commit, so seats are counted by one request at a time."""
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite ignores FOR UPDATE, and reads outside a transaction: a write that changes
        # nothing takes its database-wide write lock first, so two workers cannot both count.
        db.session.execute(update(Event).where(Event.id == event_id).values(updated_at=Event.updated_at))
    # Read afresh (not the copy this session loaded before the lock): its status and capacity now.
    return db.session.scalar(
        select(Event).where(Event.id == event_id).with_for_update().execution_options(populate_existing=True)
    )


def _confirmed_count(event_id: int) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event_id, Registration.status == CONFIRMED
        )
    )


def registration_of(event: Event, user: User) -> Registration | None:
    """Return the person's registration for the event, if they have one."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Registration).where(Registration.event_id == event.id, Registration.user_id == user.id)
    )


def register(event: Event, user: User, needs: str = "", sector: Sector | None = None) -> Registration:
    """Give the person a seat, or a waitlist place when the event is full. Registering twice is harmless."""
    now = utcnow()
    reason = event.registration_closed_reason(now)
    if reason:
        raise RegistrationClosed(reason)
    locked = _lock_event(event.id)
    reason = locked.registration_closed_reason(now)  # cancelled (or moved) since the check above read it
    if reason:
        db.session.rollback()
        raise RegistrationClosed(reason)
    registration = db.session.scalar(
        select(Registration).where(Registration.event_id == locked.id, Registration.user_id == user.id)
    )
    if registration and registration.status != CANCELLED:
        registration.needs, registration.sector = needs, sector
        db.session.commit()
        return registration
    full = locked.capacity is not None and _confirmed_count(locked.id) >= locked.capacity
    if registration is None:
        registration = Registration(event_id=locked.id, user_id=user.id)
        db.session.add(registration)
    registration.status = WAITLISTED if full else CONFIRMED
    registration.needs, registration.sector = needs, sector
    registration.created_at = registration.updated_at = now
    db.session.commit()
    return registration


def _promote(event: Event) -> Registration | None:
    """Move the longest-waiting person into a free seat and email them (no commit)."""
    if event.capacity is not None and _confirmed_count(event.id) >= event.capacity:
        return None
    first = db.session.scalar(
        select(Registration)
        .options(joinedload(Registration.user))
        .where(Registration.event_id == event.id, Registration.status == WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
        .limit(1)
    )
    if first is None:
        return None
    first.status, first.updated_at = CONFIRMED, utcnow()
    mail.queue(
        first.user.email,
        event.subject("A place has come up: "),
        "events/waitlist_promoted",
        user=first.user,
        event=event,
        event_url=external_url("events.detail", event_id=event.id),
    )
    return first


def cancel_registration(registration: Registration) -> Registration | None:
    """Cancel a registration; if it held a seat, give it to the first person waiting."""
    event = _lock_event(registration.event_id)
    held_seat = registration.status == CONFIRMED
    registration.status, registration.updated_at = CANCELLED, utcnow()
    db.session.flush()
    promoted = _promote(event) if held_seat and event.status == EventStatus.PUBLISHED else None
    db.session.commit()
    return promoted


def fill_free_seats(event: Event) -> list[Registration]:
    """After the capacity is raised, give the new seats to the people waiting longest."""
    locked = _lock_event(event.id)
    promoted = []
    while locked.status == EventStatus.PUBLISHED and (registration := _promote(locked)):
        db.session.flush()
        promoted.append(registration)
    db.session.commit()
    return promoted


def mark_attendance(actor: User, event: Event, attended_ids: set[int]) -> None:
    """Record who came: only confirmed places can be marked as attended."""
    for registration in attendee_list(event):
        registration.attended = registration.is_confirmed and registration.id in attended_ids
    audit.record(actor, "event.attendance", event, f"{len(attended_ids)} marked as attended")
    db.session.commit()
