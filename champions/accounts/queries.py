"""Reads for account pages."""

from datetime import timedelta

from sqlalchemy import and_, or_, select

from champions.accounts import organisation_sign_in, sessions
from champions.accounts.models import User, UserIdentity, UserSession
from champions.clock import utcnow
from champions.extensions import db
from champions.reference.models import CouncilArea


def active_sessions(user: User) -> list[UserSession]:
    """The user's sessions that still let their cookie in, most recently used first."""
    since = utcnow() - timedelta(seconds=sessions.idle_limit())
    statement = (
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.session_version == user.session_version,
            UserSession.last_seen_at >= since,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(db.session.scalars(statement))


def linked_organisations(user: User) -> list[tuple[UserIdentity, str]]:
    """The user's linked organisation accounts, each with its provider's display name."""
    names = {slug: provider.name for slug, provider in organisation_sign_in.providers().items()}
    statement = select(UserIdentity).where(UserIdentity.user_id == user.id).order_by(UserIdentity.id)
    return [
        (identity, names.get(identity.provider, identity.provider))
        for identity in db.session.scalars(statement)
    ]


def confirmable_organisations(user: User) -> list[tuple[str, str]]:
    """The configured providers the user has a linked account with, to sign in again: (slug, name)."""
    configured = organisation_sign_in.providers()
    return [(i.provider, name) for i, name in linked_organisations(user) if i.provider in configured]


def responsible_areas(user: User) -> list[CouncilArea]:
    """The council areas a coordinator looks after, by name: the one on their account and those of their
    NHS board. None for an admin, who looks after everything (their work is one list)."""
    ways = []
    if user.council_area_id is not None:
        ways.append(CouncilArea.id == user.council_area_id)
    if user.health_board_id is not None:
        ways.append(CouncilArea.health_board_id == user.health_board_id)
    if user.is_admin or not ways:
        return []
    return list(db.session.scalars(select(CouncilArea).where(or_(*ways)).order_by(CouncilArea.name)))


def account_in_areas(area_ids: frozenset[int]):
    """SQL: the account (`User`) is in one of these council areas, or, giving no area, in the NHS board
    of one of them. Lists put what such people wrote or asked first for the coordinators of those areas."""
    boards = select(CouncilArea.health_board_id).where(CouncilArea.id.in_(area_ids))
    return or_(
        User.council_area_id.in_(area_ids),
        and_(User.council_area_id.is_(None), User.health_board_id.in_(boards)),
    )


def responsible_area_ids(user: User) -> frozenset[int]:
    """The ids of `responsible_areas`: what lists sort "their areas first" by."""
    return frozenset(area.id for area in responsible_areas(user))
