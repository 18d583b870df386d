"""Closing an account: by its owner, who confirms with their password (or by signing in again when they
have none), or by an admin on request."""

import re

from flask import current_app

from champions import audit, versions
from champions.accounts import services as accounts
from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db
from champions.lifecycle.services.erasure import FORMER_MEMBER, erase


class WrongPassword(Exception):
    """The password typed to confirm is not the account's password."""


class LastAdmin(Exception):
    """Closing this account would leave the portal with no active admin."""


def close_own_account(user: User, password: str, delete_posts: bool) -> None:
    """Close the signed-in person's account after checking their password."""
    if user.is_closed:
        return
    if accounts.authenticate(user.email, password) is None:
        raise WrongPassword
    _close(user, user, delete_posts, "closed by its owner" + (", with their posts" if delete_posts else ""))


def close_own_account_confirmed(user: User, delete_posts: bool) -> None:
    """Close the signed-in person's account, who has no password and has just signed in again instead."""
    if user.is_closed:
        return
    if user.has_password:
        raise WrongPassword  # a password, when there is one, is what confirms it
    detail = "closed by its owner after signing in again" + (", with their posts" if delete_posts else "")
    _close(user, user, delete_posts, detail)


def close_on_request(actor: User, user: User, reason: str) -> None:
    """Close someone's account at their request, recording the admin's reason without their name."""
    if user.is_closed:
        return
    reason = " ".join(reason.split())
    for needle in {user.name, user.email} - {""}:
        reason = re.sub(re.escape(needle), FORMER_MEMBER, reason, flags=re.IGNORECASE)
    _close(actor, user, False, f"closed on request: {reason}")


def _close(actor: User, user: User, delete_posts: bool, detail: str) -> None:
    if user.is_admin and user.active and accounts.hold_active_admins() <= 1:
        db.session.rollback()
        raise LastAdmin
    # Only while the account is open: the same closing sent twice at once erases and audits once.
    if not versions.take(user, User.closed_at.is_(None)):
        return
    erase([user.id], utcnow(), delete_posts=delete_posts)
    audit.record(actor, "account.close", user, detail)
    db.session.commit()
    # This process's coverage totals are worked out again on the next request, so the map drops them now.
    current_app.extensions.get("recent_totals", {}).pop("coverage counts", None)
