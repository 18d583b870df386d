"""Champion profiles: who a champion is, what they cover, and where their application stands."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db
from champions.reference.models import CouncilArea, HealthBoard, NttpLevel, Organisation, Sector


class Scope(StrEnum):
    """How far a champion's remit reaches: stored, so the areas covered are explicit."""

    LOCAL = "local"
    NHS_BOARD = "nhs-board"
    NATIONAL = "national"


SCOPE_RANK = {Scope.LOCAL: 0, Scope.NHS_BOARD: 1, Scope.NATIONAL: 2}


class Status(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    DECLINED = "declined"
    REVOKED = "revoked"


STATUS_LABELS = {
    Status.PENDING: "Waiting for a coordinator",
    Status.VERIFIED: "Verified",
    Status.DECLINED: "Not approved",
    Status.REVOKED: "Champion role ended",
}


class ContactAudience(StrEnum):
    MEMBERS = "members"
    CHAMPIONS = "champions"


champion_profile_areas = Table(
    "champion_profile_areas",
    db.metadata,
    Column("champion_profile_id", ForeignKey("champion_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("council_area_id", ForeignKey("council_areas.id"), primary_key=True, index=True),
)

champion_profile_sectors = Table(
    "champion_profile_sectors",
    db.metadata,
    Column("champion_profile_id", ForeignKey("champion_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sectors.id"), primary_key=True, index=True),
)

champion_profile_levels = Table(
    "champion_profile_levels",
    db.metadata,
    Column("champion_profile_id", ForeignKey("champion_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("nttp_level_id", ForeignKey("nttp_levels.id"), primary_key=True, index=True),
)


class ChampionProfile(db.Model):
    """One per user: made by applying, verified by a coordinator, listed only with consent."""

    __tablename__ = "champion_profiles"
    __table_args__ = (
        # The directory: listed champions counted from an index, and listed in name order from another.
        Index("ix_champion_profiles_listed", "status", "listing_consent_at", "user_id"),
        Index(
            "ix_champion_profiles_by_name", "display_name", "id", "status", "listing_consent_at", "user_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    scope: Mapped[str] = mapped_column(String(12), default=Scope.LOCAL.value)
    health_board_id: Mapped[int | None] = mapped_column(ForeignKey("health_boards.id"))
    bio: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    contact_audience: Mapped[str] = mapped_column(String(12), default=ContactAudience.MEMBERS.value)
    stilt_completed: Mapped[bool] = mapped_column(default=False)
    listing_consent_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(12), default=Status.PENDING.value, index=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Moves on with each save from an edit form, so a form opened on an older version cannot overwrite.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    organisation: Mapped[Organisation] = relationship()
    health_board: Mapped[HealthBoard | None] = relationship()
    council_areas: Mapped[list[CouncilArea]] = relationship(
        secondary=champion_profile_areas, order_by=CouncilArea.name
    )
    sectors: Mapped[list[Sector]] = relationship(secondary=champion_profile_sectors, order_by=Sector.position)
    levels: Mapped[list[NttpLevel]] = relationship(
        secondary=champion_profile_levels, order_by=NttpLevel.position
    )

    @property
    def is_listed(self) -> bool:
        return self.listing_consent_at is not None

    @property
    def is_verified(self) -> bool:
        return self.status == Status.VERIFIED

    @property
    def is_public(self) -> bool:
        """Shown to everyone: verified, listed, and the account is in use."""
        return self.is_verified and self.is_listed and self.user.active

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]

    @property
    def scope_rank(self) -> int:
        return SCOPE_RANK[Scope(self.scope)]

    @property
    def coverage_label(self) -> str:
        """Say in words what the champion covers."""
        if self.scope == Scope.NATIONAL:
            return "All of Scotland (national)"
        if self.scope == Scope.NHS_BOARD and self.health_board:
            return f"All of {self.health_board.name}"
        return ", ".join(area.name for area in self.council_areas)

    def is_owned_by(self, user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.id == self.user_id

    def can_be_seen_by(self, user) -> bool:
        return self.is_public or self.is_owned_by(user) or user.is_coordinator

    def can_be_decided_by(self, user) -> bool:
        """Coordinators decide on applications and end roles, never on their own profile."""
        return bool(getattr(user, "is_coordinator", False)) and not self.is_owned_by(user)

    def contact_visible_to(self, user) -> bool:
        """Contact details: only to signed-in people, as the champion chose."""
        if not getattr(user, "is_authenticated", False):
            return False
        if self.is_owned_by(user) or user.is_coordinator:
            return True
        return self.contact_audience == ContactAudience.MEMBERS or user.is_champion
