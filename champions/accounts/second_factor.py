"""The second factor: authenticator-app codes (TOTP), single-use recovery codes, their limits and resets."""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app
from limits import RateLimitItem, parse
from markupsafe import Markup
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from champions import audit, mail
from champions.accounts import services, sessions
from champions.accounts.models import RecoveryCode, SecondFactor, User
from champions.clock import utcnow
from champions.extensions import db
from champions.links import external_url

ISSUER = "Trauma Champions Network"
STEP = 30
# A phone's clock may be a little out: the codes of one step either side are taken too.
SKEW = 1
# How far out a code is still recognised, only to tell the person their clock looks wrong.
CLOCK_HINT_STEPS = 10
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: easy to read aloud and copy by hand. 16 characters hold about 79 random bits, so a
# plain SHA-256 digest is enough to store them (nobody can try that many).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 4, 4
# Only failed codes count. Someone with the password gets 5 guesses in 5 minutes and 20 a day at a
# one-in-333,333 chance each (3 codes are valid at a time), while the owner's typos are forgiven.
CODE_LIMITS = (parse("5 per 5 minutes"), parse("20 per day"))


class CodeWrong(Exception):
    """The code is not one the authenticator app would show now, and is no unused recovery code."""


class CodeReused(Exception):
    """The code was right, but it (or a newer one) has been used already."""


class ClockOutOfStep(Exception):
    """The code belongs to a time minutes away from now: the phone's clock is probably wrong."""


class TooManyCodes(Exception):
    """Too many wrong codes for this account: wait a while."""


class AlreadySetUp(Exception):
    """The person already has a second factor."""


class StillRequired(Exception):
    """The person's role needs a second factor, so it cannot be switched off."""


def is_required(user: User) -> bool:
    """True when the user's role needs a second factor (coordinators and admins)."""
    return bool(current_app.config["SECOND_FACTOR_REQUIRED"]) and user.is_coordinator


def needs_setting_up(user: User) -> bool:
    return is_required(user) and not user.has_second_factor


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, interval=STEP).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> Markup:
    """Draw the set-up link as an inline SVG QR code (no image request, nothing for CSP to block)."""
    qr = segno.make(uri, error="m")
    svg = qr.svg_inline(scale=4, border=4, dark="#000", light="#fff", omitsize=False)
    return Markup(svg)


def grouped(secret: str) -> str:
    """Split the secret into groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def current_step() -> int:
    return int(time.time()) // STEP


def _clean_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str, now: int, reach: int) -> int | None:
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP)
    for step in sorted(range(now - reach, now + reach + 1), key=lambda s: abs(s - now)):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def check_code(secret: str, code: str, last_used_step: int = 0) -> int:
    """Return the time step a code from the app belongs to, or say kindly why it will not do."""
    code, now = _clean_code(code), current_step()
    step = _matching_step(secret, code, now, SKEW)
    if step is None:
        if _matching_step(secret, code, now, CLOCK_HINT_STEPS) is not None:
            raise ClockOutOfStep
        raise CodeWrong
    if step <= last_used_step:
        raise CodeReused
    return step


def _recovery_digest(code: str) -> str:
    return hashlib.sha256(_clean_code(code).encode("ascii", "replace")).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    codes = [
        "-".join(
            "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
            for _ in range(RECOVERY_GROUPS)
        )
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, digest=_recovery_digest(code)) for code in codes)
    return codes


def confirm_setup(user: User, secret: str, code: str, this_session: int | None) -> list[str]:
    """Switch the second factor on once a code from the app proves it is set up; return recovery codes.

    Every other session ends: none of them has shown the second factor, and a coordinator's would
    otherwise reach the privileged pages without it.
    """
    if user.has_second_factor:
        raise AlreadySetUp
    step = check_code(secret, code)
    try:
        user.second_factor = SecondFactor(secret=secret, last_used_step=step)
        codes = _new_recovery_codes(user)
        sessions.mark_others_ended(user, this_session)
        sessions.mark_second_factor(this_session)
        audit.record(user, "second_factor.on", user)
        db.session.commit()
    except IntegrityError:  # the same code sent twice at once: the other sending switched it on first
        db.session.rollback()
        raise AlreadySetUp from None
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Replace every recovery code with 10 new ones, shown once."""
    codes = _new_recovery_codes(user)
    audit.record(user, "second_factor.new_recovery_codes", user)
    db.session.commit()
    return codes


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def _hit(item: RateLimitItem, key: str, cost: int = 1) -> bool:
    # The same store and fallback as sign-in limits: shared by every worker.
    return services.hit_limit(item, key, cost, scope="second-factor")


def _use_totp(user: User, code: str) -> None:
    factor = user.second_factor
    step = check_code(factor.secret, code, factor.last_used_step)
    # One atomic update, so two requests with the same code cannot both get in.
    used = db.session.execute(
        update(SecondFactor)
        .where(SecondFactor.user_id == user.id, SecondFactor.last_used_step < step)
        .values(last_used_step=step)
    ).rowcount
    if not used:
        db.session.rollback()
        raise CodeReused


def _use_recovery_code(user: User, code: str) -> None:
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.digest == _recovery_digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    if not used:
        db.session.rollback()
        raise CodeWrong
    audit.record(user, "second_factor.recovery_code_used", user)


def use_code(user: User, code: str) -> str:
    """Check a sign-in code (app or recovery), counting failures; return which kind it was."""
    key = f"user:{user.id}"
    if current_app.config["RATELIMIT_ENABLED"] and not all(_hit(item, key) for item in CODE_LIMITS):
        raise TooManyCodes
    recovery = len(_clean_code(code)) > 6
    if recovery:
        _use_recovery_code(user, code)
    else:
        _use_totp(user, code)
    db.session.commit()  # before the counters: on SQLite they wait for this write to finish
    if current_app.config["RATELIMIT_ENABLED"]:
        for item in CODE_LIMITS:
            _hit(item, key, cost=-1)  # a right code gives its count back: only failures count
    return "recovery" if recovery else "code"


def switch_off(user: User, code: str) -> None:
    """Remove the second factor of someone whose role does not need it, after a right code."""
    if is_required(user):
        raise StillRequired
    use_code(user, code)  # commits the code's use, so a failure below cannot give it back
    _remove(user)
    audit.record(user, "second_factor.off", user)
    db.session.commit()


def _remove(user: User) -> bool:
    """Remove the second factor and its recovery codes (no commit); False when there was none to remove."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    removed = db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id)).rowcount
    db.session.expire(user, ["second_factor"])
    return removed == 1


def reset(actor: User, user: User) -> None:
    """Remove a person's second factor for them (a lost phone): audited, emailed, signed out everywhere.

    Reset twice at once (the check that there is one read before the other's commit), the second finds none
    left to remove and does nothing more: one audit entry, one email."""
    if not _remove(user):
        db.session.rollback()
        return
    audit.record(actor, "second_factor.reset", user)
    services.end_sessions(user)
    mail.queue(
        user.email,
        "Your second factor was reset",
        "accounts/second_factor_reset",
        user=user,
        sign_in_url=external_url("accounts.sign_in"),
    )
    db.session.commit()
