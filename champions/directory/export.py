"""The directory as CSV for coordinators, safe to open in a spreadsheet."""

from champions import audit
from champions.accounts.models import User
from champions.clock import format_london
from champions.directory import queries
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.spreadsheet import csv_text

COLUMNS = ["Name", "Job title", "Organisation", "Covers", "Council areas", "Sectors", "NTTP levels",
           "STILT completed", "Email", "Phone", "Who may contact", "Listed since", "Verified on"]
def _row(profile: ChampionProfile) -> list[str]:
    return [
        profile.display_name, profile.job_title, profile.organisation.name, profile.coverage_label,
        "; ".join(area.name for area in profile.council_areas),
        "; ".join(sector.name for sector in profile.sectors),
        "; ".join(level.name for level in profile.levels),
        "Yes" if profile.stilt_completed else "No", profile.user.email, profile.phone,
        "Champions only" if profile.contact_audience == "champions" else "Any signed-in member",
        format_london(profile.listing_consent_at, "%Y-%m-%d"), format_london(profile.decided_at, "%Y-%m-%d"),
    ]


def directory_csv(actor: User, filters: queries.Filters) -> str:
    """Write the listed, verified champions matching the filters, and record who took a copy."""
    profiles = db.session.scalars(queries.directory_query(filters)).unique().all()
    text = csv_text(COLUMNS, (_row(profile) for profile in profiles))
    audit.record(actor, "champion.export", actor, f"{len(profiles)} champions")
    db.session.commit()
    return text
