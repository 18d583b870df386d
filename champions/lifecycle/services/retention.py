"""Retention: delete or close what has been kept long enough, in bulk statements, once a day from cron."""

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from champions import audit, mail, once
from champions.accounts import services as accounts
from champions.accounts.models import Role, User, UserSession
from champions.events.models import Event, Registration
from champions.extensions import db
from champions.lifecycle import queries
from champions.lifecycle.services.erasure import SLICE, erase, run, unreferenced
from champions.links import external_url
from champions.mail import OutboxMessage
from champions.ratelimit_storage import rate_limit_counters
from champions.replies.models import ReceivedMail


class Retention:
    """The target of the audit entry each run writes."""

    id = None


def _before(now: datetime, setting: str) -> datetime:
    return now - timedelta(days=current_app.config[setting])


def apply_retention(now: datetime) -> dict[str, int]:
    """Apply every retention period; return how many rows each step changed."""
    config = current_app.config
    counts = {
        "unconfirmed accounts deleted": delete_unconfirmed(_before(now, "RETENTION_UNCONFIRMED_DAYS")),
        "inactive accounts warned": warn_inactive(now),
        "inactive accounts closed": close_warned(now),
        "event needs erased": erase_event_needs(_before(now, "RETENTION_EVENT_NEEDS_DAYS")),
        "email bodies erased": erase_outbox_bodies(_before(now, "RETENTION_OUTBOX_BODY_DAYS")),
        "audit entries deleted": delete_audit_entries(_before(now, "RETENTION_AUDIT_DAYS")),
        "rate-limit records deleted": delete_rate_limits(now, config["RETENTION_RATE_LIMIT_DAYS"]),
        "session records deleted": delete_session_records(_before(now, "RETENTION_SESSION_DAYS")),
        "form keys deleted": once.forget_before(now - timedelta(days=once.KEEP_DAYS)),
        "received mail records deleted": delete_received_mail(_before(now, "RETENTION_RECEIVED_MAIL_DAYS")),
    }
    detail = "; ".join(f"{name}: {count}" for name, count in counts.items())
    audit.record(None, "retention.apply", Retention(), detail)
    db.session.commit()
    return counts


def delete_unconfirmed(created_before: datetime) -> int:
    """Delete accounts never confirmed, with the emails sent to them, unless anything refers to them."""
    unused = unreferenced("users", User.id)
    doomed = select(User.id, User.email).where(
        User.email_verified_at.is_(None), User.closed_at.is_(None), User.created_at < created_before, *unused
    )
    rows = db.session.execute(doomed).all()
    for start in range(0, len(rows), SLICE):
        chunk = rows[start : start + SLICE]
        addresses = [row.email for row in chunk]
        run(delete(OutboxMessage).where(OutboxMessage.to_address.in_(addresses)))
        run(delete(User).where(User.id.in_([row.id for row in chunk])))
    return len(rows)


def warn_inactive(now: datetime) -> int:
    """Email each account unused for the inactive period that it will close unless they sign in."""
    closes_on = now + timedelta(days=current_app.config["RETENTION_WARNING_DAYS"])
    users = list(db.session.scalars(queries.inactive_to_warn(_before(now, "RETENTION_INACTIVE_DAYS"))))
    sign_in_url = external_url("accounts.sign_in")
    for user in users:
        mail.queue(
            user.email,
            "Your Trauma Champions Network account will close unless you sign in",
            "lifecycle/inactive_warning",
            user=user,
            closes_on=closes_on,
            sign_in_url=sign_in_url,
        )
    ids = [user.id for user in users]
    for start in range(0, len(ids), SLICE):
        run(update(User).where(User.id.in_(ids[start : start + SLICE])).values(retention_warned_at=now))
    return len(ids)


def close_warned(now: datetime) -> int:
    """Close the accounts warned a warning period ago and not used since, never the last admin."""
    ids = queries.warned_to_close(_before(now, "RETENTION_WARNING_DAYS"))
    admins = set(db.session.scalars(select(User.id).where(User.id.in_(ids), User.role >= Role.ADMIN)))
    if admins and accounts.hold_active_admins() - len(admins) < 1:  # held: see accounts.services
        ids = [user_id for user_id in ids if user_id not in admins]
    erase(ids, now)
    return len(ids)


def erase_event_needs(ended_before: datetime) -> int:
    """Blank the access and dietary needs told to organisers of events that ended long enough ago."""
    ended = select(Event.id).where(Event.ends_at < ended_before)
    result = run(
        update(Registration)
        .where(Registration.needs != "", Registration.event_id.in_(ended))
        .values(needs="")
    )
    return result.rowcount


def erase_outbox_bodies(created_before: datetime) -> int:
    """Blank the words of old emails no longer waiting to be sent, keeping who, when and the outcome."""
    result = run(
        update(OutboxMessage)
        .where(
            OutboxMessage.created_at < created_before,
            OutboxMessage.body != "",
            OutboxMessage.status.not_in(["pending", "sending"]),
        )
        .values(body="")
    )
    return result.rowcount


def delete_audit_entries(created_before: datetime) -> int:
    result = run(delete(audit.AuditEntry).where(audit.AuditEntry.created_at < created_before))
    return result.rowcount


def delete_rate_limits(now: datetime, days: int) -> int:
    """Delete rate-limit counters that expired more than the period ago (they hold keys, not people)."""
    cutoff = now.replace(tzinfo=UTC).timestamp() - days * 86400
    result = db.session.execute(delete(rate_limit_counters).where(rate_limit_counters.c.expires_at < cutoff))
    return result.rowcount


def delete_session_records(before: datetime) -> int:
    """Delete records of sessions ended, or unused, since the cutoff (an unused one no longer works)."""
    ended = UserSession.ended_at.is_not(None) & (UserSession.ended_at < before)
    result = run(delete(UserSession).where(ended | (UserSession.last_seen_at < before)))
    return result.rowcount


def delete_received_mail(before: datetime) -> int:
    """Delete the log of reply emails received before the cutoff (it never holds their words)."""
    result = run(delete(ReceivedMail).where(ReceivedMail.received_at < before))
    return result.rowcount
