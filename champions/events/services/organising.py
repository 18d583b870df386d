"""An organiser's writes: creating, changing, publishing and cancelling events, emails and the report."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from champions import audit, mail, once, versions
from champions.accounts.models import User
from champions.clock import utcnow
from champions.events.models import Event, EventStatus, Registration, RegistrationStatus
from champions.events.queries.listings import LISTED
from champions.events.services.registrations import fill_free_seats
from champions.extensions import db
from champions.links import external_url
from champions.recent import forget
from champions.small_numbers import plural


def _apply(event: Event, values: dict) -> None:
    for name, value in values.items():
        setattr(event, name, value)


def create_event(actor: User, values: dict, form_key: str | None = None) -> Event:
    """Save a new event as a draft; the same form sent twice makes one event and returns it."""
    actor_id = actor.id
    try:
        once.check(actor_id, form_key)
        event = Event(created_by=actor)
        _apply(event, values)
        db.session.add(event)
        db.session.flush()
        audit.record(actor, "event.create", event, event.title)
        once.commit(actor_id, form_key, "events.create", event.id)
    except once.AlreadyDone as done:
        return db.session.get_one(Event, done.target_id)
    return event


# What registrants are told about when it changes: a heading and the fields behind it.
TOLD_CHANGES = {
    "Date and time": ("starts_at", "ends_at"),
    "Place": ("format", "venue", "address"),
    "Joining details": ("joining_link",),
}


def _told_changes(event: Event, values: dict) -> list[str]:
    return [
        heading
        for heading, names in TOLD_CHANGES.items()
        if any(name in values and values[name] != getattr(event, name) for name in names)
    ]


def update_event(actor: User, event: Event, values: dict, seen: int | None = None) -> None:
    """Save changes to an event, tell registrants if it moved, then fill any seats a larger capacity frees.

    `seen` is the version the edit form was opened on; a save over a newer version raises versions.Stale.
    """
    if seen is not None and seen != event.version and versions.unchanged(event, values):
        return  # the same save sent twice: the first one holds it already
    versions.claim(event, seen)
    changes = _told_changes(event, values)
    _apply(event, values)
    audit.record(actor, "event.update", event, event.title)
    if changes and event.is_published:
        for registration in _active_registrations(event):
            mail.queue(
                registration.user.email,
                event.subject("Changed: "),
                "events/event_changed",
                user=registration.user,
                event=event,
                changes=changes,
                event_url=external_url("events.detail", event_id=event.id),
            )
    db.session.commit()
    forget(LISTED)  # this process lists the change at once (champions.recent)
    fill_free_seats(event)  # a larger capacity lets people off the waiting list


def publish_event(actor: User, event: Event) -> None:
    """Make a draft visible to members and open for registration; publishing twice at once is one (audited
    once): the draft is held in SQL only while it is still a draft."""
    if not versions.take(event, Event.status == EventStatus.DRAFT.value, status=EventStatus.PUBLISHED.value):
        return
    event.status = EventStatus.PUBLISHED.value
    audit.record(actor, "event.publish", event, event.title)
    db.session.commit()
    forget(LISTED)


def _active_registrations(event: Event) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .options(joinedload(Registration.user))
            .where(
                Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED.value
            )
        )
    )


def cancel_event(actor: User, event: Event, reason: str = "") -> int | None:
    """Cancel the published event and tell everyone registered or waiting; return how many were told, or None
    when it was cancelled already (the same form sent twice at once tells each person once) or is a draft
    (a cancelled event shows to everyone, so a draft is never cancelled: it stays its organisers' own)."""
    cancelled = EventStatus.CANCELLED.value
    if not versions.take(event, Event.status == EventStatus.PUBLISHED.value, status=cancelled):
        return None
    event.status = cancelled
    registrations = _active_registrations(event)
    for registration in registrations:
        mail.queue(
            registration.user.email,
            event.subject("Cancelled: "),
            "events/event_cancelled",
            user=registration.user,
            event=event,
            reason=reason,
            events_url=external_url("events.index"),
        )
    audit.record(actor, "event.cancel", event, f"{event.title}; {len(registrations)} told")
    db.session.commit()
    forget(LISTED)
    return len(registrations)


def email_registrants(
    actor: User, event: Event, subject: str, body: str, form_key: str | None = None
) -> int | None:
    """Email everyone registered or waiting; return how many, or None if this form was sent already."""
    try:
        once.check(actor.id, form_key)
    except once.AlreadyDone:
        return None
    actor_id, event_id = actor.id, event.id
    registrations = _active_registrations(event)
    for registration in registrations:
        mail.queue(
            registration.user.email,
            subject,
            "events/event_message",
            user=registration.user,
            event=event,
            body=body,
            event_url=external_url("events.detail", event_id=event.id),
        )
    audit.record(actor, "event.email", event, f"{subject}; {plural(len(registrations), 'recipient')}")
    try:
        once.commit(actor_id, form_key, "events.email", event_id)
    except once.AlreadyDone:
        return None
    return len(registrations)


def save_report_text(actor: User, event: Event, key_messages: str, summary: str, publish: bool) -> None:
    """Save the learning report's own words, publishing or withdrawing it."""
    # Held while the report is published (or not) as read, so a choice sent twice at once is audited once.
    for _ in range(2):
        published = Event.report_published_at.is_not(None)
        if versions.take(event, published if event.report_published_at else ~published):
            break
        db.session.refresh(event)  # the other sending changed it: act on what it left
    event.report_key_messages, event.report_summary = key_messages, summary
    if publish and event.report_published_at is None:
        event.report_published_at = utcnow()
        audit.record(actor, "event.report.publish", event, event.title)
    elif not publish and event.report_published_at is not None:
        event.report_published_at = None
        audit.record(actor, "event.report.unpublish", event, event.title)
    db.session.commit()
