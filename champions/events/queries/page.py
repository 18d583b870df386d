"""The event page's reads: plain values in one or two statements, no ORM objects.

The first statement is the event's row with its creator's name, the ids of its levels, sectors,
domains, co-organisers and resources as strings (`aggregate_strings`), the places by status
(conditional counts from the event-and-status index) and the viewer's own registration (an outer
join on the event-and-person key). The council area, levels, sectors and domains are named from the
reference lists kept per process. Only an event with co-organisers or linked resources needs the
second statement: their names and links, in the page's order. Rules (who may see or manage it,
whether registration is open) stay the Event's and Registration's own, borrowed by the plain records.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, String, and_, cast, func, literal_column, null, select, union_all
from sqlalchemy.orm import aliased

from champions.accounts.models import User
from champions.events.models import (
    Event,
    Registration,
    RegistrationStatus,
    event_domains,
    event_levels,
    event_organisers,
    event_resources,
    event_sectors,
)
from champions.extensions import db
from champions.reference.cache import ReferenceItem, reference_items
from champions.resources.models import Resource


@dataclass(frozen=True)
class Organiser:
    id: int
    name: str


@dataclass(frozen=True)
class LinkedResource:
    id: int
    title: str
    url: str
    provider: str
    format: str

    format_label = Resource.format_label


@dataclass(frozen=True)
class ViewerRegistration:
    """The viewer's own registration, as far as the page shows it."""

    status: str
    feedback_given: bool

    is_confirmed = Registration.is_confirmed
    is_waitlisted = Registration.is_waitlisted


@dataclass(frozen=True)
class EventView:
    """An event as its page shows it. It answers the page as an Event does; the labels and rules
    (can_see, can_manage, registration_closed_reason, has_ended, ...) are the Event's own."""

    id: int
    title: str
    description: str
    event_type: str
    format: str
    status: str
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime | None
    capacity: int | None
    joining_link: str
    venue: str
    address: str
    accessibility: str
    report_published_at: datetime | None
    updated_at: datetime
    created_by_id: int
    created_by: Organiser
    council_area: ReferenceItem | None
    levels: tuple[ReferenceItem, ...]
    sectors: tuple[ReferenceItem, ...]
    domains: tuple[ReferenceItem, ...]
    co_organisers: list[Organiser] = field(default_factory=list)  # a list: the page adds the creator
    resources: tuple[LinkedResource, ...] = ()

    type_label = Event.type_label
    format_label = Event.format_label
    is_cancelled = Event.is_cancelled
    is_published = Event.is_published
    is_online = Event.is_online
    is_in_person = Event.is_in_person
    has_started = Event.has_started
    has_ended = Event.has_ended
    is_organiser = Event.is_organiser
    can_manage = Event.can_manage
    can_see = Event.can_see
    registration_closed_reason = Event.registration_closed_reason


@dataclass(frozen=True)
class EventPage:
    event: EventView
    registration: ViewerRegistration | None
    counts: dict[str, int]  # places by status: "confirmed" and "waitlisted"


_EVENT_COLUMNS = (
    Event.id,
    Event.title,
    Event.description,
    Event.event_type,
    Event.format,
    Event.status,
    Event.starts_at,
    Event.ends_at,
    Event.registration_deadline,
    Event.capacity,
    Event.joining_link,
    Event.venue,
    Event.address,
    Event.accessibility,
    Event.report_published_at,
    Event.updated_at,
    Event.created_by_id,
)
# The collections read as strings of ids: (link table, the column naming the other side).
_ID_LISTS = (
    (event_levels, event_levels.c.level_id),
    (event_sectors, event_sectors.c.sector_id),
    (event_domains, event_domains.c.implementation_domain_id),
    (event_organisers, event_organisers.c.user_id),
    (event_resources, event_resources.c.resource_id),
)


def _places(status: RegistrationStatus):
    counted = aliased(Registration)  # the statement's own Registration is the viewer's, outer-joined
    return (
        select(func.count())
        .where(counted.event_id == Event.id, counted.status == status.value)
        .correlate(Event)
        .scalar_subquery()
    )


@cache  # SQL expressions, the same for every request: built once per process
def _columns() -> tuple:
    creator = aliased(User)
    lists = [
        select(func.aggregate_strings(cast(column, String), ","))
        .where(table.c.event_id == Event.id)
        .correlate(Event)
        .scalar_subquery()
        for table, column in _ID_LISTS
    ]
    creator_name = (
        select(creator.name).where(creator.id == Event.created_by_id).correlate(Event).scalar_subquery()
    )
    places = [_places(RegistrationStatus.CONFIRMED), _places(RegistrationStatus.WAITLISTED)]
    return (*_EVENT_COLUMNS, Event.council_area_id, creator_name, *lists, *places)


def _ids(joined: str | None) -> set[int]:
    return {int(part) for part in joined.split(",")} if joined else set()


def _named(name: str, joined: str | None) -> tuple[ReferenceItem, ...]:
    """The reference items whose ids are in the string, in the list's usual order."""
    wanted = _ids(joined)
    return tuple(item for item in reference_items(name) if item.id in wanted) if wanted else ()


def _people_and_resources(event_id: int) -> tuple[list[Organiser], tuple[LinkedResource, ...]]:
    """Co-organisers by name and linked resources by title, in one statement."""
    empty = [literal_column("''", String).label(name) for name in ("url", "provider", "format")]
    organisers = (
        select(literal_column("0", Integer).label("kind"), User.id, User.name.label("text"), *empty)
        .join(event_organisers, event_organisers.c.user_id == User.id)
        .where(event_organisers.c.event_id == event_id)
    )
    resources = (
        select(
            literal_column("1", Integer),
            Resource.id,
            Resource.title,
            Resource.url,
            Resource.provider,
            Resource.format,
        )
        .join(event_resources, event_resources.c.resource_id == Resource.id)
        .where(event_resources.c.event_id == event_id)
    )
    rows = db.session.execute(union_all(organisers, resources).order_by("kind", "text", "id")).all()
    people = [Organiser(row[1], row[2]) for row in rows if row[0] == 0]
    linked = tuple(LinkedResource(*row[1:]) for row in rows if row[0] == 1)
    return people, linked


def event_page(event_id: int, viewer_id: int | None) -> EventPage | None:
    """Everything the event page shows, with the viewer's own registration (None for a visitor)."""
    if viewer_id is None:
        own = (null(), null())
        query = select(*_columns(), *own)
    else:
        mine = and_(Registration.event_id == Event.id, Registration.user_id == viewer_id)
        query = select(*_columns(), Registration.status, Registration.feedback_given).outerjoin(
            Registration, mine
        )
    row = db.session.execute(query.select_from(Event).where(Event.id == event_id)).first()
    if row is None:
        return None
    base = len(_EVENT_COLUMNS)
    (
        area_id,
        creator_name,
        levels,
        sectors,
        domains,
        organisers,
        resources,
        confirmed,
        waiting,
        status,
        fed,
    ) = row[base:]
    people, linked = _people_and_resources(event_id) if organisers or resources else ([], ())
    areas = {item.id: item for item in reference_items("area")}
    event = EventView(
        *row[:base],
        created_by=Organiser(row[base - 1], creator_name),
        council_area=areas.get(area_id),
        levels=_named("level", levels),
        sectors=_named("sector", sectors),
        domains=_named("domain", domains),
        co_organisers=people,
        resources=linked,
    )
    registration = ViewerRegistration(status, bool(fed)) if status is not None else None
    return EventPage(event, registration, {"confirmed": confirmed or 0, "waitlisted": waiting or 0})
