"""A person's own settings row: made on first save, changed through the ORM, safe against a double submit."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from champions.extensions import db


def save_own_row(model, user_id: int, values: dict, defaults: dict | None = None) -> None:
    """Set values on the person's row of this table, making it (with defaults) if it is missing.

    Through the ORM, not a bulk UPDATE, so that flush hooks (the consent record) see every change.
    The same form sent twice at once can find no row in both requests; the second insert then fails
    on the unique key and is tried once more, finding the row the other request made.
    """
    for attempt in (1, 2):
        row = db.session.scalar(select(model).where(model.user_id == user_id))
        if row is None:
            row = model(user_id=user_id, **(defaults or {}))
            db.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
