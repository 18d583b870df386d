"""The figures' reads: the last refresh, the rows for one view, the charts and the reference lists."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import distinct, func, select

from champions.dashboard.models import SCOTLAND, Chart, Figure, StatisticsRun
from champions.dashboard.queries.kept import LATEST_RUN, STORED_CHARTS, VIEWS_DRAWN, forget, kept
from champions.extensions import db
from champions.recent import recent, recent_for
from champions.reference.cache import ReferenceItem, areas_with_boards

# The tables drawn as charts beside them (the others are tables only).
CHARTED = (
    "coverage",
    "champions_by_sector",
    "events_by_month",
    "rating_by_type",
    "barrier_themes",
    "enabler_themes",
    "case_studies",
    "case_studies_by_principle",
    "most_saved",
    "discussions",
    "returns_sent",
    "returns_reach",
)


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
    summary: str = ""  # one sentence on the whole section, above its tables


@dataclass(frozen=True)
class Run:
    """The last refresh as a plain value (never a row kept across requests): its id, months and finish."""

    id: int
    first_month: date
    last_month: date
    finished_at: datetime


@dataclass
class Dashboard:
    filters: Filters
    run: Run
    sections: list[Section]
    gaps: list[str]

    def table(self, key: str) -> Table | None:
        return next((t for s in self.sections for t in s.tables if t.key == key), None)


Figures = dict[str, dict[date, dict[str, int]]]  # measure -> month -> label -> value


def default_filters(run: Run) -> Filters:
    """All of Scotland and every sector over the last 12 months: the view the charts are drawn for."""
    first = max(add_months(run.last_month, -11), run.first_month)
    description = f"All of Scotland, every sector, {month_name(first)} to {month_name(run.last_month)}"
    return Filters(first, run.last_month, SCOTLAND, None, description)


def latest_run() -> Run | None:
    """The last refresh, or None when figures were never worked out: kept per worker for
    RECENT_TOTALS_SECONDS. The refresh runs from cron in a process of its own, so web workers see a new run
    within that time (a refresh in the same process forgets it at once: kept.forget)."""
    return recent(LATEST_RUN, read_latest_run)


def latest_run_now() -> Run | None:
    """The last refresh as the database has it now, for the chart images: a refresh by cron may have moved
    the period on and replaced the charts stored under the old one. A worker whose kept run is older
    forgets what it kept, so its pages catch up too."""
    run = read_latest_run()
    if recent(LATEST_RUN, lambda: run) != run:
        forget()
    return run


def read_latest_run() -> Run | None:
    """The last refresh as it is in the database now."""
    row = db.session.execute(
        select(
            StatisticsRun.id, StatisticsRun.first_month, StatisticsRun.last_month, StatisticsRun.finished_at
        )
        .order_by(StatisticsRun.id.desc())
        .limit(1)
    ).first()
    return Run(*row) if row is not None else None


def view_signature(filters: Filters) -> str:
    """A view's short canonical name, which its charts are stored under: "2025-12..2026-11|board:7|all"."""
    sector = "all" if filters.sector_id is None else str(filters.sector_id)
    return f"{filters.first:%Y-%m}..{filters.last:%Y-%m}|{filters.scope}|{sector}"


def drawn_ahead(filters: Filters, run: Run) -> bool:
    """True for the views the refresh draws: the default period, every sector, any scope."""
    default = default_filters(run)
    return (filters.first, filters.last, filters.sector_id) == (default.first, default.last, None)


def charts(view: str) -> dict[str, Chart]:
    """One view's stored charts, without their SVG (read only when one is asked for)."""
    rows = db.session.execute(select(Chart.key, Chart.title, Chart.summary).where(Chart.view == view))
    return {key: Chart(view=view, key=key, title=title, summary=summary) for key, title, summary in rows}


