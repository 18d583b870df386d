"""Reads for the event pages: listings, one event, seat counts, attendees, and sections other pages show."""

from array import array
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from champions.accounts.models import User
from champions.clock import LONDON, utcnow
from champions.events.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    event_organisers,
)
from champions.events.queries.cards import EventCardPagination, event_cards
from champions.extensions import db
from champions.pagination import KeptIdsPagination
from champions.recent import keeping, recent_for
from champions.reference.models import CouncilArea, ImplementationDomain, NttpLevel, Sector
from champions.spreadsheet import csv_text

PER_PAGE = 20
# The ordered ids of the events a listing shows, kept briefly per process (champions.recent).
LISTED = "events: listed events"
MONTH_YEARS = (1900, 9998)  # the years a month filter may name


@dataclass
class Filters:
    area: str = ""
    level: str = ""
    format: str = ""
    type: str = ""
    sector: str = ""
    domain: str = ""
    month: str = ""  # YYYY-MM, a month in Scotland

    def as_args(self) -> dict[str, str]:
        return {key: value for key, value in vars(self).items() if value}


def month_bounds(month: str) -> tuple[datetime, datetime] | None:
    """The first and last moments (naive UTC) of a calendar month in Scotland, or None for no usable month."""
    try:
        first = datetime.strptime(month, "%Y-%m")
    except ValueError:
        return None
    # Years at the ends of the calendar overflow when the following month or UTC is worked out.
    if not MONTH_YEARS[0] <= first.year <= MONTH_YEARS[1]:
        return None
    following = (first + timedelta(days=32)).replace(day=1)
    return tuple(
        day.replace(tzinfo=LONDON).astimezone(UTC).replace(tzinfo=None) for day in (first, following)
    )


def month_choices(now: datetime, past: bool, count: int = 12) -> list[tuple[str, str]]:
    """The next (or last) twelve months in Scotland, as (YYYY-MM, "March 2027")."""
    local = now.replace(tzinfo=UTC).astimezone(LONDON)
    year, month = local.year, local.month
    choices = []
    for _ in range(count):
        choices.append((f"{year:04d}-{month:02d}", datetime(year, month, 1).strftime("%B %Y")))
        month += -1 if past else 1
        if month == 0:
            year, month = year - 1, 12
        elif month == 13:
            year, month = year + 1, 1
    return choices


def _filtered(query: Select, filters: Filters) -> Select:
    if filters.area:
        query = query.where(Event.council_area.has(CouncilArea.slug == filters.area))
    if filters.level:
        query = query.where(Event.levels.any(NttpLevel.slug == filters.level))
    if filters.sector:
        query = query.where(Event.sectors.any(Sector.slug == filters.sector))
    if filters.domain:
        query = query.where(Event.domains.any(ImplementationDomain.slug == filters.domain))
    if filters.format:
        query = query.where(Event.format == filters.format)
    if filters.type:
        query = query.where(Event.event_type == filters.type)
    bounds = month_bounds(filters.month) if filters.month else None
    if bounds:
        query = query.where(Event.starts_at >= bounds[0], Event.starts_at < bounds[1])
    return query


def _listing(past: bool, filters: Filters, now: datetime) -> tuple[Select, tuple]:
    """The listing's event ids in its order (drafts never listed), and that order."""
    query = select(Event.id).where(Event.status != EventStatus.DRAFT.value)
    if past:
        query = query.where(Event.ends_at <= now)
        order = (Event.starts_at.desc(), Event.id.desc())
    else:
        query = query.where(Event.ends_at > now)
        order = (Event.starts_at, Event.id)
    return _filtered(query.order_by(*order), filters), order


def events_page(filters: Filters, page: int, past: bool = False, now: datetime | None = None):
    """One page of the listing as plain cards (`EventCard`), and how many events match.

    The listing's ids in order are kept briefly per process (champions.recent), keyed by upcoming or past
    and every filter: counting and skipping through thousands of events grows with the data (issue #18).
    Each page's cards are read by id every time (never a draft), so what a card says is current; which
    events are listed may lag by that time (the page says so), and the organiser who publishes, changes or
    cancels an event sees the change at once (the services forget this process's lists).
    """
    query, order = _listing(past, filters, now or utcnow())
    if keeping() and now is None:
        key = (past, tuple(sorted(filters.as_args().items())))
        ids = recent_for(LISTED, key, lambda: array("q", db.session.scalars(query)))
        return KeptIdsPagination(
            page=page,
            per_page=PER_PAGE,
            error_out=False,
            ids=ids,
            read=lambda page_ids: event_cards(page_ids, order, places=not past),
        )
    return EventCardPagination(
        order=order,
        places=not past,
        select=query,
        session=db.session,
        page=page,
        per_page=PER_PAGE,
        error_out=False,
    )


