"""Optimistic locking: an edit form names the version it was opened on, and a stale save is refused."""

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from wtforms import HiddenField

from champions.extensions import db

STALE_MESSAGE = (
    "This was changed by someone else, or from another tab, while you had it open, so your changes were "
    "not saved, to avoid overwriting the newer version. Your text is below and the current version is "
    "shown. Check it, then save again."
)


class Stale(Exception):
    """The form named no version, or one that is no longer the stored one."""

    def __init__(self, missing: bool = False):
        super().__init__("no version named" if missing else "a newer version is stored")
        self.missing = missing

    @property
    def status(self) -> int:
        """The status of the page that refuses the save: a bad request, or a conflict."""
        return 400 if self.missing else 409


class VersionField(HiddenField):
    """The version an edit form was opened on: only ever read from the form, never from the object."""

    def process_data(self, value) -> None:
        # Filling a form from the object would make a POST that names no version look current.
        self.data = None

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def required(field: VersionField) -> int:
    """Return the version a posted form names, or raise Stale when it names none."""
    if field.data is None:
        raise Stale(missing=True)
    return field.data


def claim(obj, seen: int | None = None) -> None:
    """Move obj to its next version if it is still at `seen` (default: as loaded), or raise Stale."""
    if seen is None:
        seen = obj.version
    model = obj.__class__  # not type(obj): current_user is a proxy that forwards __class__
    # One conditional UPDATE: of two saves of the same version, exactly one finds its row.
    result = db.session.execute(
        update(model.__table__)
        .where(model.__table__.c.id == obj.id, model.__table__.c.version == seen)
        .values(version=model.__table__.c.version + 1)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Stale
    set_committed_value(obj, "version", seen + 1)


def take(obj, *still, **values) -> bool:
    """Change obj's row in SQL only while it is as this request found it (the conditions `still`); no commit.

    For a state change read first and written later (publish, cancel, decide): two requests that both read
    the old state both pass their checks, but of their two conditional UPDATEs exactly one finds its row
    (the other waits for the first's commit, then sees the new state). On False the session is rolled back,
    so nothing this request did is kept. The caller then sets the same values on the object, so the flush
    (and its hooks) see the change. With no values, the row is only held until commit.
    """
    table = obj.__class__.__table__  # not type(obj): current_user is a proxy that forwards __class__
    held = values or {"id": table.c.id}
    result = db.session.execute(
        update(table).where(table.c.id == obj.id, *still).values(**held),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    return True


def unchanged(obj, values: dict) -> bool:
    """Say whether saving these values would change nothing, as when one save is sent twice."""
    return all(getattr(obj, name) == value for name, value in values.items())


def changes(shown: dict[str, tuple[object, object]]) -> list[tuple[str, object]]:
    """Return (label, stored value) for each field whose stored value differs from what was typed."""
    return [(label, stored) for label, (typed, stored) in shown.items() if _text(typed) != _text(stored)]


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""
