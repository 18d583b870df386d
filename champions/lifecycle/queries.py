"""Reads for closing accounts and for retention."""

from datetime import datetime

from sqlalchemy import Select, func, or_, select

from champions.accounts.models import User
from champions.extensions import db


def last_activity():
    """When the person last used the account: last sign-in, else confirming their email, else registering."""
    return func.coalesce(User.last_signed_in_at, User.email_verified_at, User.created_at)


def inactive_to_warn(inactive_since: datetime) -> Select:
    """Open accounts unused since then and not yet warned since they were last used."""
    return select(User).where(
        User.closed_at.is_(None),
        User.active.is_(True),
        User.email_verified_at.is_not(None),
        last_activity() < inactive_since,
        or_(User.retention_warned_at.is_(None), User.retention_warned_at < last_activity()),
    )


def warned_to_close(warned_before: datetime) -> list[int]:
    """Accounts warned before then that have not been used since the warning."""
    statement = select(User.id).where(
        User.closed_at.is_(None),
        User.retention_warned_at < warned_before,
        last_activity() < User.retention_warned_at,
    )
    return list(db.session.scalars(statement))
