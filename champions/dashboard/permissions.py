"""Who may see a council area's dashboard: coordinators and admins, and that area's own champions."""

from flask import abort, g
from sqlalchemy import or_, select

from champions.directory.models import ChampionProfile, Scope, Status, champion_profile_areas
from champions.extensions import db
from champions.reference.cache import ReferenceItem
from champions.reference.models import CouncilArea


def areas_for_champion(user) -> list[tuple[str, str]]:
    """(slug, name) of each council area whose figures a champion may see, by name: none for others.

    A verified champion covers their own areas, or every area of their NHS board for a board champion.
    Coordinators see every area from the dashboard itself.
    Read once per request: the check, the page's links and the header all ask.
    """
    if not user.is_authenticated or not user.is_champion or user.is_coordinator:
        return []
    found = g.get("champion_figure_areas")
    if found is None or found[0] != user.id:
        found = g.champion_figure_areas = (user.id, _areas_for_champion(user))
    return found[1]


def _areas_for_champion(user) -> list[tuple[str, str]]:
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


def ensure_area_visible(user, area: ReferenceItem | None) -> ReferenceItem:
    """404 for an unknown area; 403 unless a coordinator or one of the area's champions asks.

    A champion's areas come from areas_for_champion, which the page reads for its links anyway.
    """
    if area is None:
        abort(404)
    if not user.is_coordinator and area.slug not in {slug for slug, _name in areas_for_champion(user)}:
        abort(403)
    return area
