"""The audit log: one row for each privileged action, saved in the transaction of the change it describes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from champions.clock import utcnow
from champions.extensions import db


class AuditEntry(db.Model):
    """Who did what, to what, and when: one row per privileged action."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    # Named, not imported: the audit log sits below the features whose actions it records.
    actor: Mapped[User | None] = relationship("User")  # noqa: F821


def record(actor, action: str, target, detail: str = "") -> AuditEntry:
    """Record what the actor (a user, or None for the system) did to target (no commit: it is saved
    with the change it describes)."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=getattr(target, "id", None),
        detail=detail,
    )
    db.session.add(entry)
    return entry


def page(page_number: int, per_page: int = 50):
    """One page of the audit log, newest first, with each entry's actor."""
    statement = (
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    return db.paginate(statement, page=page_number, per_page=per_page, error_out=False)
