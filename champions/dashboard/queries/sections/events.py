"""Events held, registrations and attendance: by month, by event type and by practice level."""

from datetime import date

from champions.dashboard.queries.figures import Figures, Table, change, in_period, month_name, monthly
from champions.small_numbers import NOT_SHOWN, display_count, display_counts, is_small


def rate(attended: int, registered: int) -> int | None:
    """An attendance rate in whole per cent, or None when it could point to fewer than 5 people."""
    if registered == 0 or is_small(registered) or is_small(attended) or is_small(registered - attended):
        return None
    return round(100 * attended / registered)


def events(figures: Figures, months: list[date]) -> list[Table]:
    names = [month_name(m) for m in months]
    held, registered = (
        monthly(figures, "events_by_type", months),
        monthly(figures, "registrations_by_type", months),
    )
    attended = monthly(figures, "attended_by_type", months)
    # The months' registrations add up to the types' (and the levels'): hidden ones must not be
    # found by subtraction, so a month can be "not shown" too, and then so are its attendance and rate.
    written = display_counts(registered)
    rates = [
        None if w == NOT_SHOWN else rate(a, r) for a, r, w in zip(attended, registered, written, strict=True)
    ]
    # Attended is shown only with its rate: beside the registrations it would give away the no-shows.
    rows = [
        [n, str(h), w, display_count(a) if p is not None or (a in (0, r) and w != NOT_SHOWN) else NOT_SHOWN]
        + [NOT_SHOWN if p is None else f"{p}%"]
        for n, h, w, r, a, p in zip(names, held, written, registered, attended, rates, strict=True)
    ]
    points = [(n, p) for n, p in zip(names, rates, strict=True) if p is not None]
    header = ["Month", "Events held", "Registrations", "Attended", "Attendance rate"]
    tables = [
        Table(
            "events_by_month",
            "Events and attendance by month",
            header,
            rows,
            change("attendance", points, "%"),
            points,
            "Attendance rate (%)",
            "A rate is not shown when it could point to fewer than 5 people.",
        )
    ]
    for kind, column in (("type", "Event type"), ("level", "Practice level")):
        events = in_period(figures, f"events_by_{kind}", months)
        regs, came = (
            in_period(figures, f"registrations_by_{kind}", months),
            in_period(figures, f"attended_by_{kind}", months),
        )
        rows = []
        labels = sorted(events)
        written = display_counts(regs.get(label, 0) for label in labels)
        for label, w in zip(labels, written, strict=True):
            p = None if w == NOT_SHOWN else rate(came.get(label, 0), regs.get(label, 0))
            rows.append([label, str(events[label]), w, NOT_SHOWN if p is None else f"{p}%"])
        busiest = max(events, key=events.get) if events else ""
        summary = (
            f"Most events held were {busiest.lower()}." if busiest else "No events were held in this period."
        )
        tables.append(
            Table(
                f"events_by_{kind}",
                f"Events by {column.lower()}",
                [column, "Events held", "Registrations", "Attendance rate"],
                rows,
                summary,
            )
        )
    return tables
