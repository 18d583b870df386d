"""Pages anyone may see: listing, archive, detail and calendars."""

from flask import Response, render_template, request
from flask_login import current_user

from champions import fragments
from champions.clock import utcnow
from champions.events import queries
from champions.events.models import FORMAT_LABELS, TYPE_LABELS
from champions.events.permissions import visible_event_page_or_404
from champions.events.views.blueprint import bp
from champions.pagination import page_number
from champions.reference.cache import reference_items


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
        drafts=[] if past else queries.drafts_for(current_user),
        options=_options(past),
        month_unusable=month_unusable,
    )


def _choices(name: str) -> list[tuple[str, str]]:
    """A reference list's (slug, name) pairs, from the lists kept per process."""
    return [(item.slug, item.name) for item in reference_items(name)]


def _options(past: bool) -> dict[str, list[tuple[str, str]]]:
    return {
        "month": queries.month_choices(utcnow(), past),
        **{name: _choices(name) for name in ("area", "level", "sector", "domain")},
        "format": [(k.value, v) for k, v in FORMAT_LABELS.items()],
        "type": [(k.value, v) for k, v in TYPE_LABELS.items()],
    }


@bp.app_template_global()
def kept_event_card(event_card, event: queries.EventCard, past: bool):
    """One card of the listing as `event_card` renders it, kept per process.

    A card shows only its own plain values (the card is the key, with `past` and the site's address),
    nothing about the reader, so anyone reading the listing may be given it.
    """
    key = ("event card", request.script_root, past, event)
    return fragments.kept(key, lambda: event_card(event, past))


def _offered(filters: queries.Filters, options: dict) -> bool:
    """Whether every chosen filter is one the lists offer (not something typed into the address)."""
    return all(not value or value in dict(options[name]) for name, value in vars(filters).items())


@bp.app_template_global()
def kept_event_filters(event_filters, endpoint: str, filters: queries.Filters, options: dict):
    """The listing's filter form as `event_filters` renders it, kept per process.

    Its options are the reference lists kept per process, the fixed formats and types, and the months,
    which make part of the key with the chosen values. Only values the lists offer are kept (anything
    else typed into the address is rendered each time), so the kept forms are few.
    """
    if not _offered(filters, options):
        return event_filters(endpoint, filters, options)
    key = ("event filters", request.script_root, endpoint, *vars(filters).items(), *options["month"])
    return fragments.kept(key, lambda: event_filters(endpoint, filters, options))


@bp.app_template_global()
def kept_event_pagination(pagination, page, endpoint: str, filters: queries.Filters, options: dict):
    """The listing's page links as `pagination` renders them, kept per process: they follow from the
    page's number, the number of pages and the filters alone (kept only for filters the lists offer)."""
    args = filters.as_args()
    if not _offered(filters, options):
        return pagination(page, endpoint, args)
    key = ("event pages", request.script_root, endpoint, *args.items(), page.page, page.pages)
    return fragments.kept(key, lambda: pagination(page, endpoint, args))


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
    page = visible_event_page_or_404(event_id)
    event, registration = page.event, page.registration
    now = utcnow()
    can_manage = event.can_manage(current_user)
    return render_template(
        "events/detail.html",
        event=event,
        registration=registration,
        counts=page.counts,
        closed=event.registration_closed_reason(now),
        ended=event.has_ended(now),
        can_manage=can_manage,
        sees_link=can_manage or bool(registration and registration.is_confirmed),
    )


@bp.route("/<int:event_id>/event.ics")
def event_ics(event_id: int):
    page = visible_event_page_or_404(event_id)
    event, registration = page.event, page.registration
    include_link = event.can_manage(current_user) or bool(registration and registration.is_confirmed)
    return Response(
        queries.event_ics(event, include_link),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'},
    )
