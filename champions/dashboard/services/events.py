"""Facts about events: those held, registrations and attendance, feedback, its themes, and pledges."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import select

from champions.dashboard.queries import month_of
from champions.dashboard.services.facts import Fact, links, names_of
from champions.events import queries as event_queries
from champions.events.models import (
    ANSWER_LABELS,
    OWN,
    PLEDGE_CHOICES,
    TYPE_LABELS,
    Event,
    EventStatus,
    EventType,
    Feedback,
    Pledge,
    Registration,
    RegistrationStatus,
    event_levels,
    event_sectors,
)
from champions.extensions import db
from champions.reference.models import NttpLevel

NO_ANSWER = "No answer"


def event_facts(first: date, now: datetime) -> Iterator[Fact]:
    levels_of = links(event_levels, "event_id", "level_id")
    sectors_of = links(event_sectors, "event_id", "sector_id")
    level_names = names_of(NttpLevel)
    held = select(Event.id, Event.event_type, Event.council_area_id, Event.starts_at).where(
        Event.status == EventStatus.PUBLISHED, Event.ends_at <= now, Event.starts_at >= first
    )
    events = {row.id: row for row in db.session.execute(held)}

    def labels(event_id: int) -> list[tuple[str, str]]:
        event = events[event_id]
        found = [("type", TYPE_LABELS[EventType(event.event_type)])]
        return found + [("level", level_names[level]) for level in levels_of.get(event_id, ())]

    def where(event_id: int) -> frozenset[int]:
        area = events[event_id].council_area_id
        return frozenset({area}) if area is not None else frozenset()

    for event_id, event in events.items():
        month = month_of(event.starts_at)
        for kind, label in labels(event_id):
            yield Fact(
                f"events_by_{kind}",
                month,
                label,
                where(event_id),
                sectors_of.get(event_id, frozenset()),
                event_id,
            )
    registrations = select(
        Registration.id, Registration.event_id, Registration.sector_id, Registration.attended
    ).where(
        Registration.status == RegistrationStatus.CONFIRMED, Registration.event_id.in_(list(events) or [0])
    )
    for registration, event_id, sector, attended in db.session.execute(registrations):
        month = month_of(events[event_id].starts_at)
        sectors = frozenset({sector}) if sector is not None else frozenset()
        for kind, label in labels(event_id):
            yield Fact(f"registrations_by_{kind}", month, label, where(event_id), sectors, registration)
            if attended:
                yield Fact(f"attended_by_{kind}", month, label, where(event_id), sectors, registration)
    feedback = select(Feedback.id, Feedback.event_id, Feedback.rating).where(
        Feedback.event_id.in_(list(events) or [0])
    )
    for answer, event_id, rating in db.session.execute(feedback):
        month = month_of(events[event_id].starts_at)
        label = labels(event_id)[0][1]
        sectors = sectors_of.get(event_id, frozenset())
        yield Fact("feedback_by_type", month, label, where(event_id), sectors, answer)
        yield Fact("ratings_by_type", month, f"{label}|{rating}", where(event_id), sectors, answer)


def theme_facts(first: date, now: datetime) -> Iterator[Fact]:
    """Each written barrier and enabler by its theme (the learning report's), and how many wrote one."""
    sectors_of = links(event_sectors, "event_id", "sector_id")
    rows = db.session.execute(
        select(
            Feedback.id,
            Feedback.event_id,
            Feedback.barriers,
            Feedback.enablers,
            Event.starts_at,
            Event.council_area_id,
        )
        .join(Event, Event.id == Feedback.event_id)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= now, Event.starts_at >= first)
    )
    for answer, event_id, barriers, enablers, starts_at, area in rows:
        month, sectors = month_of(starts_at), sectors_of.get(event_id, frozenset())
        areas = frozenset({area}) if area is not None else frozenset()
        for kind, text in (("barrier", barriers), ("enabler", enablers)):
            if text.strip():
                yield Fact(f"{kind}_answers", month, "", areas, sectors, answer)
                yield Fact(f"{kind}_themes", month, event_queries.theme_of(text), areas, sectors, answer)


def pledge_facts(first: date, now: datetime) -> Iterator[Fact]:
    rows = db.session.execute(
        select(
            Pledge.id,
            Pledge.kind,
            Pledge.progress,
            Pledge.progress_at,
            Pledge.created_at,
            Event.council_area_id,
        )
        .join(Feedback, Feedback.id == Pledge.feedback_id)
        .join(Event, Event.id == Feedback.event_id)
        .where(Pledge.created_at >= first)
    )
    for pledge, kind, progress, progress_at, created_at, area in rows:
        areas = frozenset({area}) if area is not None else frozenset()
        month = month_of(created_at)
        kind_label = "In their own words" if kind == OWN else PLEDGE_CHOICES.get(kind, kind)
        yield Fact("pledges_by_kind", month, kind_label, areas, frozenset(), pledge)
        for days in (30, 90):
            if created_at + timedelta(days=days) > now:
                continue
            answered = progress and progress_at and progress_at <= created_at + timedelta(days=days)
            label = ANSWER_LABELS.get(progress, NO_ANSWER) if answered else NO_ANSWER
            yield Fact(f"pledge_answers_{days}", month, label, areas, frozenset(), pledge)