def chart_keys_ahead(filters: Filters, run: Run) -> frozenset[str]:
    """The keys of the charts the refresh drew for a view drawn ahead: kept per worker until the next run."""
    view = view_signature(filters)
    return kept(run, ("charts ahead", view), lambda: frozenset(charts(view)))


def area_by_slug(slug: str) -> ReferenceItem | None:
    """A council area by its slug, from the reference list each worker reads once."""
    return next((item for item, _board in areas_with_boards() if item.slug == slug), None)


def views_drawn_on_request() -> int:
    """How many views have had charts drawn on request since the last refresh."""
    return db.session.scalar(select(func.count(distinct(Chart.view))).where(Chart.ahead.is_(False))) or 0


def recent_charts(run: Run, view: str) -> frozenset[str]:
    """The keys of a view's stored charts, kept per worker for RECENT_TOTALS_SECONDS.

    For the page only, to choose which charts to show: another worker's chart may be missed for that
    long (the chart itself is read from the database when asked for). Kept under the run, so a new run
    starts afresh.
    """
    return recent_for(STORED_CHARTS, (run.id, run.finished_at, view), lambda: frozenset(charts(view)))


def recent_views_drawn(run: Run) -> int:
    """views_drawn_on_request(), kept per worker for RECENT_TOTALS_SECONDS: for the page, which says
    whether a view's charts may be drawn now. Drawing itself counts afresh (services.draw_on_request)."""
    return recent_for(VIEWS_DRAWN, (run.id, run.finished_at), views_drawn_on_request)


def chart_svg(view: str, key: str) -> str | None:
    return db.session.scalar(select(Chart.svg).where(Chart.view == view, Chart.key == key))


def month_of(moment: datetime | date) -> date:
    return date(moment.year, moment.month, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_name(month: date) -> str:
    return month.strftime("%B %Y")


def figures_for(filters: Filters, run: Run) -> Figures:
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


def months_of(filters: Filters) -> list[date]:
    months, month = [], filters.first
    while month <= filters.last:
        months.append(month)
        month = add_months(month, 1)
    return months


def scope_areas(scope: str) -> list[tuple[int, str]]:
    """The council areas in a scope, by name: all of them, one board's, or one (from the reference list)."""
    kind, _, ident = scope.partition(":")
    return [
        (area.id, area.name)
        for area, board in areas_with_boards()
        if kind == SCOTLAND
        or (kind == "board" and board.id == int(ident))
        or (kind == "area" and area.id == int(ident))
    ]


def public_totals(run: Run) -> dict[str, int]:
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


def in_period(figures: Figures, measure: str, months: list[date]) -> dict[str, int]:
    """Add up one measure's figures over the months, group by group."""
    totals: dict[str, int] = defaultdict(int)
    for month in months:
        for label, value in figures[measure].get(month, {}).items():
            totals[label] += value
    return totals


def monthly(figures: Figures, measure: str, months: list[date]) -> list[int]:
    """One measure's total for each month, all groups together."""
    return [sum(figures[measure].get(month, {}).values()) for month in months]


def change(what: str, values: list[tuple[str, float]], unit: str = "") -> str:
    """Say in one sentence how a figure moved from the first point to the last."""
    if not values:
        return f"There are not enough figures to show {what} for this period."
    (first_label, first), (last_label, last) = values[0], values[-1]
    if len(values) == 1 or first == last:
        return f"{what.capitalize()} stood at {first:g}{unit} in {last_label}."
    verb = "rose" if last > first else "fell"
    return (
        f"{what.capitalize()} {verb} from {first:g}{unit} in {first_label} to {last:g}{unit} in {last_label}."
    )


def quarter_name(month: date) -> str:
    return f"{month.year} Q{(month.month - 1) // 3 + 1}"


def quarters(months: list[date]) -> dict[str, list[date]]:
    """The months grouped by calendar quarter, in order: a period's first and last may be partial."""
    found: dict[str, list[date]] = {}
    for month in months:
        found.setdefault(quarter_name(month), []).append(month)
    return found
