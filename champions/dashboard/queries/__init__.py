"""The dashboards' reads: a few queries over the figures worked out ahead, whatever the data's size.

Views and the refresh call them as `queries.<name>`.
"""

from champions.dashboard.queries.figures import (
    CHARTED,
    Dashboard,
    Filters,
    Section,
    Table,
    add_months,
    area_by_slug,
    areas_with_boards,
    chart_keys_ahead,
    chart_svg,
    charts,
    default_filters,
    drawn_ahead,
    latest_run,
    month_name,
    month_of,
    public_totals,
    scope_areas,
    view_signature,
    views_drawn_on_request,
)
from champions.dashboard.queries.kept import forget, kept
from champions.dashboard.queries.sections import dashboard, kept_dashboard, rate

__all__ = [
    "CHARTED",
    "Dashboard",
    "Filters",
    "Section",
    "Table",
    "add_months",
    "area_by_slug",
    "areas_with_boards",
    "chart_keys_ahead",
    "chart_svg",
    "charts",
    "dashboard",
    "default_filters",
    "drawn_ahead",
    "forget",
    "kept",
    "kept_dashboard",
    "latest_run",
    "month_name",
    "month_of",
    "public_totals",
    "rate",
    "scope_areas",
    "view_signature",
    "views_drawn_on_request",
]
