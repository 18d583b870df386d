"""Users, their roles, second factors, signed-in sessions and linked organisation accounts."""

from datetime import datetime
from enum import IntEnum

from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
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
    # Conversations with messages they have not read (champions.messages keeps it): the header shows it
    # from the row already loaded for the request, so no page pays a query for it.
    unread_conversations: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation | None] = relationship()
    council_area: Mapped[CouncilArea | None] = relationship()
    health_board: Mapped[HealthBoard | None] = relationship()
    second_factor: Mapped["SecondFactor | None"] = relationship(passive_deletes=True)

    # The signed-in session record this object was loaded for, and when that session was last used
    # (not columns: set per request, and kept through a commit, which expires what is mapped).
    session_record_id = None
    session_seen_at = None

    def get_id(self) -> str:
        # The session version and record travel in the cookie: bumping the version signs out every
        # copy of every session, and ending the record signs out this one.
        return f"{self.id}:{self.session_version}:{self.session_record_id or 0}"

    @property
    def has_second_factor(self) -> bool:
        return self.second_factor is not None

    @property
    def has_password(self) -> bool:
        # An account made by an organisation sign-in has no password until the person sets one.
        return bool(self.password_hash)

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
    def needs_profile(self) -> bool:
        # Registering asks for both, so only an account made from an organisation sign-in's claims (which
        # has no password) can lack them; older accounts without an organisation are not stopped.
        missing = self.organisation_id is None or (
            self.council_area_id is None and self.health_board_id is None
        )
        return missing and not self.has_password

    @property
    def workplace_label(self) -> str:
        if self.council_area:
            return self.council_area.name
        return self.health_board.name if self.health_board else ""


class AnonymousUser(AnonymousUserMixin):
    needs_profile = False
    is_champion = False
    is_coordinator = False
    is_admin = False
    council_area = None

    def has_role(self, role: Role) -> bool:
        return False


class SecondFactor(db.Model):
    """A confirmed authenticator app: its TOTP secret and the last time step a code was used in."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    # A code is good for one use: any code from this step or an earlier one is refused.
    last_used_step: Mapped[int] = mapped_column(BigInteger, default=0)
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(db.Model):
    """One single-use recovery code, stored as a SHA-256 digest (each code holds 80 random bits)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None]


class UserSession(db.Model):
    """One signed-in browser: the cookie names this row, and an ended row refuses the cookie."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_id_ended_at", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The user's session version when it began: bumping the version ends every older session.
    session_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    device: Mapped[str] = mapped_column(String(80), default="")
    method: Mapped[str] = mapped_column(String(20), default="password")
    second_factor: Mapped[bool] = mapped_column(default=False)
    ended_at: Mapped[datetime | None]

    def is_live_for(self, user: User, idle_limit_seconds: int, now: datetime) -> bool:
        """True while the session has not been ended, outlived its version or sat idle too long."""
        return (
            self.user_id == user.id
            and self.ended_at is None
            and self.session_version == user.session_version
            and (now - self.last_seen_at).total_seconds() <= idle_limit_seconds
        )

    @property
    def method_label(self) -> str:
        labels = {"password": "Password", "oidc": "Organisation account"}
        label = labels.get(self.method, self.method.capitalize())
        return f"{label} and a second factor" if self.second_factor else label


class UserIdentity(db.Model):
    """An organisation account (OpenID Connect) linked to a user: the provider's slug and its subject."""

    __tablename__ = "user_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(40))
    # The provider's `sub` claim: stable for the person at that provider, unlike their email address.
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(254))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
