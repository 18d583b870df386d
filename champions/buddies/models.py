"""A champion's buddy settings, their requests for a buddy, and the pairings coordinators confirm."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db

NOTE_MAX = 500

# How far a champion's organisation has come with the Roadmap for creating trauma-informed and
# responsive change, in the champion's own judgement (0: they have not said).
ROADMAP_STAGES = {
    1: "Just starting with the Roadmap",
    2: "Working through the Roadmap's self-assessment",
    3: "Making the changes the self-assessment pointed to",
    4: "Reviewing and keeping the changes going",
}


class RequestStatus(StrEnum):
    OPEN = "open"
    PAIRED = "paired"
    WITHDRAWN = "withdrawn"


class BuddySetting(db.Model):
    """A champion's choice to be someone's buddy (off until they opt in), and their Roadmap stage."""

    __tablename__ = "buddy_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    willing: Mapped[bool] = mapped_column(default=False)
    roadmap_stage: Mapped[int] = mapped_column(default=0)

    @property
    def roadmap_label(self) -> str:
        return ROADMAP_STAGES.get(self.roadmap_stage, "Not said")


class BuddyRequest(db.Model):
    """A champion asking for a buddy, with what they would like; one open request per person."""

    __tablename__ = "buddy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Holds the person's id while the request is open and NULL after, under a unique key: so a second
    # open request (a form sent twice, two tabs) cannot be made, while closed ones stay for history.
    open_key: Mapped[int | None] = mapped_column(unique=True)
    different_sector: Mapped[bool] = mapped_column(default=False)
    nearby: Mapped[bool] = mapped_column(default=False)
    further_on: Mapped[bool] = mapped_column(default=False)
    council_board: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    status: Mapped[str] = mapped_column(String(12), default=RequestStatus.OPEN.value, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    @property
    def wishes(self) -> list[str]:
        """What the person would like, in words."""
        said = [
            (self.different_sector, "someone in a different sector"),
            (self.nearby, "someone nearby (the same NHS board or a neighbouring one)"),
            (self.further_on, "someone further on with the Roadmap"),
            (self.council_board, "someone in the health board for their council"),
        ]
        return [words for wished, words in said if wished]

    def is_visible_to(self, user) -> bool:
        """The person who asked, and coordinators and admins."""
        if not getattr(user, "is_authenticated", False):
            return False
        return user.id == self.user_id or user.is_coordinator


class BuddyPairing(db.Model):
    """Two champions paired by a coordinator; either can end it. Ended pairings are kept as history."""

    __tablename__ = "buddy_pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One pairing per request: two coordinators confirming at once make one.
    request_id: Mapped[int] = mapped_column(ForeignKey("buddy_requests.id"), unique=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    buddy_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # "<lower id>:<higher id>" while active, NULL once ended: one active pairing per two people.
    active_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    paired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paired_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    request: Mapped[BuddyRequest] = relationship()
    asker: Mapped[User] = relationship(foreign_keys=[asker_id])
    buddy: Mapped[User] = relationship(foreign_keys=[buddy_id])

    @staticmethod
    def key_for(a_id: int, b_id: int) -> str:
        low, high = sorted((a_id, b_id))
        return f"{low}:{high}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def includes(self, user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.id in (self.asker_id, self.buddy_id)

    def other_person(self, user) -> User:
        return self.buddy if user.id == self.asker_id else self.asker

    def is_visible_to(self, user) -> bool:
        """The two people, and coordinators and admins."""
        return self.includes(user) or bool(getattr(user, "is_coordinator", False))
