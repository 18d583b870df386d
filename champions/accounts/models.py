"""Users, their roles and one-time tokens."""

from datetime import datetime
from enum import IntEnum

from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.clock import utcnow
from champions.extensions import db
from champions.reference.models import CouncilArea, HealthBoard, Organisation


class Role(IntEnum):
    """Roles rank upwards: each one can do all that the ones below can."""

    MEMBER = 10
    CHAMPION = 20
    COORDINATOR = 30
    ADMIN = 40

    @property
    def label(self) -> str:
        return self.name.capitalize()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # Lists of champions check each one's account is active: from this index, not the wide row.
    __table_args__ = (Index("ix_users_id_active", "id", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    council_area_id: Mapped[int | None] = mapped_column(ForeignKey("council_areas.id"))
    health_board_id: Mapped[int | None] = mapped_column(ForeignKey("health_boards.id"))
    role: Mapped[int] = mapped_column(default=Role.MEMBER.value)
    active: Mapped[bool] = mapped_column(default=True)
    email_verified_at: Mapped[datetime | None]
    session_version: Mapped[int] = mapped_column(default=1)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_signed_in_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Moves on with each save from an edit form, so a form opened on an older version cannot overwrite.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Set when the account is closed (champions.lifecycle): the row stays, emptied, so posts keep an author.
    closed_at: Mapped[datetime | None]
    # When retention last warned that a long-unused account will close; a sign-in since then cancels it.
    retention_warned_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship()
    council_area: Mapped[CouncilArea | None] = relationship()
    health_board: Mapped[HealthBoard | None] = relationship()

    def get_id(self) -> str:
        # The session version travels in the cookie, so bumping it signs out every copy.
        return f"{self.id}:{self.session_version}"

    @property
    def has_signed_in_before(self) -> bool:
        return self.last_signed_in_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_active(self) -> bool:
        return self.active and self.email_verified_at is not None

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_role(self, role: Role) -> bool:
        return self.role >= role

    @property
    def is_champion(self) -> bool:
        return self.has_role(Role.CHAMPION)

    @property
    def is_coordinator(self) -> bool:
        return self.has_role(Role.COORDINATOR)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def workplace_label(self) -> str:
        if self.council_area:
            return self.council_area.name
        return self.health_board.name if self.health_board else ""


class AnonymousUser(AnonymousUserMixin):
    is_champion = False
    is_coordinator = False
    is_admin = False
    council_area = None

    def has_role(self, role: Role) -> bool:
        return False
