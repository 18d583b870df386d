"""The events listing's cards: plain values read in one statement, no ORM objects.

A page of the listing is its ids in the listing's order, cut to the page (`IN (… ORDER BY … LIMIT 20)`),
then for those events the columns a card shows, the ids of their levels as one string
(`aggregate_strings`) and, for upcoming events with a capacity, the number of confirmed places. The
council area and levels are named from the reference lists kept per process (`reference_items`).
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Integer, Select, String, and_, case, cast, func, literal, select

from champions.events.models import Event, EventStatus, Registration, RegistrationStatus, event_levels
from champions.extensions import db
from champions.reference.cache import ReferenceItem, reference_items


@dataclass(frozen=True)
class EventCard:
    """An event as a card in the listing shows it. It answers the card as an Event does; the labels and
    the cancelled state are the Event's own rules."""

    id: int
    title: str
    event_type: str
    format: str
    status: str
    starts_at: datetime
    capacity: int | None
    council_area: ReferenceItem | None
    levels: tuple[ReferenceItem, ...]
    confirmed: int  # confirmed places; 0 where the card shows none (past, cancelled or no capacity)

    type_label = Event.type_label
    format_label = Event.format_label
    is_cancelled = Event.is_cancelled


def _level_ids():
    return (
        select(func.aggregate_strings(cast(event_levels.c.level_id, String), ","))
        .where(event_levels.c.event_id == Event.id)
        .scalar_subquery()
    )


def _confirmed():
    """Confirmed places, counted (from the event-and-status index) only where the card shows them."""
    counted = (
        select(func.count(Registration.id))
        .where(
            Registration.event_id == Event.id,
            Registration.status == RegistrationStatus.CONFIRMED.value,
        )
        .scalar_subquery()
    )
    shown = and_(Event.capacity.is_not(None), Event.status != EventStatus.CANCELLED.value)
    return case((shown, counted), else_=literal(0, Integer))


@cache
def _columns(places: bool) -> tuple:
    """The card's columns, built once per process (SQL expressions are immutable, so they can be shared)."""
    return (
        Event.id,
        Event.title,
        Event.event_type,
        Event.format,
        Event.status,
        Event.starts_at,
        Event.capacity,
        Event.council_area_id,
        _level_ids(),
        _confirmed() if places else literal(0, Integer),
    )


def _levels(joined: str | None) -> tuple[ReferenceItem, ...]:
    if not joined:
        return ()
    wanted = {int(level_id) for level_id in joined.split(",")}
    return tuple(item for item in reference_items("level") if item.id in wanted)


def event_cards(page_ids: Select | list[int], order: tuple, places: bool) -> list[EventCard]:
    """The events whose ids `page_ids` selects or lists (already ordered and cut to a page), as cards in
    `order`. Drafts are never cards, whatever ids were asked for (a kept list is read again by id)."""
    areas = {item.id: item for item in reference_items("area")}
    rows = db.session.execute(
        select(*_columns(places))
        .where(Event.id.in_(page_ids), Event.status != EventStatus.DRAFT.value)
        .order_by(*order)
    )
    return [
        EventCard(*row[:7], areas.get(row[7]), _levels(row[8]), row[9] or 0)  # type: ignore[arg-type]
        for row in rows
    ]


class EventCardPagination(SelectPagination):
    """A page of event ids in the listing's order, shown as cards read in one statement."""

    def __init__(self, order: tuple, places: bool, **kwargs):
        self._order, self._places = order, places
        super().__init__(**kwargs)

    def _query_items(self) -> list[EventCard]:
        page_ids = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return event_cards(page_ids, self._order, self._places)

    def _query_count(self) -> int:
        # The same conditions counted, without the order or a subquery.
        statement = self._query_args["select"]
        counted = statement.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
        return db.session.scalar(counted) or 0
