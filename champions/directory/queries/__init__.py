"""The directory's named queries, one module per page family; views call them as `queries.<name>`."""

from champions.directory.queries.coverage import coverage_map
from champions.directory.queries.export import directory_csv
from champions.directory.queries.profiles import (
    PER_PAGE,
    Facets,
    Filters,
    applications_page,
    directory_page,
    directory_query,
    facets,
    filter_facets,
    local_champions,
    pending_application_counts,
    profile_for_user,
    profile_with_details,
    status_counts,
)

__all__ = [
    "PER_PAGE",
    "Facets",
    "Filters",
    "applications_page",
    "coverage_map",
    "directory_csv",
    "directory_page",
    "directory_query",
    "facets",
    "filter_facets",
    "local_champions",
    "pending_application_counts",
    "profile_for_user",
    "profile_with_details",
    "status_counts",
]
