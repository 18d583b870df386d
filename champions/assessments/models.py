"""Framework versions with their domains and statements; assessments, helpers, answers and actions."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db
from champions.reference.models import Organisation, Principle

EVIDENCE_MAX = 1_500
LINKS_MAX = 2_000
LINK_MAX = 500
ACTION_MAX = 300
REASON_MAX = 1_000
STATEMENT_MAX = 500
NAME_MAX = 200
REOPEN_DAYS = 14
INVITATION_DAYS = 30  # an emailed invitation link works for this many days


class Rating(StrEnum):
    NOT_STARTED = "not-started"
    STARTING = "starting"
    DEVELOPING = "developing"
    EMBEDDED = "embedded"


RATING_LABELS = {
    Rating.NOT_STARTED: "Not yet started",
    Rating.STARTING: "Starting",
    Rating.DEVELOPING: "Developing",
    Rating.EMBEDDED: "Embedded",
}
RATING_HINTS = {
    Rating.NOT_STARTED: "Nothing is in place yet.",
    Rating.STARTING: "Some first steps, in a few places.",
    Rating.DEVELOPING: "Under way in much of the organisation, not yet everywhere or every time.",
    Rating.EMBEDDED: "Part of how the organisation works, and checked.",
}
RATING_SCORE = {Rating.NOT_STARTED: 0, Rating.STARTING: 1, Rating.DEVELOPING: 2, Rating.EMBEDDED: 3}


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Framework(db.Model):
    """One version of a framework: its domains and statements never change once an assessment uses it."""

    __tablename__ = "assessment_frameworks"
    __table_args__ = (
        UniqueConstraint("name", "version_number"),
        # One version waiting to be published per framework: a second "Make a new version" finds it.
        Index(
            "uq_assessment_frameworks_one_unpublished",
            "name",
            unique=True,
            sqlite_where=text("NOT is_published"),
            postgresql_where=text("NOT is_published"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    version_number: Mapped[int]
    is_published: Mapped[bool] = mapped_column(default=False)
    # Said on every page that shows it: the portal's own wording, not an official text.
    wording_note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    domains: Mapped[list["Domain"]] = relationship(
        back_populates="framework", order_by="Domain.position", passive_deletes=True
    )


class Domain(db.Model):
    """An implementation domain within one framework version."""

    __tablename__ = "assessment_domains"
    __table_args__ = (UniqueConstraint("framework_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("assessment_frameworks.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    position: Mapped[int]
    # Moves on with each admin edit of its wording (only ever in an unpublished version).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    framework: Mapped[Framework] = relationship(back_populates="domains")
    statements: Mapped[list["Statement"]] = relationship(
        back_populates="domain", order_by="Statement.position", passive_deletes=True
    )


class Statement(db.Model):
    """A statement to weigh in a domain, in plain words, tied to one principle."""

    __tablename__ = "assessment_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_domains.id", ondelete="CASCADE"), index=True
    )
    principle_id: Mapped[int | None] = mapped_column(ForeignKey("principles.id"))
    text: Mapped[str] = mapped_column(String(STATEMENT_MAX))
    position: Mapped[int]

    domain: Mapped[Domain] = relationship(back_populates="statements")
    principle: Mapped[Principle | None] = relationship()


class Assessment(db.Model):
    """One organisation's self-assessment on one framework version: a draft, then submitted."""

    __tablename__ = "assessments"
    __table_args__ = (
        # One open draft per organisation: a second "Start" finds the first.
        Index(
            "uq_assessments_one_draft",
            "organisation_id",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("assessment_frameworks.id"))
    status: Mapped[str] = mapped_column(String(12), default=Status.DRAFT.value)
    # Moves on with each save, so a form opened on an older version cannot overwrite a newer answer.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[datetime | None]
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    # Drawn once on submit (Altair + vl-convert), served as an image; pages never draw.
    chart_svg: Mapped[str | None] = mapped_column(Text)
    # The organisation's choice to be named with its results in the across-Scotland view (off by default).
    shared_with_network: Mapped[bool] = mapped_column(default=False, server_default=false())

    organisation: Mapped[Organisation] = relationship()
    framework: Mapped[Framework] = relationship()
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    answers: Mapped[list["Answer"]] = relationship(back_populates="assessment", passive_deletes=True)
    actions: Mapped[list["Action"]] = relationship(
        back_populates="assessment", order_by="(Action.due_on, Action.id)", passive_deletes=True
    )
    contributors: Mapped[list["Contributor"]] = relationship(
        back_populates="assessment", passive_deletes=True
    )

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == Status.SUBMITTED

    def answer_for(self, domain: Domain) -> "Answer | None":
        return next((a for a in self.answers if a.domain_id == domain.id), None)

    def actions_for(self, domain: Domain) -> list["Action"]:
        return [a for a in self.actions if a.domain_id == domain.id]

    @property
    def rated_count(self) -> int:
        return sum(1 for a in self.answers if a.rating)


class Contributor(db.Model):
    """Someone invited to help with one assessment (the organisation's champions need no row)."""

    __tablename__ = "assessment_contributors"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="contributors")
    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """An emailed invitation to contribute; the link lands on a page that asks before it adds anyone."""

    __tablename__ = "assessment_invitations"
    __table_args__ = (UniqueConstraint("assessment_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]

    assessment: Mapped[Assessment] = relationship()
    invited_by: Mapped[User | None] = relationship()


class Answer(db.Model):
    """One domain's rating, evidence and links in one assessment."""

    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "domain_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    domain_id: Mapped[int] = mapped_column(ForeignKey("assessment_domains.id"))
    rating: Mapped[str | None] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="")  # one URL a line
    # The assessment's version this answer was saved in: a form opened before it is stale.
    saved_in_version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    domain: Mapped[Domain] = relationship()
    updated_by: Mapped[User | None] = relationship()

    @property
    def rating_label(self) -> str:
        return RATING_LABELS[Rating(self.rating)] if self.rating else "Not rated yet"

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.links.splitlines() if line.strip()]


class Action(db.Model):
    """A next step in one domain, with an owner from the organisation and a date."""

    __tablename__ = "assessment_actions"
    __table_args__ = (Index("ix_assessment_actions_due", "due_on", "reminded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("assessment_domains.id"))
    description: Mapped[str] = mapped_column(String(ACTION_MAX))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date] = mapped_column(Date)
    reminded_at: Mapped[datetime | None]

    assessment: Mapped[Assessment] = relationship(back_populates="actions")
    domain: Mapped[Domain] = relationship()
    owner: Mapped[User | None] = relationship()
