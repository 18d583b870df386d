"""Role checks for views: every one runs on the server, per request."""

import time
from functools import wraps

from flask import abort, flash, redirect, request, session, url_for
from flask_login import current_user, login_required

from champions.accounts import second_factor
from champions.accounts.models import Role, User

CONFIRMED = "organisation_sign_in_confirmed"  # a person with no password has just signed in again
CONFIRMED_SECONDS = 600

# Reachable by a coordinator or admin who has not set up a second factor yet: signing in and out,
# their own account pages (where it is set up) and the static files. Everything else waits, so a
# page added later is covered without anyone remembering to mark it.
OPEN_BEFORE_SECOND_FACTOR = {"static", "home.account"} | {
    f"accounts.{name}"
    for name in [
        "register",
        "check_email",
        "verify",
        "sign_in",
        "sign_in_code",
        "sign_out",
        "reset_request",
        "reset_password",
        "profile",
        "change_password",
        "second_factor_setup",
        "new_recovery_codes",
        "second_factor_off",
        "end_session",
        "end_other_sessions",
    ]
}

# Reachable by someone whose account an organisation sign-in made, before they have saved their
# organisation and where they work: the form itself, signing out, and what anyone may read first.
# Leaving, and a copy of one's data, stay open too: nobody has to fill in a form to use those rights.
OPEN_BEFORE_PROFILE = (
    {"static", "home.privacy", "home.accessibility", "lifecycle.close", "lifecycle.closed"}
    | {"privacy.data", "privacy.download"}
    | {
        f"accounts.{name}"
        for name in [
            "profile",
            "sign_out",
            "sign_in",
            "sign_in_code",
            "organisation_start",
            "organisation_callback",
            "organisation_confirm",
        ]
    }
)


def role_required(role: Role):
    """Let through signed-in users with at least this role; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_second_factor():
    """Before any request: send a coordinator or admin without a second factor to set one up."""
    if request.endpoint is None or request.endpoint in OPEN_BEFORE_SECOND_FACTOR:
        return None
    if not current_user.is_authenticated or not second_factor.needs_setting_up(current_user):
        return None
    flash("Your role needs a second factor. Please set it up now: it takes about two minutes.", "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.second_factor_setup", next=target))


def require_profile():
    """Before any request: send someone whose account has no organisation or workplace yet to add them."""
    if request.endpoint is None or request.endpoint in OPEN_BEFORE_PROFILE:
        return None
    if not current_user.is_authenticated or not current_user.needs_profile:
        return None
    # No flash: the form says why, and several redirects in a row would pile the same message up.
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.profile", next=target))


def note_confirmed(user: User) -> None:
    """Remember, in this session only, that the person has just signed in again to confirm it is them."""
    session[CONFIRMED] = {"user": user.id, "at": int(time.time())}


def confirmed_recently(user: User) -> bool:
    """Say whether the person confirmed it is them by signing in again within the last few minutes."""
    confirmed = session.get(CONFIRMED)
    if not isinstance(confirmed, dict) or confirmed.get("user") != user.id:
        return False
    return time.time() - confirmed.get("at", 0) <= CONFIRMED_SECONDS


def forget_confirmed() -> None:
    """Use the confirmation up: the step it was for is done."""
    session.pop(CONFIRMED, None)
