"""Each section's tables from the figures of one view, with the rule of five applied.

Every count of people passes through champions/small_numbers.py here, before any page, chart or
download sees it: a chart's points leave small groups out, and a table writes them "fewer than 5".
One module per section; this one puts them together.
"""

from dataclasses import replace

from champions.dashboard.queries.figures import (
    Dashboard,
    Filters,
    Run,
    Section,
    figures_for,
    months_of,
    scope_areas,
)
from champions.dashboard.queries.kept import kept
from champions.dashboard.queries.sections import (
    casestudies,
    coverage,
    discussions,
    events,
    feedback,
    pledges,
    returns,
)
from champions.dashboard.queries.sections.events import rate

__all__ = ["dashboard", "kept_dashboard", "rate"]


def dashboard(filters: Filters, run: Run) -> Dashboard:
    """Every section's tables for these filters, read in two queries."""
    figures = figures_for(filters, run)
    months = months_of(filters)
    covered = set(figures["covered_area"].get(run.last_month, {}))
    gaps = [name for _id, name in scope_areas(filters.scope) if name not in covered]
    sections = [
        Section("coverage", "Coverage", [coverage.coverage(figures, months)]),
        Section("people", "People", coverage.people(figures, run.last_month)),
        Section("events", "Events", events.events(figures, months)),
        feedback.section(figures, months),
        Section("pledges", "Pledges", pledges.pledges(figures, months)),
        casestudies.section(figures, months),
        Section("discussions", "Discussions", [discussions.discussions(figures, months)]),
        returns.section(figures, months),
    ]
    return Dashboard(filters, run, sections, gaps)


def kept_dashboard(filters: Filters, run: Run) -> Dashboard:
    """dashboard(filters, run), worked out once per worker for each run and view (queries/kept.py).

    The same for every viewer: the figures are the run's, and the rule of five was applied to them.
    The copy carries this request's run (a plain value, as the one kept with it).
    """
    return replace(kept(run, ("dashboard", filters), lambda: dashboard(filters, run)), run=run)