def drafts_for(user: User) -> list[Event]:
    """Draft events this person may see: their own, or all of them for an admin."""
    if not user.is_authenticated or not user.is_coordinator:
        return []
    query = select(Event).where(Event.status == EventStatus.DRAFT.value).order_by(Event.starts_at)
    if not user.is_admin:
        query = query.where(
            or_(
                Event.created_by_id == user.id,
                Event.id.in_(
                    select(event_organisers.c.event_id).where(event_organisers.c.user_id == user.id)
                ),
            )
        )
    return list(db.session.scalars(query))


def seat_counts(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """Confirmed and waitlisted numbers per event, in one query."""
    counts: dict[int, dict[str, int]] = {event_id: {} for event_id in event_ids}
    if not event_ids:
        return counts
    rows = db.session.execute(
        select(Registration.event_id, Registration.status, func.count(Registration.id))
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id, Registration.status)
    )
    for event_id, status, number in rows:
        counts[event_id][status] = number
    return counts


def load_event(event_id: int) -> Event | None:
    """An event with everything its page shows, loaded up front."""
    return db.session.scalar(
        select(Event)
        .where(Event.id == event_id)
        .options(
            joinedload(Event.council_area),
            joinedload(Event.created_by),
            selectinload(Event.co_organisers),
            selectinload(Event.levels),
            selectinload(Event.sectors),
            selectinload(Event.domains),
            selectinload(Event.resources),
        )
    )


def registrations_for(user: User) -> list[Registration]:
    """The person's current registrations for events that have not ended (for /account)."""
    return list(
        db.session.scalars(
            select(Registration)
            .join(Registration.event)
            .options(joinedload(Registration.event))
            .where(
                Registration.user_id == user.id,
                Registration.status != RegistrationStatus.CANCELLED.value,
                Event.ends_at > utcnow(),
                Event.status != EventStatus.DRAFT.value,
            )
            .order_by(Event.starts_at)
        )
    )


def events_organised_by(user_id: int, limit: int = 5) -> list[Event]:
    """Published upcoming events this person organises (for a champion's profile)."""
    co_organised = select(event_organisers.c.event_id).where(event_organisers.c.user_id == user_id)
    return list(
        db.session.scalars(
            select(Event)
            .where(
                or_(Event.created_by_id == user_id, Event.id.in_(co_organised)),
                Event.status == EventStatus.PUBLISHED.value,
                Event.ends_at > utcnow(),
            )
            .order_by(Event.starts_at)
            .limit(limit)
        )
    )


def attendee_list(event: Event) -> list[Registration]:
    """Everyone with a place or waiting, with what the attendee page and export show."""
    return list(
        db.session.scalars(
            select(Registration)
            .options(
                joinedload(Registration.user).joinedload(User.organisation),
                joinedload(Registration.user).joinedload(User.council_area),
                joinedload(Registration.user).joinedload(User.health_board),
                joinedload(Registration.sector),
            )
            .where(
                Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED.value
            )
            .order_by(Registration.status, Registration.created_at, Registration.id)
        )
    )


def attendee_csv(event: Event) -> str:
    """Write the attendee list as CSV for the organisers."""
    header = [
        "Name",
        "Email address",
        "Organisation",
        "Council area or NHS board",
        "Sector",
        "Status",
        "Attended",
        "Access or dietary needs",
        "Registered (UTC)",
    ]
    return csv_text(
        header,
        (
            (
                r.user.name,
                r.user.email,
                r.user.organisation.name if r.user.organisation else "",
                r.user.workplace_label,
                r.sector.name if r.sector else "",
                r.status,
                "yes" if r.attended else "no",
                r.needs,
                r.created_at.strftime("%Y-%m-%d %H:%M"),
            )
            for r in attendee_list(event)
        ),
    )
