"""Reads the event pages need, one module per page family; views call them as `queries.<name>`."""

from champions.events.queries.calendars import event_ics, feed_ics
from champions.events.queries.cards import EventCard
from champions.events.queries.listings import (
    PER_PAGE,
    Filters,
    attendee_csv,
    attendee_list,
    drafts_for,
    events_organised_by,
    events_page,
    load_event,
    month_bounds,
    month_choices,
    registrations_for,
    seat_counts,
)
from champions.events.queries.page import EventPage, EventView, event_page
from champions.events.queries.reports import Report, build_report, report_markdown, theme_of
from champions.events.queries.waiting import (
    SHOWN,
    EventWork,
    WaitingEvent,
    attendance_not_recorded,
    report_not_published,
    with_waiting_lists,
)

__all__ = [
    "EventCard",
    "EventPage",
    "EventView",
    "PER_PAGE",
    "SHOWN",
    "EventWork",
    "WaitingEvent",
    "attendance_not_recorded",
    "Filters",
    "Report",
    "attendee_csv",
    "attendee_list",
    "build_report",
    "drafts_for",
    "event_ics",
    "events_organised_by",
    "event_page",
    "events_page",
    "feed_ics",
    "load_event",
    "month_bounds",
    "month_choices",
    "registrations_for",
    "report_markdown",
    "report_not_published",
    "seat_counts",
    "theme_of",
    "with_waiting_lists",
]
