"""Reads the event pages need, one module per page family; views call them as `queries.<name>`."""

from champions.events.queries.calendars import event_ics, feed_ics
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
from champions.events.queries.reports import Report, build_report, report_markdown, theme_of

__all__ = [
    "PER_PAGE",
    "Filters",
    "Report",
    "attendee_csv",
    "attendee_list",
    "build_report",
    "drafts_for",
    "event_ics",
    "events_organised_by",
    "events_page",
    "feed_ics",
    "load_event",
    "month_bounds",
    "month_choices",
    "registrations_for",
    "report_markdown",
    "seat_counts",
    "theme_of",
]
