"""Work waiting for organisers: waiting lists, attendance not yet recorded, learning reports not published."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, exists, func, literal_column, or_, select

from champions.accounts.models import User
from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.events.models import (
    Event,
    EventStatus,
    Feedback,
    Registration,
    RegistrationStatus,
    event_organisers,
)
from champions.extensions import db

SHOWN = 10  # events named per group; the count says how many there are in all


@dataclass(frozen=True)
class WaitingEvent:
    id: int
    title: str
    starts_at: datetime
    people: int  # on the waiting list, or with a place, as the kind of work says


@dataclass
class EventWork:
    """The events needing one kind of work, split into those in the given areas and the rest."""

    in_areas: list[WaitingEvent] = field(default_factory=list)
    elsewhere: list[WaitingEvent] = field(default_factory=list)
    in_areas_total: int = 0
    elsewhere_total: int = 0


def _organised_by(user: User | None) -> list:
    """Limit to events this person organises; None means every event (an admin may manage them all)."""
    if user is None:
        return []
    # The event pages let only organisers and admins in, so a coordinator is shown their own events.
    named = select(event_organisers.c.event_id).where(event_organisers.c.user_id == user.id)
    return [or_(Event.created_by_id == user.id, Event.id.in_(named))]


def _split(people, conditions: list, area_ids: frozenset[int], order) -> EventWork:
    """Run one query: each group's first SHOWN events in order, with the group's size."""
    if area_ids:
        local = case(
            (and_(Event.council_area_id.is_not(None), Event.council_area_id.in_(area_ids)), 1), else_=0
        )
    else:
        local = literal_column("0")
    ranked = (
        select(
            Event.id,
            Event.title,
            Event.starts_at,
            people.label("people"),
            local.label("local"),
            func.row_number().over(partition_by=local, order_by=order).label("place"),
            func.count().over(partition_by=local).label("group_size"),
        )
        .where(*conditions)
        .subquery()
    )
    rows = db.session.execute(
        select(ranked).where(ranked.c.place <= SHOWN).order_by(ranked.c.local.desc(), ranked.c.place)
    )
    work = EventWork()
    for row in rows:
        event = WaitingEvent(row.id, row.title, row.starts_at, int(row.people))
        if row.local:
            work.in_areas.append(event)
            work.in_areas_total = int(row.group_size)
        else:
            work.elsewhere.append(event)
            work.elsewhere_total = int(row.group_size)
    return work


def _registrations(status: RegistrationStatus):
    return (
        select(func.count(Registration.id))
        .where(Registration.event_id == Event.id, Registration.status == status.value)
        .scalar_subquery()
    )


def with_waiting_lists(area_ids: frozenset[int], organiser: User | None, now: datetime | None = None):
    """Events still to come with someone on the waiting list, soonest first."""
    now = now or utcnow()
    waiting = _registrations(RegistrationStatus.WAITLISTED)
    conditions = [Event.status == EventStatus.PUBLISHED.value, Event.starts_at > now, waiting > 0]
    return _split(waiting, [*conditions, *_organised_by(organiser)], area_ids, (Event.starts_at, Event.id))


def attendance_not_recorded(area_ids: frozenset[int], organiser: User | None, now: datetime | None = None):
    """Past events with places given but no attendance saved, most recent first."""
    now = now or utcnow()
    places = _registrations(RegistrationStatus.CONFIRMED)
    # Saving the attendance list records it in the audit log, even when no one is ticked as there.
    saved = exists().where(
        AuditEntry.action == "event.attendance",
        AuditEntry.target_type == "event",
        AuditEntry.target_id == Event.id,
    )
    ticked = exists().where(Registration.event_id == Event.id, Registration.attended.is_(True))
    conditions = [
        Event.status == EventStatus.PUBLISHED.value,
        Event.ends_at <= now,
        places > 0,
        ~saved,
        ~ticked,
        *_organised_by(organiser),
    ]
    return _split(places, conditions, area_ids, (Event.starts_at.desc(), Event.id.desc()))


def report_not_published(area_ids: frozenset[int], organiser: User | None, now: datetime | None = None):
    """Past events with feedback whose learning report is not yet published, most recent first."""
    now = now or utcnow()
    answers = select(func.count(Feedback.id)).where(Feedback.event_id == Event.id).scalar_subquery()
    conditions = [
        Event.status == EventStatus.PUBLISHED.value,
        Event.ends_at <= now,
        Event.report_published_at.is_(None),
        answers > 0,
        *_organised_by(organiser),
    ]
    return _split(answers, conditions, area_ids, (Event.starts_at.desc(), Event.id.desc()))
