"""Who may see a council area's dashboard: coordinators and admins, and that area's own champions."""

from flask import abort
from sqlalchemy import exists, or_, select

from champions.directory.models import ChampionProfile, Scope, Status, champion_profile_areas
from champions.extensions import db
from champions.reference.models import CouncilArea


def is_champion_for(user, area: CouncilArea) -> bool:
    """True when the user is a verified champion covering this area, locally or for its whole NHS board."""
    local = exists().where(
        champion_profile_areas.c.champion_profile_id == ChampionProfile.id,
        champion_profile_areas.c.council_area_id == area.id,
    )
    board = (ChampionProfile.scope == Scope.NHS_BOARD) & (
        ChampionProfile.health_board_id == area.health_board_id
    )
    query = select(ChampionProfile.id).where(
        ChampionProfile.user_id == user.id, ChampionProfile.status == Status.VERIFIED, or_(local, board)
    )
    return db.session.scalar(query) is not None


def areas_for_champion(user) -> list[tuple[str, str]]:
    """(slug, name) of each council area whose figures a champion may see, by name: none for others.

    The same rule as is_champion_for. Coordinators see every area from the dashboard itself.
    """
    if not user.is_authenticated or not user.is_champion or user.is_coordinator:
        return []
    verified = (ChampionProfile.user_id == user.id) & (ChampionProfile.status == Status.VERIFIED)
    local = (
        select(champion_profile_areas.c.council_area_id)
        .join(ChampionProfile, ChampionProfile.id == champion_profile_areas.c.champion_profile_id)
        .where(verified)
    )
    boards = select(ChampionProfile.health_board_id).where(verified, ChampionProfile.scope == Scope.NHS_BOARD)
    query = (
        select(CouncilArea.slug, CouncilArea.name)
        .where(or_(CouncilArea.id.in_(local), CouncilArea.health_board_id.in_(boards)))
        .order_by(CouncilArea.name)
    )
    return [(slug, name) for slug, name in db.session.execute(query)]


def ensure_area_visible(user, area: CouncilArea | None) -> CouncilArea:
    """404 for an unknown area; 403 unless a coordinator or one of the area's champions asks."""
    if area is None:
        abort(404)
    if not user.is_coordinator and not (user.is_champion and is_champion_for(user, area)):
        abort(403)
    return area
