"""Reads for account pages."""

from datetime import timedelta

from sqlalchemy import select

from champions.accounts import organisation_sign_in, sessions
from champions.accounts.models import User, UserIdentity, UserSession
from champions.clock import utcnow
from champions.extensions import db


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
