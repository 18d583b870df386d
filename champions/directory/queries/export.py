"""The directory as CSV rows for coordinators, safe to open in a spreadsheet."""

from champions.clock import format_london
from champions.directory.models import ChampionProfile
from champions.directory.queries.profiles import Filters, directory_query
from champions.extensions import db
from champions.spreadsheet import csv_text

COLUMNS = [
    "Name",
    "Job title",
    "Organisation",
    "Covers",
    "Council areas",
    "Sectors",
    "NTTP levels",
    "STILT completed",
    "Email",
    "Phone",
    "Who may contact",
    "Listed since",
    "Verified on",
]


def _row(profile: ChampionProfile) -> list[str]:
    return [
        profile.display_name,
        profile.job_title,
        profile.organisation.name,
        profile.coverage_label,
        "; ".join(area.name for area in profile.council_areas),
        "; ".join(sector.name for sector in profile.sectors),
        "; ".join(level.name for level in profile.levels),
        "Yes" if profile.stilt_completed else "No",
        profile.user.email,
        profile.phone,
        "Champions only" if profile.contact_audience == "champions" else "Any signed-in member",
        format_london(profile.listing_consent_at, "%Y-%m-%d"),
        format_london(profile.decided_at, "%Y-%m-%d"),
    ]


def directory_csv(filters: Filters) -> tuple[str, int]:
    """The listed, verified champions matching the filters as CSV text, and how many there are."""
    profiles = db.session.scalars(directory_query(filters)).unique().all()
    return csv_text(COLUMNS, (_row(profile) for profile in profiles)), len(profiles)
