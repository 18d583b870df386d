"""Load-or-404 helpers: an event the signed-in person may see, or one they may manage."""

from flask import abort
from flask_login import current_user

from champions.events import queries
from champions.events.models import Event


def visible_event_or_404(event_id: int) -> Event:
    """Load an event the signed-in person may see: 404 if there is none or it is someone else's draft."""
    event = queries.load_event(event_id)
    if event is None or not event.can_see(current_user):
        abort(404)
    return event


def visible_event_page_or_404(event_id: int) -> queries.EventPage:
    """What the event page shows, for an event the signed-in person may see (404 as above)."""
    page = queries.event_page(event_id, current_user.id if current_user.is_authenticated else None)
    if page is None or not page.event.can_see(current_user):
        abort(404)
    return page


def managed_event_or_abort(event_id: int) -> Event:
    """Load an event the signed-in person may manage: 404 if there is none, 403 if not theirs."""
    event = queries.load_event(event_id)
    if event is None:
        abort(404)
    if not event.can_manage(current_user):
        abort(403)
    return event
