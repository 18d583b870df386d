"""RFC 5545 calendars: one event as a download, and a feed of upcoming public events."""

from datetime import UTC
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from champions.clock import utcnow
from champions.events.models import Event, EventStatus
from champions.extensions import db
from champions.links import external_url

PRODID = "-//Trauma Champions Network//Events//EN"


def uid_for(event: Event) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"event-{event.id}@{host}"


def _utc(moment):
    return moment.replace(tzinfo=UTC)


def _location(event: Event) -> str:
    parts = [event.venue, " ".join(event.address.split())] if event.is_in_person else []
    if event.is_online:
        parts.append("Online")
    return ", ".join(part for part in parts if part)


def _component(event: Event, include_joining_link: bool):
    item = CalendarEvent()
    item.add("uid", uid_for(event))
    # RFC 5545: without METHOD (the feed) DTSTAMP is when the event was last revised; for a download
    # (METHOD:PUBLISH) the calendar is made from that revision. Never the time of the request, which
    # would give the feed a new ETag each second.
    item.add("dtstamp", _utc(event.updated_at))
    item.add("last-modified", _utc(event.updated_at))
    item.add("dtstart", _utc(event.starts_at))
    item.add("dtend", _utc(event.ends_at))
    item.add("summary", event.title)
    page = external_url("events.detail", event_id=event.id)
    description = f"{event.type_label}. Details: {page}"
    if include_joining_link and event.is_online and event.joining_link:
        description += f"\nJoining link: {event.joining_link}"
    item.add("description", description)
    item.add("url", page)
    location = _location(event)
    if location:
        item.add("location", location)
    item.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return item


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def event_ics(event: Event, include_joining_link: bool) -> bytes:
    calendar = _calendar(event.title)
    calendar.add("method", "PUBLISH")
    calendar.add_component(_component(event, include_joining_link))
    return calendar.to_ical()


def feed_ics() -> bytes:
    """Upcoming published (and recently cancelled) events; never a joining link."""
    events = db.session.scalars(
        select(Event)
        .options(joinedload(Event.council_area))
        .where(
            Event.status.in_([EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value]),
            Event.ends_at > utcnow(),
        )
        .order_by(Event.starts_at)
    )
    calendar = _calendar("Trauma Champions Network events")
    for event in events:
        calendar.add_component(_component(event, include_joining_link=False))
    return calendar.to_ical()
