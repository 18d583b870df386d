"""Each section's tables from the figures of one view, with the rule of five applied.

Every count of people passes through champions/small_numbers.py here, before any page, chart or
download sees it: a chart's points leave small groups out, and a table writes them "fewer than 5".
"""

from collections import defaultdict
from datetime import date

from champions.dashboard.models import StatisticsRun
from champions.dashboard.queries.figures import (
    Dashboard,
    Figures,
    Filters,
    Section,
    Table,
    figures_for,
    month_name,
    months_of,
    scope_areas,
)
from champions.small_numbers import breakdown, display_count, is_small, may_show_text


def _in_period(figures: Figures, measure: str, months: list[date]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for month in months:
        for label, value in figures[measure].get(month, {}).items():
            totals[label] += value
    return totals


def _monthly(figures: Figures, measure: str, months: list[date]) -> list[int]:
    return [sum(figures[measure].get(month, {}).values()) for month in months]


def _change(what: str, values: list[tuple[str, float]], unit: str = "") -> str:
    if not values:
        return f"There are not enough figures to show {what} for this period."
    (first_label, first), (last_label, last) = values[0], values[-1]
    if len(values) == 1 or first == last:
        return f"{what.capitalize()} stood at {first:g}{unit} in {last_label}."
    verb = "rose" if last > first else "fell"
    return (
        f"{what.capitalize()} {verb} from {first:g}{unit} in {first_label} to {last:g}{unit} in {last_label}."
    )


def rate(attended: int, registered: int) -> int | None:
    """An attendance rate in whole per cent, or None when it could point to fewer than 5 people."""
    if registered == 0 or is_small(registered) or is_small(attended) or is_small(registered - attended):
        return None
    return round(100 * attended / registered)


def _coverage(figures: Figures, months: list[date]) -> Table:
    areas, boards = _monthly(figures, "areas_covered", months), _monthly(figures, "boards_covered", months)
    names = [month_name(m) for m in months]
    points = list(zip(names, areas, strict=True))
    return Table(
        "coverage",
        "Council areas with a verified local champion",
        ["Month", "Council areas covered", "NHS boards covered"],
        [[n, str(a), str(b)] for n, a, b in zip(names, areas, boards, strict=True)],
        _change("council areas with a verified local champion", points),
        points,
        "Council areas",
    )


def _people(figures: Figures, last: date) -> list[Table]:
    tables = []
    overlapping = "A champion can work in more than one {}, so the groups add up to more than the total."
    for key, title, column, kind in (
        ("champions_by_sector", "Champions by sector", "Sector", "sector"),
        ("champions_by_level", "Champions by practice level", "Practice level", "practice level"),
        ("champions_by_area", "Champions by council area", "Council area", "council area"),
    ):
        groups = sorted(figures[key].get(last, {}).items(), key=lambda item: -item[1])
        points = [(label, value) for label, value in groups if not is_small(value)]
        total = sum(figures["champions"].get(last, {}).values())
        summary = (
            f"There are {display_count(total)} verified champions; the most work in {points[0][0]}."
            if points
            else "There are too few champions here to show how they divide."
        )
        rows = [[label, display_count(value)] for label, value in groups]
        tables.append(
            Table(
                key,
                title,
                [column, "Champions"],
                rows,
                summary,
                points,
                "Champions",
                overlapping.format(kind),
            )
        )
    members = breakdown(sorted(figures["members_by_area"].get(last, {}).items()), "Other areas")
    rows = [[label, display_count(value)] for label, value in members.rows]
    summary = f"The network has {display_count(members.total)} members."
    note = "Areas with fewer than 5 members are counted together." if members.rows else ""
    tables.append(
        Table(
            "members_by_area",
            "Members by council area",
            ["Council area", "Members"],
            rows,
            summary,
            note=note,
        )
    )
    return tables


def _events(figures: Figures, months: list[date]) -> list[Table]:
    names = [month_name(m) for m in months]
    held, registered = (
        _monthly(figures, "events_by_type", months),
        _monthly(figures, "registrations_by_type", months),
    )
    attended = _monthly(figures, "attended_by_type", months)
    rates = [rate(a, r) for a, r in zip(attended, registered, strict=True)]
    # Attended is shown only with its rate: beside the registrations it would give away the no-shows.
    rows = [
        [n, str(h), display_count(r), display_count(a) if p is not None or a in (0, r) else "not shown"]
        + ["not shown" if p is None else f"{p}%"]
        for n, h, r, a, p in zip(names, held, registered, attended, rates, strict=True)
    ]
    points = [(n, p) for n, p in zip(names, rates, strict=True) if p is not None]
    header = ["Month", "Events held", "Registrations", "Attended", "Attendance rate"]
    tables = [
        Table(
            "events_by_month",
            "Events and attendance by month",
            header,
            rows,
            _change("attendance", points, "%"),
            points,
            "Attendance rate (%)",
            "A rate is not shown when it could point to fewer than 5 people.",
        )
    ]
    for kind, column in (("type", "Event type"), ("level", "Practice level")):
        events = _in_period(figures, f"events_by_{kind}", months)
        regs, came = (
            _in_period(figures, f"registrations_by_{kind}", months),
            _in_period(figures, f"attended_by_{kind}", months),
        )
        rows = []
        for label in sorted(events):
            p = rate(came.get(label, 0), regs.get(label, 0))
            rows.append(
                [
                    label,
                    str(events[label]),
                    display_count(regs.get(label, 0)),
                    "not shown" if p is None else f"{p}%",
                ]
            )
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


def _average(ratings: dict[int, int]) -> float | None:
    """The average rating, shown only when no rating was given by 1 to 4 people (as the learning report)."""
    if any(is_small(count) for count in ratings.values()):
        return None
    return round(sum(rating * count for rating, count in ratings.items()) / sum(ratings.values()), 1)


def _feedback(figures: Figures, months: list[date]) -> list[Table]:
    answers, ratings = _in_period(figures, "feedback_by_type", months), defaultdict(dict)
    for key, count in _in_period(figures, "ratings_by_type", months).items():
        label, _, rating = key.rpartition("|")
        ratings[label][int(rating)] = count
    rows, points = [], []
    for label in sorted(answers):
        count = answers[label]
        average = _average(ratings[label]) if may_show_text(count) else None
        rows.append([label, display_count(count), "not shown" if average is None else f"{average:g}"])
        if average is not None:
            points.append((label, average))
    best = max(points, key=lambda p: p[1]) if points else None
    summary = (
        f"{best[0]} had the highest average rating, {best[1]:g} out of 5."
        if best
        else "Too few people gave feedback to show ratings."
    )
    tables = [
        Table(
            "rating_by_type",
            "Average rating by event type",
            ["Event type", "Responses", "Average rating (out of 5)"],
            rows,
            summary,
            points,
            "Average rating",
            "An average is shown only when each rating was given by none or at least 5 people.",
        )
    ]
    made = breakdown(sorted(_in_period(figures, "pledges_by_kind", months).items()), "Other actions")
    summary = f"People made {display_count(made.total)} pledges in this period."
    tables.append(
        Table(
            "pledges_by_kind",
            "Pledges made, by action",
            ["Action", "Pledges"],
            [[label, display_count(value)] for label, value in made.rows],
            summary,
        )
    )
    at = {
        days: breakdown(
            sorted(_in_period(figures, f"pledge_answers_{days}", months).items()), "Other answers"
        )
        for days in (30, 90)
    }
    labels = list(dict.fromkeys(label for days in (30, 90) for label, _ in at[days].rows))
    rows = [
        [label] + [display_count(dict(at[days].rows).get(label, 0)) for days in (30, 90)] for label in labels
    ]
    done = dict(at[90].rows).get("Done", 0)
    summary = (
        f"At 90 days, {display_count(done)} pledges were done."
        if at[90].rows
        else "Too few pledges have reached 30 or 90 days to show the answers."
    )
    tables.append(
        Table(
            "pledge_answers",
            "What people answered at 30 and 90 days",
            ["Answer", "At 30 days", "At 90 days"],
            rows,
            summary,
        )
    )
    return tables


def _sharing(figures: Figures, months: list[date]) -> list[Table]:
    quarters: dict[str, int] = {}
    for month in months:
        name = f"{month.year} Q{(month.month - 1) // 3 + 1}"
        quarters[name] = quarters.get(name, 0) + sum(figures["case_studies"].get(month, {}).values())
    points = list(quarters.items())
    total = sum(quarters.values())
    summary = (
        f"{total} case studies were published in this period."
        if total != 1
        else "1 case study was published in this period."
    )
    tables = [
        Table(
            "case_studies",
            "Case studies published per quarter",
            ["Quarter", "Published"],
            [[q, str(n)] for q, n in points],
            summary,
            points,
            "Case studies",
        )
    ]
    names = [month_name(m) for m in months]
    threads, members = (
        _monthly(figures, "active_threads", months),
        _monthly(figures, "active_members", months),
    )
    points = [(n, m) for n, m in zip(names, members, strict=True) if m and not is_small(m)]
    rows = [[n, str(t), display_count(m)] for n, t, m in zip(names, threads, members, strict=True)]
    tables.append(
        Table(
            "discussions",
            "Discussions: active threads and members per month",
            ["Month", "Active threads", "Members who posted"],
            rows,
            _change("members taking part in discussions", points),
            points,
            "Members who posted",
        )
    )
    return tables


def dashboard(filters: Filters, run: StatisticsRun) -> Dashboard:
    """Every section's tables for these filters, read in two queries."""
    figures = figures_for(filters, run)
    months = months_of(filters)
    covered = set(figures["covered_area"].get(run.last_month, {}))
    gaps = [name for _id, name in scope_areas(filters.scope) if name not in covered]
    sections = [
        Section("coverage", "Coverage", [_coverage(figures, months)]),
        Section("people", "People", _people(figures, run.last_month)),
        Section("events", "Events", _events(figures, months)),
        Section("feedback", "Feedback and pledges", _feedback(figures, months)),
        Section("sharing", "Case studies and discussions", _sharing(figures, months)),
    ]
    return Dashboard(filters, run, sections, gaps)
