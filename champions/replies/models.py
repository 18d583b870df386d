"""The log of mail received at the reply addresses: when, for what, and what became of it (no words)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from champions.clock import utcnow
from champions.extensions import db

# What became of a received email; README "Reply by email" explains each.
POSTED = "posted"
POSTED_WITHOUT_ATTACHMENTS = "posted, attachments dropped"
OUTCOMES = (
    POSTED,
    POSTED_WITHOUT_ATTACHMENTS,
    "forged",
    "expired",
    "reused",
    "sender mismatch",
    "bounce",
    "auto-reply",
    "loop",
    "html only",
    "empty",
    "too long",
    "cannot post",
    "rate limited",
    "account closed",
    "gone",
    "unreadable",
    "too many parts",
)


class ReceivedMail(db.Model):
    """One email taken by `flask receive-mail`, for audit; its words are never kept."""

    __tablename__ = "received_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(12), default="")  # thread, conversation or "" (no good token)
    target_id: Mapped[int | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    # sha256 of the email's Message-ID: the same email sent again is refused as reused
    message_key: Mapped[str] = mapped_column(String(64), default="", index=True)
