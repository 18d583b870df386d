"""Consents on record: which wording each person agreed to and when, and withdrawing it.

The directory and the discussions keep their own switches (a profile's listing, a post's anonymity, the
email setting). A flush hook notices each switch turning on or off, whichever service turned it, and
keeps the record in the same transaction, so a consent is never on without a record of its wording.
"""

from datetime import datetime

from flask import Flask
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from champions import audit, versions
from champions.accounts.models import User
from champions.clock import utcnow
from champions.directory import services as directory_services
from champions.directory.models import ChampionProfile
from champions.discussions import queries as discussion_queries
from champions.discussions.models import DiscussionSetting, EmailMode, Post
from champions.discussions.services import notify
from champions.extensions import db
from champions.privacy import queries
from champions.privacy.models import ConsentKind, ConsentRecord, current_version


class NothingToWithdraw(Exception):
    """This consent is not given at the moment."""


def _open(session: Session, user: User, kind: str) -> ConsentRecord | None:
    pending = [r for r in session.new if isinstance(r, ConsentRecord) and r.user is user and r.kind == kind]
    if pending:
        return pending[-1]
    if user.id is None:
        return None  # a new account has no records yet
    with session.no_autoflush:
        return queries.open_consent(user.id, kind)


def _give(session: Session, user: User, kind: ConsentKind, at: datetime | None = None) -> None:
    record = _open(session, user, kind.value)
    if record is not None and record.version == current_version(kind):
        return
    if record is not None:
        record.withdrawn_at = utcnow()  # agreed again to a newer wording, which replaces the old one
    session.add(
        ConsentRecord(user=user, kind=kind.value, version=current_version(kind), given_at=at or utcnow())
    )


def _withdraw(session: Session, user: User, kind: ConsentKind) -> None:
    record = _open(session, user, kind.value)
    if record is not None:
        record.withdrawn_at = utcnow()


def _switched(obj, name: str) -> tuple[object, object] | None:
    """(old, new) values of an attribute changed in this flush, or None when it did not change."""
    history = inspect(obj).attrs[name].history
    if not history.added:
        return None
    return (history.deleted[0] if history.deleted else None), history.added[0]


def _person(session: Session, obj, relation: str, column: str) -> User:
    with session.no_autoflush:
        return getattr(obj, relation) or session.get(User, getattr(obj, column))


def record_switches(session: Session, flush_context, instances) -> None:
    """Turn the consent switches changed in this flush into records (a before_flush hook)."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, ChampionProfile) and (change := _switched(obj, "listing_consent_at")):
            user = _person(session, obj, "user", "user_id")
            if change[1] is not None and change[0] is None:
                _give(session, user, ConsentKind.DIRECTORY_LISTING, at=change[1])
            elif change[1] is None:
                _withdraw(session, user, ConsentKind.DIRECTORY_LISTING)
        elif isinstance(obj, Post) and obj in session.new and obj.is_anonymous:
            _give(session, _person(session, obj, "author", "author_id"), ConsentKind.ANONYMOUS_POSTING)
        elif isinstance(obj, DiscussionSetting) and (change := _switched(obj, "email_mode")):
            with session.no_autoflush:
                user = session.get(User, obj.user_id)
            if change[1] == EmailMode.OFF:
                _withdraw(session, user, ConsentKind.DISCUSSION_EMAIL)
            else:
                _give(session, user, ConsentKind.DISCUSSION_EMAIL)


def init_app(app: Flask) -> None:
    """Keep consent records with every write (the listener is on the shared session, so added once)."""
    if not event.contains(db.session, "before_flush", record_switches):
        event.listen(db.session, "before_flush", record_switches)


def withdraw(user: User, kind: str) -> None:
    """Withdraw one consent; the listing and the emails stop at once, through their own services."""
    if kind not in set(ConsentKind):
        raise NothingToWithdraw
    if kind == ConsentKind.DIRECTORY_LISTING:
        profile = db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))
        if profile is None or not profile.is_listed:
            raise NothingToWithdraw
        directory_services.set_listing(profile, False, user)  # unlists now; the hook closes the record
        return
    if kind == ConsentKind.DISCUSSION_EMAIL:
        if discussion_queries.settings_for(user).email_mode == EmailMode.OFF:
            raise NothingToWithdraw
        notify.unsubscribe(user)  # the hook closes the record, if there is one
        return
    record = queries.open_consent(user.id, kind)
    if record is None:
        raise NothingToWithdraw
    now = utcnow()
    # Only while it is still open: the same withdrawal sent twice at once is recorded (and audited) once.
    if not versions.take(record, ConsentRecord.withdrawn_at.is_(None), withdrawn_at=now):
        return
    record.withdrawn_at = now
    audit.record(user, "privacy.consent.withdraw", user, kind)
    db.session.commit()
