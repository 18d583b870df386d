"""Who may see and change a champion profile (object-level checks for the views)."""

from flask import abort

from champions.directory.models import ChampionProfile


def ensure_visible(profile: ChampionProfile | None, user) -> ChampionProfile:
    """404 unless the profile is public, the person's own, or the viewer coordinates the network."""
    if profile is None or not profile.can_be_seen_by(user):
        abort(404)
    return profile


def ensure_owner(profile: ChampionProfile, user) -> None:
    if not profile.is_owned_by(user):
        abort(403)


def sees_area_dashboards(user) -> bool:
    """True when the user may open every council area's dashboard: coordinators and admins."""
    return user.is_authenticated and user.is_coordinator
