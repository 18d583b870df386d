"""Event pages under /events: listing, archive, detail, calendars, and creating or changing events."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.clock import utcnow
from champions.events import calendars, manage_views, registration_views, services  # noqa: F401 - they add to bp
from champions.events.blueprint import bp
from champions.events.forms import EventForm, event_values, fill_from_event
from champions.events.models import FORMAT_LABELS, TYPE_LABELS, Event, EventStatus
from champions.events.permissions import managed_event_or_abort
from champions.events.registrations import closed_reason
from champions.pagination import page_number
from champions.reference.services import council_areas, levels, sectors

__all__ = ["bp"]


def _filters() -> services.Filters:
    args = request.args
    return services.Filters(**{name: args.get(name, "")[:40] for name in
                               ("area", "level", "format", "type", "sector", "month")})


def _listing(past: bool):
    filters = _filters()
    page = services.events_page(filters, page_number(), past=past)
    return render_template(
        "events/index.html", page=page, past=past, filters=filters,
        counts=services.seat_counts([e.id for e in page.items]),
        drafts=[] if past else services.drafts_for(current_user), options=_options(past))


def _options(past: bool) -> dict[str, list[tuple[str, str]]]:
    return {
        "month": services.month_choices(utcnow(), past),
        "area": [(x.slug, x.name) for x in council_areas()],
        "level": [(x.slug, x.name) for x in levels()],
        "sector": [(x.slug, x.name) for x in sectors()],
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
    return Response(calendars.feed_ics(), mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="events.ics"'})


# The feed lives at /events.ics, beside the blueprint's prefix rather than under it.
bp.record_once(lambda state: state.app.add_url_rule("/events.ics", "events.feed", feed))


def _visible_event(event_id: int) -> Event:
    event = services.load_event(event_id)
    if event is None or not services.can_see(event, current_user):
        abort(404)
    return event


@bp.route("/<int:event_id>")
def detail(event_id: int):
    event = _visible_event(event_id)
    registration = services.registration_of(event, current_user)
    counts = services.seat_counts([event.id])[event.id]
    now = utcnow()
    return render_template("events/detail.html", event=event, registration=registration, counts=counts,
                           closed=closed_reason(event, now), ended=event.has_ended(now),
                           can_manage=event.can_manage(current_user),
                           sees_link=event.can_manage(current_user) or bool(registration
                                                                            and registration.is_confirmed))


@bp.route("/<int:event_id>/event.ics")
def event_ics(event_id: int):
    event = _visible_event(event_id)
    registration = services.registration_of(event, current_user)
    include_link = event.can_manage(current_user) or bool(registration and registration.is_confirmed)
    return Response(calendars.event_ics(event, include_link), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'})


def _form_page(form: EventForm, event: Event | None):
    return render_template("events/form.html", form=form, event=event)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def create():
    form = EventForm()
    form.load_choices()
    if form.validate_on_submit():
        event = services.create_event(current_user, event_values(form))
        flash("The event has been saved as a draft. Check it, then publish it when you are ready.", "success")
        return redirect(url_for(".detail", event_id=event.id))
    return _form_page(form, None)



@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@role_required(Role.MEMBER)
def edit(event_id: int):
    event = managed_event_or_abort(event_id)
    form = EventForm()
    form.is_new = False
    form.load_choices()
    if request.method == "GET":
        fill_from_event(form, event)
    if form.validate_on_submit():
        services.update_event(current_user, event, event_values(form))
        flash("Your changes to the event have been saved.", "success")
        return redirect(url_for(".detail", event_id=event.id))
    return _form_page(form, event)


@bp.route("/<int:event_id>/publish", methods=["POST"])
@role_required(Role.MEMBER)
def publish(event_id: int):
    event = managed_event_or_abort(event_id)
    if event.status != EventStatus.DRAFT:
        flash("Only a draft can be published.", "info")
    else:
        services.publish_event(current_user, event)
        flash("The event is published. Members can now see it and register.", "success")
    return redirect(url_for(".detail", event_id=event.id))

