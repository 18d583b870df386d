"""Categories, threads, posts and their history, follows, read markers, reports and mail settings."""

from datetime import date, datetime
from enum import StrEnum

from markupsafe import Markup
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db

ANONYMOUS_NAME = "A member of the network"
BODY_MAX = 50_000  # the longest post, from the form or a reply by email


class EmailMode(StrEnum):
    EACH = "each"
    DIGEST = "digest"
    OFF = "off"


class Category(db.Model):
    __tablename__ = "discussion_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Kept by the posting and moving services (services/counters.py), so the discussions index
    # never has to count every thread: all threads, all their posts (hidden ones too), latest post.
    thread_count: Mapped[int] = mapped_column(default=0, server_default="0")
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_post_at: Mapped[datetime | None]
    # Moves on with each save from an edit form, so a form opened on an older version cannot overwrite.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    threads: Mapped[list["Thread"]] = relationship(back_populates="category")


class Thread(db.Model):
    __tablename__ = "discussion_threads"
    __table_args__ = (Index("ix_discussion_threads_listing", "category_id", "is_pinned", "last_post_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("discussion_categories.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    post_count: Mapped[int] = mapped_column(default=0)
    is_locked: Mapped[bool] = mapped_column(default=False)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)

    category: Mapped[Category] = relationship(back_populates="threads")
    author: Mapped[User] = relationship()
    posts: Mapped[list["Post"]] = relationship(back_populates="thread", order_by="Post.id")

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)


class Post(db.Model):
    __tablename__ = "discussion_posts"
    # A form key is used once per author: a second submit of the same form finds the first post.
    __table_args__ = (UniqueConstraint("author_id", "form_key", name="uq_discussion_posts_form_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_threads.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    content_note: Mapped[str] = mapped_column(String(120), default="")
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    form_key: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    # Moves on with each save from an edit form, so a form opened on an older version cannot overwrite.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    thread: Mapped[Thread] = relationship(back_populates="posts")
    author: Mapped[User] = relationship()
    revisions: Mapped[list["PostRevision"]] = relationship(
        back_populates="post", order_by="PostRevision.id", cascade="all, delete-orphan"
    )

    @property
    def html(self) -> Markup:
        # Rendered and sanitised by champions.markup when the post was written, so safe to show as is.
        return Markup(self.body_html)

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None

    @property
    def author_label(self) -> str:
        return ANONYMOUS_NAME if self.is_anonymous else self.author.name

    def can_edit(self, user) -> bool:
        return user.is_authenticated and user.id == self.author_id and self.is_visible

    def can_report(self, user) -> bool:
        return user.is_authenticated and user.id != self.author_id and self.is_visible


class PostRevision(db.Model):
    """An earlier version of a post, kept when it is edited; coordinators can read it."""

    __tablename__ = "discussion_post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("discussion_posts.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    content_note: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(back_populates="revisions")


class ThreadFollow(db.Model):
    __tablename__ = "discussion_thread_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_threads.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CategoryFollow(db.Model):
    __tablename__ = "discussion_category_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_categories.id"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadRead(db.Model):
    """How far a person has read a thread: the highest post id they have seen."""

    __tablename__ = "discussion_thread_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_threads.id"), primary_key=True, index=True)
    last_read_post_id: Mapped[int] = mapped_column(default=0)


class Report(db.Model):
    __tablename__ = "discussion_reports"
    # One open report per person and post, so a report sent twice is stored once.
    __table_args__ = (
        Index(
            "uq_discussion_reports_open",
            "post_id",
            "reporter_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("discussion_posts.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(40), default="")

    post: Mapped[Post] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])


class DiscussionSetting(db.Model):
    """A person's choices for discussion mail; no row means the defaults."""

    __tablename__ = "discussion_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email_mode: Mapped[str] = mapped_column(String(10), default=EmailMode.DIGEST.value)
    auto_follow: Mapped[bool] = mapped_column(default=True)

    @property
    def email_mode_label(self) -> str:
        return EMAIL_MODE_LABELS[EmailMode(self.email_mode)]


EMAIL_MODE_LABELS = {
    EmailMode.EACH: "An email for each new post",
    EmailMode.DIGEST: "One email a day at most, with a summary (daily digest)",
    EmailMode.OFF: "No emails",
}


class Notification(db.Model):
    """A post someone should hear about; emailed at once or gathered into the daily digest."""

    __tablename__ = "discussion_notifications"
    __table_args__ = (UniqueConstraint("user_id", "post_id", name="uq_discussion_notifications_user_post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("discussion_posts.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    emailed_at: Mapped[datetime | None] = mapped_column(index=True)

    post: Mapped[Post] = relationship()
    user: Mapped[User] = relationship()


class DigestRun(db.Model):
    """One digest per person per day: the row makes `flask send-digests` safe to run twice."""

    __tablename__ = "discussion_digest_runs"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_discussion_digest_runs_user_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    day: Mapped[date]
    post_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
