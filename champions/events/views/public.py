"""Pages anyone may see: listing, archive, detail and calendars."""

from flask import Response, render_template, request
from flask_login import current_user

from champions.clock import utcnow
from champions.events import queries, services
from champions.events.models import FORMAT_LABELS, TYPE_LABELS
from champions.events.permissions import visible_event_or_404
from champions.events.views.blueprint import bp
from champions.pagination import page_number
from champions.reference.services import council_areas, implementation_domains, levels, sectors


def _filters() -> queries.Filters:
    args = request.args
    return queries.Filters(
        **{
            name: args.get(name, "")[:40]
            for name in ("area", "level", "format", "type", "sector", "domain", "month")
        }
    )


def _listing(past: bool):
    filters = _filters()
    # A month we cannot read (a typed or stale link) is dropped and said so, never an error.
    month_unusable = bool(filters.month) and queries.month_bounds(filters.month) is None
    if month_unusable:
        filters.month = ""
    page = queries.events_page(filters, page_number(), past=past)
    return render_template(
        "events/index.html",
        page=page,
        past=past,
        filters=filters,
        counts=queries.seat_counts([e.id for e in page.items]),
        drafts=[] if past else queries.drafts_for(current_user),
        options=_options(past),
        month_unusable=month_unusable,
    )


def _options(past: bool) -> dict[str, list[tuple[str, str]]]:
    return {
        "month": queries.month_choices(utcnow(), past),
        "area": [(x.slug, x.name) for x in council_areas()],
        "level": [(x.slug, x.name) for x in levels()],
        "sector": [(x.slug, x.name) for x in sectors()],
        "domain": [(x.slug, x.name) for x in implementation_domains()],
        "format": [(k.value, v) for k, v in FORMAT_LABELS.items()],
        "type": [(k.value, v) for k, v in TYPE_LABELS.items()],
    }


@bp.route("")
def index():
    return _listing(past=False)


@bp.route("/past")
def past():
    return _listing(past=True)


def feed():
    return Response(
        queries.feed_ics(),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="events.ics"'},
    )


# The feed lives at /events.ics, beside the blueprint's prefix rather than under it.
bp.record_once(lambda state: state.app.add_url_rule("/events.ics", "events.feed", feed))


@bp.route("/<int:event_id>")
def detail(event_id: int):
    event = visible_event_or_404(event_id)
    registration = services.registration_of(event, current_user)
    counts = queries.seat_counts([event.id])[event.id]
    now = utcnow()
    return render_template(
        "events/detail.html",
        event=event,
        registration=registration,
        counts=counts,
        closed=event.registration_closed_reason(now),
        ended=event.has_ended(now),
        can_manage=event.can_manage(current_user),
        sees_link=event.can_manage(current_user) or bool(registration and registration.is_confirmed),
    )


@bp.route("/<int:event_id>/event.ics")
def event_ics(event_id: int):
    event = visible_event_or_404(event_id)
    registration = services.registration_of(event, current_user)
    include_link = event.can_manage(current_user) or bool(registration and registration.is_confirmed)
    return Response(
        queries.event_ics(event, include_link),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'},
    )
