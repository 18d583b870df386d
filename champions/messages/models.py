"""Conversations between two people, their messages, each person's place in them, blocks and settings."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db

SUBJECT_MAX = 120
BODY_MAX = 5_000
REASON_MAX = 2_000


class Conversation(db.Model):
    """Two people writing to each other; a report opens it to coordinators until it is closed."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    reported_at: Mapped[datetime | None]
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    report_reason: Mapped[str] = mapped_column(Text, default="")
    report_closed_at: Mapped[datetime | None]
    report_closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    started_by: Mapped[User] = relationship(foreign_keys=[started_by_id])
    members: Mapped[list["ConversationMember"]] = relationship(
        back_populates="conversation", passive_deletes=True
    )
    messages: Mapped[list["Message"]] = relationship(
        back_populates="conversation", order_by="Message.id", passive_deletes=True
    )

    @property
    def has_open_report(self) -> bool:
        return self.reported_at is not None and self.report_closed_at is None

    def member_for(self, user) -> "ConversationMember | None":
        user_id = getattr(user, "id", None)
        return next((m for m in self.members if m.user_id == user_id), None)

    def other_person(self, user) -> User | None:
        """The person this user is writing to (None once their account is gone)."""
        return next((m.user for m in self.members if m.user_id != getattr(user, "id", None)), None)

    def is_between(self, user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and self.member_for(user) is not None

    def can_be_read_by(self, user) -> bool:
        """Its two people; a coordinator only while one of them has reported it."""
        if self.is_between(user):
            return True
        return bool(getattr(user, "is_coordinator", False)) and self.has_open_report


class ConversationMember(db.Model):
    """One person's place in a conversation: whether they have news, and whether they were emailed it."""

    __tablename__ = "conversation_members"
    # The list of a person's conversations starts from their rows (the primary key starts with the
    # conversation, so this index serves the other direction).
    __table_args__ = (Index("ix_conversation_members_user_id", "user_id"),)

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    unread: Mapped[bool] = mapped_column(default=False)
    # One email per conversation until they read it: set when an email is queued, cleared on reading.
    emailed: Mapped[bool] = mapped_column(default=False)
    last_read_at: Mapped[datetime | None]

    conversation: Mapped[Conversation] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Message(db.Model):
    """One message in a conversation; the author is shown as a former member once their account closes."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()


class MessageBlock(db.Model):
    """One person blocking another: neither can start or continue a conversation with the other."""

    __tablename__ = "message_blocks"

    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id])


class MessageSetting(db.Model):
    """A person's choices: emails about new messages, and (for champions) taking new conversations."""

    __tablename__ = "message_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_on: Mapped[bool] = mapped_column(default=True)
    contact_on: Mapped[bool] = mapped_column(default=True)
