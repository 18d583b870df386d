"""Data exports waiting to be built or downloaded, and consents given, with the wording's version."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db


class ConsentKind(StrEnum):
    DIRECTORY_LISTING = "directory-listing"
    ANONYMOUS_POSTING = "anonymous-posting"
    DISCUSSION_EMAIL = "discussion-email"


# Every wording a person has agreed to, by version: a record names a version found here, so a new
# wording is a new version added below, never an edit of an old one.
CONSENT_WORDINGS: dict[str, dict[str, str]] = {
    ConsentKind.DIRECTORY_LISTING: {
        "1": "Yes, list me in the public directory once I am verified. Anyone can then see my name, job "
        "title, organisation and the areas I cover; my contact details only as I choose.",
    },
    ConsentKind.ANONYMOUS_POSTING: {
        "1": "Post anonymously. Other members will see “A member of the network”. Coordinators can find "
        "out who wrote it if they need to for safety; each time they look is recorded.",
    },
    ConsentKind.DISCUSSION_EMAIL: {
        "1": "Send me emails about new posts in the discussions I follow (one for each new post, or a "
        "daily digest), as chosen in my discussion settings.",
    },
}
CONSENT_TITLES = {
    ConsentKind.DIRECTORY_LISTING: "Being listed in the champions directory",
    ConsentKind.ANONYMOUS_POSTING: "How anonymous posts work",
    ConsentKind.DISCUSSION_EMAIL: "Emails about discussions",
}


def current_version(kind: str) -> str:
    """The newest wording's version for this kind of consent."""
    return max(CONSENT_WORDINGS[kind], key=int)


class ConsentRecord(db.Model):
    """One agreement: who agreed to which wording, when, and when they withdrew it."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def wording(self) -> str:
        return CONSENT_WORDINGS.get(self.kind, {}).get(self.version, "")

    @property
    def title(self) -> str:
        return CONSENT_TITLES.get(self.kind, self.kind)

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class ExportStatus(StrEnum):
    QUEUED = "queued"
    BUILDING = "building"
    READY = "ready"
    USED = "used"
    EXPIRED = "expired"


class DataExport(db.Model):
    """A copy of one person's data: asked for, built by `flask build-exports`, downloaded once."""

    __tablename__ = "data_exports"
    # One copy waiting (queued, being built, or ready) per person and asker: two tabs asking at once make one.
    __table_args__ = (
        Index(
            "uq_data_exports_one_waiting",
            "subject_id",
            "requested_by_id",
            unique=True,
            sqlite_where=text("status IN ('queued', 'building', 'ready')"),
            postgresql_where=text("status IN ('queued', 'building', 'ready')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=ExportStatus.QUEUED.value, index=True)
    # Only a digest of the link's token is kept: the link itself exists only in the email.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]  # when a builder took it: a build that stopped is retried later
    ready_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    size: Mapped[int] = mapped_column(default=0)
    # The ZIP, kept only until it is downloaded or expires; deferred so lists never load it.
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    subject: Mapped[User] = relationship(foreign_keys=[subject_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.BUILDING, ExportStatus.READY)

    def is_for(self, user) -> bool:
        """Only the person who asked may download it (the person themselves, or the DPO who asked)."""
        return bool(getattr(user, "is_authenticated", False)) and user.id == self.requested_by_id

    def is_spent(self, now: datetime) -> bool:
        """Used, or past its expiry: the link has done its work."""
        if self.status in (ExportStatus.USED, ExportStatus.EXPIRED) or self.used_at is not None:
            return True
        return self.expires_at is not None and self.expires_at <= now
