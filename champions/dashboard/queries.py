"""The dashboards' reads: a few queries over the figures worked out ahead, whatever the data's size.

Every count of people passes through champions/small_numbers.py here, before any page, chart or
download sees it: a chart's points leave small groups out, and a table writes them "fewer than 5".
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from champions.dashboard.models import SCOTLAND, Chart, Figure, StatisticsRun
from champions.extensions import db
from champions.reference.cache import ReferenceItem
from champions.reference.models import CouncilArea, HealthBoard
from champions.small_numbers import breakdown, display_count, is_small, may_show_text


@dataclass(frozen=True)
class Filters:
    first: date
    last: date
    scope: str = SCOTLAND
    sector_id: int | None = None
    description: str = "All of Scotland, every sector"


@dataclass
class Table:
    """One table of figures, safe to show: the chart beside it is drawn from `points`."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]]
    summary: str
    points: list[tuple[str, float]] = field(default_factory=list)
    axis: str = ""
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


@dataclass
class Dashboard:
    filters: Filters
    run: StatisticsRun
    sections: list[Section]
    gaps: list[str]

    def table(self, key: str) -> Table | None:
        return next((t for s in self.sections for t in s.tables if t.key == key), None)


Figures = dict[str, dict[date, dict[str, int]]]  # measure -> month -> label -> value


def default_filters(run: StatisticsRun) -> Filters:
    """All of Scotland and every sector over the last 12 months: the view the charts are drawn for."""
    first = max(add_months(run.last_month, -11), run.first_month)
    description = f"All of Scotland, every sector, {month_name(first)} to {month_name(run.last_month)}"
    return Filters(first, run.last_month, SCOTLAND, None, description)


def latest_run() -> StatisticsRun | None:
    """The last refresh, or None when figures were never worked out."""
    return db.session.scalar(select(StatisticsRun).order_by(StatisticsRun.id.desc()).limit(1))


def charts() -> dict[str, Chart]:
    """The charts drawn ahead, without their SVG (read only when one is asked for)."""
    rows = db.session.execute(select(Chart.key, Chart.title, Chart.summary))
    return {key: Chart(key=key, title=title, summary=summary) for key, title, summary in rows}


def chart_svg(key: str) -> str | None:
    return db.session.scalar(select(Chart.svg).where(Chart.key == key))


def month_of(moment: datetime | date) -> date:
    return date(moment.year, moment.month, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_name(month: date) -> str:
    return month.strftime("%B %Y")


def _figures(filters: Filters, run: StatisticsRun) -> Figures:
    sector = (
        Figure.sector_id.is_(None) if filters.sector_id is None else Figure.sector_id == filters.sector_id
    )
    rows = db.session.execute(
        select(Figure.measure, Figure.month, Figure.label, Figure.value).where(
            Figure.scope == filters.scope,
            sector,
            Figure.month >= filters.first,
            Figure.month <= run.last_month,
        )
    )
    found: Figures = defaultdict(lambda: defaultdict(dict))
    for measure, month, label, value in rows:
        found[measure][month][label] = value
    return found


def _months(filters: Filters) -> list[date]:
    months, month = [], filters.first
    while month <= filters.last:
        months.append(month)
        month = add_months(month, 1)
    return months


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


def _feedback(figures: Figures, months: list[date]) -> list[Table]:
    answers, ratings = (
        _in_period(figures, "feedback_by_type", months),
        _in_period(figures, "rating_total_by_type", months),
    )
    rows, points = [], []
    for label in sorted(answers):
        count = answers[label]
        average = round(ratings.get(label, 0) / count, 1) if may_show_text(count) else None
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


def scope_areas(scope: str) -> list[tuple[int, str]]:
    """The council areas in a scope, by name: all of them, one board's, or one."""
    query = select(CouncilArea.id, CouncilArea.name).order_by(CouncilArea.name)
    kind, _, ident = scope.partition(":")
    if kind == "board":
        query = query.where(CouncilArea.health_board_id == int(ident))
    elif kind == "area":
        query = query.where(CouncilArea.id == int(ident))
    return [(area_id, name) for area_id, name in db.session.execute(query)]


def dashboard(filters: Filters, run: StatisticsRun) -> Dashboard:
    """Every section's tables for these filters, read in two queries."""
    figures = _figures(filters, run)
    months = _months(filters)
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


def areas_with_boards() -> list[tuple[ReferenceItem, ReferenceItem]]:
    """Each council area with its NHS board, by area name, for the filters."""
    rows = db.session.execute(
        select(
            CouncilArea.id,
            CouncilArea.slug,
            CouncilArea.name,
            HealthBoard.id,
            HealthBoard.slug,
            HealthBoard.name,
        )
        .join(HealthBoard, HealthBoard.id == CouncilArea.health_board_id)
        .order_by(CouncilArea.name)
    )
    return [(ReferenceItem(*row[:3]), ReferenceItem(*row[3:])) for row in rows]


def public_totals(run: StatisticsRun) -> dict[str, int]:
    """The public page's totals over the last 12 months, for all of Scotland: areas, events, case studies."""
    first = add_months(run.last_month, -11)
    rows = db.session.execute(
        select(Figure.measure, Figure.month, Figure.value).where(
            Figure.scope == SCOTLAND,
            Figure.sector_id.is_(None),
            Figure.month >= first,
            Figure.measure.in_(
                ["areas_covered", "boards_covered", "events_by_type", "case_studies", "champions"]
            ),
        )
    )
    totals = {"areas_covered": 0, "boards_covered": 0, "events": 0, "case_studies": 0, "champions": 0}
    for measure, month, value in rows:
        if measure in ("areas_covered", "boards_covered", "champions"):
            totals[measure] += value if month == run.last_month else 0
        elif measure == "events_by_type":
            totals["events"] += value
        else:
            totals[measure] += value
    return totals
