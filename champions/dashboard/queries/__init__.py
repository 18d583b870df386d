"""The dashboards' reads: a few queries over the figures worked out ahead, whatever the data's size.

Views and the refresh call them as `queries.<name>`.
"""

from champions.dashboard.queries.figures import (
    Dashboard,
    Filters,
    Section,
    Table,
    add_months,
    area_by_slug,
    areas_with_boards,
    chart_svg,
    charts,
    default_filters,
    latest_run,
    month_name,
    month_of,
    public_totals,
    scope_areas,
)
from champions.dashboard.queries.sections import dashboard, rate

__all__ = [
    "Dashboard",
    "Filters",
    "Section",
    "Table",
    "add_months",
    "area_by_slug",
    "areas_with_boards",
    "chart_svg",
    "charts",
    "dashboard",
    "default_filters",
    "latest_run",
    "month_name",
    "month_of",
    "public_totals",
    "rate",
    "scope_areas",
]
