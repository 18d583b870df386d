"""Who may manage an event: its organisers (the creator and co-organisers) and admins."""

from flask import abort
from flask_login import current_user

from champions.events import services
from champions.events.models import Event


def managed_event_or_abort(event_id: int) -> Event:
    """Load an event the signed-in person may manage: 404 if there is none, 403 if not theirs."""
    event = services.load_event(event_id)
    if event is None:
        abort(404)
    if not event.can_manage(current_user):
        abort(403)
    return event
