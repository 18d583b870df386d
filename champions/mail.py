"""The outbox: mail is queued in the same transaction as the change that causes it.

`queue()` adds a row to the session without committing, so the message exists only
if the change that caused it is saved. `deliver_pending()` (the `flask send-mail`
command) sends what is due over SMTP, with retries and backoff. A message is
claimed before it is sent, so two runs never send the same message twice.
"""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from sqlalchemy import JSON, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from champions.clock import utcnow
from champions.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A message claimed this long ago and never marked sent was probably in flight when a
# sender crashed. It is not retried (it may have gone), but marked "unknown" for a person to check.
STALE_CLAIM = timedelta(minutes=15)
# Shown when mail is printed instead of sent; the MIME headers say only how the body is encoded.
PRINTED_HEADERS_SKIPPED = {"content-type", "content-transfer-encoding", "mime-version"}
# On every email the portal sends: a reply by email that still carries it is our own mail coming back
# (an auto-forward or a loop), and champions.replies refuses it.
LOOP_HEADER = "X-Champions-Loop"

_held_back: ContextVar[bool] = ContextVar("mail_held_back", default=False)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


@contextmanager
def held_back() -> Iterator[None]:
    """Queue no mail inside this block: demo content has no one to write to."""
    token = _held_back.set(True)
    try:
        yield
    finally:
        _held_back.reset(token)


def queue(
    to: str, subject: str, template: str, headers: dict | None = None, **context
) -> OutboxMessage | None:
    """Add a message rendered from templates/email/<template>.txt to the session."""
    if _held_back.get():
        return None
    body = render_template(f"email/{template}.txt", **context)
    message = OutboxMessage(to_address=to, subject=subject, body=body, headers=headers or {})
    db.session.add(message)
    return message


def _claim(message_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending")
        .values(status="sending", attempts=OutboxMessage.attempts + 1, claimed_at=now)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _as_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    email[LOOP_HEADER] = "1"
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body)
    return email


def as_printed(email: EmailMessage) -> str:
    """Show a message as a person reads it: decoded text, so each link is whole on one line."""
    headers = [
        f"{name}: {value}" for name, value in email.items() if name.lower() not in PRINTED_HEADERS_SKIPPED
    ]
    return "\n".join(headers) + "\n\n" + email.get_content()


def _send(email: EmailMessage) -> None:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        log.warning("Mail not sent because MAIL_SERVER is not set; here it is:\n%s", as_printed(email))
        return
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
    finally:
        # Once the server has accepted the message, a failed goodbye must not cause a resend.
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2**attempts)


def _mark_stale_claims(now: datetime) -> int:
    count = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM)
        .values(status="unknown", last_error="The sender stopped while sending; it may or may not have gone.")
    ).rowcount
    db.session.commit()
    return count


def deliver_pending(now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send the messages that are due; return counts of sent, retried, failed and unknown."""
    now = now or utcnow()
    due = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    counts = {"sent": 0, "retry": 0, "failed": 0, "unknown": _mark_stale_claims(now)}
    for message_id in due:
        if not _claim(message_id, now):
            continue  # another run took it
        message = db.session.get(OutboxMessage, message_id)
        try:
            _send(_as_email(message))
        except Exception as error:
            message.last_error = str(error)[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
                counts["failed"] += 1
            else:
                message.status = "pending"
                message.next_attempt_at = now + _backoff(message.attempts)
                counts["retry"] += 1
        else:
            message.status = "sent"
            message.sent_at = utcnow()
            counts["sent"] += 1
        db.session.commit()
    return counts
