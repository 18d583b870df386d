"""Signed-in sessions kept on the server: each cookie names a row, so any one can be ended from anywhere."""

import re
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from champions.accounts.models import SecondFactor, User, UserSession
from champions.clock import utcnow
from champions.extensions import db

# Checked in order: the first match names the browser (Edge and Opera say "Chrome" too).
BROWSERS = [
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Samsung Internet", r"SamsungBrowser/"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/"),
    ("Safari", r"Safari/"),
]
SYSTEMS = [
    ("an iPhone", r"iPhone"),
    ("an iPad", r"iPad"),
    ("Android", r"Android"),
    ("ChromeOS", r"CrOS"),
    ("Windows", r"Windows"),
    ("a Mac", r"Macintosh|Mac OS X"),
    ("Linux", r"Linux"),
]


def describe_device(user_agent: str) -> str:
    """Name the browser and system in plain words, e.g. "Firefox on Windows"."""
    browser = next((name for name, pattern in BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for name, pattern in SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "An unknown browser or app")


def start(user: User, method: str, second_factor: bool, user_agent: str) -> UserSession:
    """Record a new signed-in session for this browser."""
    record = UserSession(
        user_id=user.id,
        session_version=user.session_version,
        device=describe_device(user_agent or "")[:80],
        method=method,
        second_factor=second_factor,
    )
    db.session.add(record)
    db.session.commit()
    return record


def idle_limit() -> int:
    """Seconds a session may go unused before it ends: as long as a remember-me cookie lasts."""
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return int(duration.total_seconds()) if isinstance(duration, timedelta) else int(duration)


def load(user_id: int, record_id: int) -> tuple[User, UserSession] | None:
    """Read a user and the session record a cookie names, in one query (it runs on every request).

    The user's second factor comes in the same statement: every page checks that a coordinator has one,
    and on PostgreSQL a second statement is a second round trip.
    """
    row = db.session.execute(
        select(User, UserSession, SecondFactor)
        .join(UserSession, UserSession.user_id == User.id)
        .outerjoin(SecondFactor, SecondFactor.user_id == User.id)
        .where(User.id == user_id, UserSession.id == record_id)
    ).first()
    if row is None or not row[1].is_live_for(row[0], idle_limit(), utcnow()):
        return None
    user, record, factor = row
    if "second_factor" not in user.__dict__:  # as loaded: None when there is none
        set_committed_value(user, "second_factor", factor)
    return user, record


def touch(record_id: int, seen_at: datetime | None, now: datetime | None = None) -> None:
    """Note that the session was used, at most once every SESSION_SEEN_EVERY seconds."""
    now = now or utcnow()
    threshold = now - timedelta(seconds=current_app.config["SESSION_SEEN_EVERY"])
    if seen_at is None or seen_at > threshold:
        return  # no query at all on most requests
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == record_id, UserSession.last_seen_at <= threshold)
        .values(last_seen_at=now)
    )
    db.session.commit()


def end(user: User, record_id: int) -> bool:
    """End one of the user's sessions; False when there was no such live session."""
    ended = db.session.execute(
        update(UserSession)
        .where(UserSession.id == record_id, UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    ).rowcount
    db.session.commit()
    return bool(ended)


def mark_others_ended(user: User, keep_id: int | None) -> int:
    """End every session of the user but this one (no commit: saved with its cause)."""
    return db.session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user.id, UserSession.id != (keep_id or 0), UserSession.ended_at.is_(None)
        )
        .values(ended_at=utcnow())
    ).rowcount


def mark_second_factor(record_id: int | None) -> None:
    """Note that this session has now shown the second factor (no commit)."""
    db.session.execute(
        update(UserSession).where(UserSession.id == (record_id or 0)).values(second_factor=True)
    )


def end_others(user: User, keep_id: int | None) -> int:
    """End every session of the user but this one; return how many ended."""
    ended = mark_others_ended(user, keep_id)
    db.session.commit()
    return ended


def keep_through_new_version(user: User, record_id: int | None) -> None:
    """Carry this session over a bump of the user's session version (a password change), and commit."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == (record_id or 0), UserSession.user_id == user.id)
        .values(session_version=user.session_version)
    )
    db.session.commit()
