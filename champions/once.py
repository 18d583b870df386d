"""A second submit is a no-op: a form that makes or sends something carries a one-time key.

The form's page gives it a fresh key (`FormKeyField`); the service that acts writes a `FormSubmission`
row with that key in the same transaction as the thing it makes. A second submission of the same form,
one after the other or at the same instant, finds the row (or meets its unique key at commit) and is
answered with what the first one made, so the person lands on the same page and nothing happens twice.
"""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from champions.clock import utcnow
from champions.extensions import db

KEEP_DAYS = 7  # a form is not sent again, by accident, a week after it was first sent


class FormSubmission(db.Model):
    """One form, sent once: whose, for which action, and what it made (the id of the row)."""

    __tablename__ = "form_submissions"
    __table_args__ = (Index("uq_form_submissions_user_key", "user_id", "key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class FormKeyField(HiddenField):
    """A one-time key: new on each page that shows the form, kept when the form comes back with errors.

    A key that is missing or not a UUID is replaced by a fresh one: such a submission still acts once.
    """

    def process_data(self, value) -> None:
        self.data = str(uuid.uuid4())

    def process_formdata(self, valuelist) -> None:
        try:
            self.data = str(uuid.UUID(valuelist[0] if valuelist else ""))
        except ValueError:
            self.data = str(uuid.uuid4())


class AlreadyDone(Exception):
    """This form was sent before; `target_id` is what the first submission made (or acted on)."""

    def __init__(self, target_id: int | None):
        super().__init__("this form was sent before")
        self.target_id = target_id


def _earlier(user_id: int, key: str) -> FormSubmission | None:
    return db.session.scalar(
        select(FormSubmission).where(FormSubmission.user_id == user_id, FormSubmission.key == key)
    )


def check(user_id: int, key: str | None) -> None:
    """Raise AlreadyDone if this form was sent before (call before doing anything)."""
    if key and (earlier := _earlier(user_id, key)) is not None:
        raise AlreadyDone(earlier.target_id)


def commit(user_id: int, key: str | None, action: str, target_id: int | None = None) -> None:
    """Record the form as sent and commit the work done with it; raise AlreadyDone if a twin won."""
    if key:
        db.session.add(FormSubmission(user_id=user_id, key=key, action=action, target_id=target_id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = _earlier(user_id, key) if key else None
        if earlier is None:
            raise
        raise AlreadyDone(earlier.target_id) from None


def forget_before(cutoff: datetime) -> int:
    """Delete keys older than the cutoff (retention)."""
    result = db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < cutoff),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount
