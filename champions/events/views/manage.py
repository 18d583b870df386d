"""Organisers' pages: creating and changing events, attendees, emails, cancelling and the learning report."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from champions import versions
from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.events import queries, services
from champions.events.forms import (
    CancelForm,
    EmailForm,
    EventForm,
    ReportForm,
    event_values,
    fill_from_event,
    stored_changes,
)
from champions.events.models import Event, EventStatus
from champions.events.permissions import managed_event_or_abort
from champions.events.views.blueprint import bp
from champions.small_numbers import plural


def _form_page(form: EventForm, event: Event | None, changed=(), status: int = 200):
    return render_template("events/form.html", form=form, event=event, changed=changed), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def create():
    form = EventForm()
    form.load_choices()
    if form.validate_on_submit():
        event = services.create_event(current_user, event_values(form), form_key=form.form_key.data)
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
        try:
            services.update_event(
                current_user, event, event_values(form), seen=versions.required(form.version)
            )
        except versions.Stale as stale:
            flash(versions.STALE_MESSAGE, "info")
            form.version.data = event.version  # saving again goes over the version now shown
            return _form_page(form, event, stored_changes(form, event), stale.status)
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


@bp.route("/<int:event_id>/attendees")
@login_required
def attendees(event_id: int):
    event = managed_event_or_abort(event_id)
    return render_template("events/attendees.html", event=event, registrations=queries.attendee_list(event))


@bp.route("/<int:event_id>/attendees.csv")
@login_required
def attendees_csv(event_id: int):
    event = managed_event_or_abort(event_id)
    return Response(
        queries.attendee_csv(event),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}-attendees.csv"'},
    )


@bp.route("/<int:event_id>/attendance", methods=["POST"])
@login_required
def attendance(event_id: int):
    event = managed_event_or_abort(event_id)
    ids = {int(value) for value in request.form.getlist("attended") if value.isdigit()}
    services.mark_attendance(current_user, event, ids)
    flash("Attendance has been saved.", "success")
    return redirect(url_for(".attendees", event_id=event.id))


@bp.route("/<int:event_id>/email", methods=["GET", "POST"])
@login_required
def email(event_id: int):
    event = managed_event_or_abort(event_id)
    form = EmailForm()
    if form.validate_on_submit():
        sent = services.email_registrants(
            current_user, event, form.subject.data, form.body.data, form_key=form.form_key.data
        )
        if sent is None:
            flash("This message was sent already, so it was not sent again.", "info")
        elif sent:
            flash(f"Your message is on its way to {plural(sent, 'person')}.", "success")
        else:
            flash("No one has a place or is waiting yet, so the message was not sent.", "info")
        return redirect(url_for(".attendees", event_id=event.id))
    return render_template("events/email.html", form=form, event=event)


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(event_id: int):
    event = managed_event_or_abort(event_id)
    if event.status == EventStatus.CANCELLED:
        flash("This event is already cancelled.", "info")
        return redirect(url_for(".detail", event_id=event.id))
    if event.status == EventStatus.DRAFT:  # cancelled events show to everyone; a draft stays unseen
        flash("This event is a draft, so only its organisers can see it: there is nothing to cancel.", "info")
        return redirect(url_for(".detail", event_id=event.id))
    form = CancelForm()
    if form.validate_on_submit():
        told = services.cancel_event(current_user, event, form.reason.data or "")
        if told is None:  # the same form, sent twice at once: the first one cancelled it
            flash("This event is already cancelled.", "info")
        elif told:
            flash(
                f"The event is cancelled. We are emailing the {plural(told, 'person')} who registered.",
                "success",
            )
        else:
            flash("The event is cancelled. No one had registered, so there is no one to tell.", "success")
        return redirect(url_for(".detail", event_id=event.id))
    return render_template("events/cancel.html", form=form, event=event)


@bp.route("/<int:event_id>/report", methods=["GET", "POST"])
@login_required
def report(event_id: int):
    event = queries.load_event(event_id)
    if event is None:
        abort(404)
    can_manage = event.can_manage(current_user)
    if not can_manage and (event.report_published_at is None or event.status == EventStatus.DRAFT):
        abort(403 if event.status != EventStatus.DRAFT else 404)
    form = ReportForm(obj=None)
    if can_manage and request.method == "GET":
        form.key_messages.data, form.summary.data = event.report_key_messages, event.report_summary
        form.published.data = event.report_published_at is not None
    if request.method == "POST":
        if not can_manage:
            abort(403)
        if form.validate_on_submit():
            services.save_report_text(
                current_user,
                event,
                form.key_messages.data or "",
                form.summary.data or "",
                bool(form.published.data),
            )
            flash("The learning report has been saved.", "success")
            return redirect(url_for(".report", event_id=event.id))
    return render_template(
        "events/report.html",
        event=event,
        report=queries.build_report(event),
        form=form if can_manage else None,
    )


@bp.route("/<int:event_id>/report.md")
@login_required
def report_markdown(event_id: int):
    event = queries.load_event(event_id)
    if event is None or event.status == EventStatus.DRAFT and not event.can_manage(current_user):
        abort(404)
    if not event.can_manage(current_user) and event.report_published_at is None:
        abort(403)
    text = queries.report_markdown(queries.build_report(event))
    return Response(
        text,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}-report.md"'},
    )
