"""Case studies, their tags, attachments (bytes kept in the database), review history and marks."""

import hashlib
import json
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, Index, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.accounts.models import User
from champions.clock import today, utcnow
from champions.extensions import db
from champions.reference.models import (
    CouncilArea,
    ImplementationDomain,
    NttpLevel,
    Organisation,
    Principle,
    Sector,
)


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return {"submitted": "Waiting for review"}.get(self.value, self.value.capitalize())


# An author may edit in these states; a case study waiting for review or archived stays as it is.
EDITABLE = {Status.DRAFT, Status.PUBLISHED, Status.UNPUBLISHED}


class Visibility(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"


def _link_table(name: str, column: str, target: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column("case_study_id", ForeignKey("case_studies.id", ondelete="CASCADE"), primary_key=True),
        Column(column, ForeignKey(f"{target}.id", ondelete="CASCADE"), primary_key=True, index=True),
    )


case_study_sectors = _link_table("case_study_sectors", "sector_id", "sectors")
case_study_principles = _link_table("case_study_principles", "principle_id", "principles")
case_study_levels = _link_table("case_study_levels", "nttp_level_id", "nttp_levels")
case_study_areas = _link_table("case_study_areas", "council_area_id", "council_areas")
case_study_topics = _link_table("case_study_topics", "topic_id", "topics")
case_study_domains = _link_table("case_study_domains", "implementation_domain_id", "implementation_domains")


class Topic(db.Model):
    """A free topic tag, kept once per slug so that 'Peer support' and 'peer-support' merge."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(60))


# The text a form edits and a reader sees, saved as it was typed.
TEXT_FIELDS = (
    "title",
    "summary",
    "challenge",
    "approach",
    "involvement",
    "impact",
    "learning",
    "advice",
    "contact_name",
    "contact_email",
    "visibility",
)
# The fields a reader sees; a change to any of them makes an open review out of date.
FINGERPRINTED = (*TEXT_FIELDS, "co_produced", "review_by", "organisation_id")


def _digest(shown: dict) -> str:
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


class CaseStudy(db.Model):
    __tablename__ = "case_studies"
    __table_args__ = (
        # The library, newest first: a page is read in index order, checking who may see each.
        Index("ix_case_studies_listing", "published_at", "id", "status", "visibility"),
        # Counting matches checks who may see each one from this index, not the wide row.
        Index("ix_case_studies_visible", "id", "status", "visibility"),
        # The new-case-study form's one-time key: the same form sent twice makes one draft.
        # A unique index, not a constraint: adding it needs no table rebuild, which on SQLite would
        # drop the search triggers on this table.
        Index("uq_case_studies_form_key", "author_id", "form_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(12), default=Status.DRAFT.value, index=True)
    visibility: Mapped[str] = mapped_column(String(8), default=Visibility.MEMBERS.value)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    challenge: Mapped[str] = mapped_column(Text, default="")
    approach: Mapped[str] = mapped_column(Text, default="")
    involvement: Mapped[str] = mapped_column(Text, default="")
    co_produced: Mapped[bool] = mapped_column(default=False)
    impact: Mapped[str] = mapped_column(Text, default="")
    learning: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    review_by: Mapped[date]
    # An edit of a published case study waits here for review while the published text stays.
    pending_changes: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    pending_status: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    form_key: Mapped[str | None] = mapped_column(String(36))  # None for drafts made before keys

    author: Mapped[User] = relationship()
    # Named, not imported: the directory sits above case studies (a champion's page lists theirs).
    author_profile: Mapped["ChampionProfile | None"] = relationship(  # noqa: F821
        "ChampionProfile",
        primaryjoin="foreign(CaseStudy.author_id) == remote(ChampionProfile.user_id)",
        viewonly=True,
        uselist=False,
    )
    organisation: Mapped[Organisation | None] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=case_study_sectors, order_by=Sector.position)
    principles: Mapped[list[Principle]] = relationship(
        secondary=case_study_principles, order_by=Principle.position
    )
    domains: Mapped[list[ImplementationDomain]] = relationship(
        secondary=case_study_domains, order_by=ImplementationDomain.position
    )
    levels: Mapped[list[NttpLevel]] = relationship(secondary=case_study_levels, order_by=NttpLevel.position)
    areas: Mapped[list[CouncilArea]] = relationship(secondary=case_study_areas, order_by=CouncilArea.name)
    topics: Mapped[list[Topic]] = relationship(secondary=case_study_topics, order_by=Topic.slug)
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="case_study", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    transitions: Mapped[list["Transition"]] = relationship(
        back_populates="case_study", order_by="Transition.id", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def is_out_of_date(self) -> bool:
        return self.review_by < today()  # in Scotland

    @property
    def contact_label(self) -> str:
        return self.contact_name or self.author.name

    @property
    def author_public_profile_id(self) -> int | None:
        """The author's directory profile, for a link, when everyone may see it."""
        profile = self.author_profile
        return profile.id if profile is not None and profile.is_public else None

    def is_author(self, user) -> bool:
        return user.is_authenticated and self.author_id == user.id

    def can_view(self, user) -> bool:
        """Drafts only to their author; other unpublished states to the author and coordinators."""
        if self.status == Status.PUBLISHED:
            return self.is_public or user.is_authenticated
        if self.is_author(user):
            return True
        return self.status != Status.DRAFT and user.is_coordinator

    def can_edit(self, user) -> bool:
        return user.is_champion and self.is_author(user) and self.status_enum in EDITABLE

    def can_review(self, user) -> bool:
        waiting = self.status == Status.SUBMITTED or self.pending_status == "submitted"
        # Nobody approves their own work: another coordinator must review it, as in the directory.
        return user.is_coordinator and waiting and not self.is_author(user)

    def can_see_history(self, user) -> bool:
        """The workflow's history, waiting edits and their files: for the author and coordinators."""
        return user.is_coordinator or self.is_author(user)

    @property
    def returned(self) -> "Transition | None":
        """The reviewer's return (with their comments) while the author has not sent it again."""
        last = self.transitions[-1] if self.transitions else None
        if last is None:
            return None
        if self.pending_status == "returned" and last.to_status == "edit returned":
            return last
        sent_back = last.from_status == Status.SUBMITTED and last.to_status == Status.DRAFT
        if self.status == Status.DRAFT and sent_back:
            return last
        return None

    def review_fingerprint(self) -> str:
        """Return a digest of exactly what a reviewer is shown: content, waiting edit, tags and files."""
        return _digest(self._shown(files=True))

    def content_fingerprint(self) -> str:
        """Return a digest of the stored text and tags an edit form is opened on."""
        return _digest(self._shown(files=False))

    def _shown(self, files: bool) -> dict:
        shown = {
            "status": self.status,
            "pending_status": self.pending_status,
            "content": {name: getattr(self, name) for name in FINGERPRINTED},
            "pending": self.pending_changes,
            "tags": sorted(self.tag_ids()),
        }
        if files:
            shown["files"] = sorted((a.id, a.filename, a.pending) for a in self.attachments)
        return shown

    def tag_ids(self) -> set[tuple[str, int]]:
        return (
            {("sector", s.id) for s in self.sectors}
            | {("principle", p.id) for p in self.principles}
            | {("domain", d.id) for d in self.domains}
            | {("level", lv.id) for lv in self.levels}
            | {("topic", t.id) for t in self.topics}
        )


class Attachment(db.Model):
    """A file's description; its bytes live in attachment_blobs so lists never load them."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_studies.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(8))  # pdf, docx, pptx, xlsx, png, jpeg
    size: Mapped[int]
    # Added while editing a published case study: shown once the edit is published.
    pending: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case_study: Mapped[CaseStudy] = relationship(back_populates="attachments")
    blob: Mapped["AttachmentBlob"] = relationship(cascade="all, delete-orphan", lazy="raise")


class AttachmentBlob(db.Model):
    __tablename__ = "attachment_blobs"

    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Transition(db.Model):
    """One step of the workflow: who moved the case study from where to where, and why."""

    __tablename__ = "case_study_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_studies.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str] = mapped_column(Text, default="")
    checklist: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case_study: Mapped[CaseStudy] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()


class Bookmark(db.Model):
    """'Save for later'."""

    __tablename__ = "case_study_bookmarks"
    __table_args__ = (UniqueConstraint("user_id", "case_study_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_studies.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case_study: Mapped[CaseStudy] = relationship()


class UsefulMark(db.Model):
    """'This was useful': one per person per case study."""

    __tablename__ = "case_study_useful_marks"
    __table_args__ = (UniqueConstraint("user_id", "case_study_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_studies.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
