"""Events, their registrations, reminders, feedback and the actions people pledge."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.reference.models import CouncilArea, ImplementationDomain, NttpLevel, Sector
from champions.resources.models import Resource


class EventType(StrEnum):
    LEARNING_EVENT = "learning-event"
    DEEP_DIVE = "deep-dive"
    TRAINING = "training"
    NETWORK_MEETING = "network-meeting"
    WEBINAR = "webinar"


class EventFormat(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in-person"
    HYBRID = "hybrid"


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


TYPE_LABELS = {
    EventType.LEARNING_EVENT: "Learning event",
    EventType.DEEP_DIVE: "Deep dive",
    EventType.TRAINING: "Training",
    EventType.NETWORK_MEETING: "Network meeting",
    EventType.WEBINAR: "Webinar",
}
FORMAT_LABELS = {
    EventFormat.ONLINE: "Online",
    EventFormat.IN_PERSON: "In person",
    EventFormat.HYBRID: "Hybrid",
}
RATING_LABELS = {5: "Very useful", 4: "Useful", 3: "Somewhat useful", 2: "Not very useful", 1: "Not useful"}
# The actions people pledge, in the words of the learning report; "own" is one in their own words.
PLEDGE_CHOICES = {
    "disseminate": "Disseminate information to staff",
    "champion-role": "Develop a champion role",
    "learning-development": "Embed in learning and development",
    "multi-agency": "Link with multi-agency partners",
    "wellbeing": "Support staff wellbeing",
    "culture-change": "Promote culture change",
}
OWN = "own"

event_levels = Table(
    "event_levels",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("level_id", ForeignKey("nttp_levels.id"), primary_key=True),
)
event_sectors = Table(
    "event_sectors",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sectors.id"), primary_key=True),
)
event_domains = Table(
    "event_domains",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("implementation_domain_id", ForeignKey("implementation_domains.id"), primary_key=True, index=True),
)
event_resources = Table(
    "event_resources",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
)
event_organisers = Table(
    "event_organisers",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        # The listings: which events have not ended (counted from the index alone), and all of
        # them in start order, so a page of upcoming ones skips past ones without reading rows.
        Index("ix_events_not_ended", "ends_at", "status"),
        Index("ix_events_in_order", "starts_at", "id", "ends_at", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    event_type: Mapped[str] = mapped_column(String(30))
    format: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=EventStatus.DRAFT.value, index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    registration_deadline: Mapped[datetime | None]
    capacity: Mapped[int | None]
    joining_link: Mapped[str] = mapped_column(String(500), default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    council_area_id: Mapped[int | None] = mapped_column(ForeignKey("council_areas.id"), index=True)
    accessibility: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    report_key_messages: Mapped[str] = mapped_column(Text, default="")
    report_summary: Mapped[str] = mapped_column(Text, default="")
    report_published_at: Mapped[datetime | None]
    # Moves on with each save from an edit form, so a form opened on an older version cannot overwrite.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    council_area: Mapped[CouncilArea | None] = relationship()
    created_by: Mapped[User] = relationship()
    co_organisers: Mapped[list[User]] = relationship(secondary=event_organisers, order_by=User.name)
    levels: Mapped[list[NttpLevel]] = relationship(secondary=event_levels, order_by=NttpLevel.position)
    sectors: Mapped[list[Sector]] = relationship(secondary=event_sectors, order_by=Sector.position)
    domains: Mapped[list[ImplementationDomain]] = relationship(
        secondary=event_domains, order_by=ImplementationDomain.position
    )
    resources: Mapped[list[Resource]] = relationship(secondary=event_resources, order_by=Resource.title)
    registrations: Mapped[list["Registration"]] = relationship(back_populates="event")

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[EventType(self.event_type)]

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[EventFormat(self.format)]

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_online(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (EventFormat.IN_PERSON, EventFormat.HYBRID)

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now

    def has_ended(self, now: datetime) -> bool:
        return self.ends_at <= now

    def is_organiser(self, user) -> bool:
        """Creating an event counts only while the creator is still a coordinator; naming counts as named."""
        if not getattr(user, "is_authenticated", False):
            return False
        # Rights follow the current role: a creator demoted below coordinator stops organising (and
        # seeing access needs); co-organisers were named for this event by someone managing it.
        created = user.id == self.created_by_id and getattr(user, "is_coordinator", False)
        return created or any(u.id == user.id for u in self.co_organisers)

    def can_manage(self, user) -> bool:
        return self.is_organiser(user) or getattr(user, "is_admin", False)

    def subject(self, prefix: str) -> str:
        """Return an email subject naming the event, its title cut with an ellipsis to fit the outbox."""
        room = OutboxMessage.subject.property.columns[0].type.length - len(prefix)
        title = self.title if len(self.title) <= room else self.title[: room - 1].rstrip() + "…"
        return f"{prefix}{title}"

    def can_see(self, user) -> bool:
        return self.status != EventStatus.DRAFT or self.can_manage(user)

    def registration_closed_reason(self, now: datetime) -> str:
        """Say why registration is closed, in words for the person, or "" when it is open."""
        if self.status == EventStatus.CANCELLED:
            return "This event has been cancelled, so you cannot register for it."
        if self.status != EventStatus.PUBLISHED:
            return "This event is not open for registration yet."
        if self.has_started(now):
            return "This event has already started or taken place, so registration has closed."
        if self.registration_deadline and self.registration_deadline <= now:
            return "The registration deadline for this event has passed."
        return ""

    def feedback_closed_reason(self, registration: "Registration | None", now: datetime) -> str:
        """Say why this person may not give feedback, or "" when they may."""
        if registration is None or not registration.is_confirmed:
            return "Feedback is for people who had a place at this event."
        if not self.has_ended(now):
            return "You can give feedback once the event has ended."
        if registration.feedback_given:
            return "You have already given feedback on this event. Thank you."
        return ""


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    needs: Mapped[str] = mapped_column(Text, default="")
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"))
    attended: Mapped[bool] = mapped_column(default=False)
    feedback_given: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="registrations")
    user: Mapped[User] = relationship()
    sector: Mapped[Sector | None] = relationship()

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED


class ReminderSent(db.Model):
    """One row per reminder queued, so a reminder is never sent twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("registration_id", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Feedback(db.Model):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # None when the person chose to be anonymous: nothing links the answers to them.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rating: Mapped[int]
    barriers: Mapped[str] = mapped_column(Text, default="")
    enablers: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pledges: Mapped[list["Pledge"]] = relationship(back_populates="feedback", order_by="Pledge.id")


class PledgeProgress(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in-progress"
    NOT_YET = "not-yet"


ANSWER_LABELS = {
    PledgeProgress.DONE.value: "Done",
    PledgeProgress.IN_PROGRESS.value: "In progress",
    PledgeProgress.NOT_YET.value: "Not yet",
}


class Pledge(db.Model):
    __tablename__ = "pledges"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # a PLEDGE_CHOICES key, or "own"
    text: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[str | None] = mapped_column(String(20))
    progress_at: Mapped[datetime | None]
    followups_stopped: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    feedback: Mapped[Feedback] = relationship(back_populates="pledges")
    user: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        """The action in the words of the learning report, or the person's own words."""
        return self.text if self.kind == OWN else PLEDGE_CHOICES.get(self.kind, self.kind)


class PledgeFollowup(db.Model):
    """One row per follow-up queued (30 and 90 days), so none is sent twice."""

    __tablename__ = "pledge_followups"
    __table_args__ = (UniqueConstraint("pledge_id", "days_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"))
    days_after: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
