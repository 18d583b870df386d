"""Organisers' pages: attendees, CSV export, attendance, emails, cancelling and the learning report."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from champions.events import registrations, reports, services
from champions.events.blueprint import bp
from champions.events.forms import CancelForm, EmailForm, ReportForm
from champions.events.models import EventStatus
from champions.events.permissions import managed_event_or_abort


@bp.route("/<int:event_id>/attendees")
@login_required
def attendees(event_id: int):
    event = managed_event_or_abort(event_id)
    return render_template("events/attendees.html", event=event,
                           registrations=registrations.attendee_list(event))


@bp.route("/<int:event_id>/attendees.csv")
@login_required
def attendees_csv(event_id: int):
    event = managed_event_or_abort(event_id)
    return Response(registrations.attendee_csv(event), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}-attendees.csv"'})


@bp.route("/<int:event_id>/attendance", methods=["POST"])
@login_required
def attendance(event_id: int):
    event = managed_event_or_abort(event_id)
    ids = {int(value) for value in request.form.getlist("attended") if value.isdigit()}
    registrations.mark_attendance(current_user, event, ids)
    flash("Attendance has been saved.", "success")
    return redirect(url_for(".attendees", event_id=event.id))


@bp.route("/<int:event_id>/email", methods=["GET", "POST"])
@login_required
def email(event_id: int):
    event = managed_event_or_abort(event_id)
    form = EmailForm()
    if form.validate_on_submit():
        sent = services.email_registrants(current_user, event, form.subject.data, form.body.data)
        flash(f"Your message is on its way to {sent} people.", "success")
        return redirect(url_for(".attendees", event_id=event.id))
    return render_template("events/email.html", form=form, event=event)


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(event_id: int):
    event = managed_event_or_abort(event_id)
    if event.status == EventStatus.CANCELLED:
        flash("This event is already cancelled.", "info")
        return redirect(url_for(".detail", event_id=event.id))
    form = CancelForm()
    if form.validate_on_submit():
        told = services.cancel_event(current_user, event, form.reason.data or "")
        flash(f"The event is cancelled. We are emailing the {told} people who registered.", "success")
        return redirect(url_for(".detail", event_id=event.id))
    return render_template("events/cancel.html", form=form, event=event)


@bp.route("/<int:event_id>/report", methods=["GET", "POST"])
@login_required
def report(event_id: int):
    event = services.load_event(event_id)
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
            reports.save_report_text(current_user, event, form.key_messages.data or "",
                                     form.summary.data or "", bool(form.published.data))
            flash("The learning report has been saved.", "success")
            return redirect(url_for(".report", event_id=event.id))
    return render_template("events/report.html", event=event, report=reports.build_report(event),
                           form=form if can_manage else None)


@bp.route("/<int:event_id>/report.md")
@login_required
def report_markdown(event_id: int):
    event = services.load_event(event_id)
    if event is None or event.status == EventStatus.DRAFT and not event.can_manage(current_user):
        abort(404)
    if not event.can_manage(current_user) and event.report_published_at is None:
        abort(403)
    text = reports.report_markdown(reports.build_report(event))
    return Response(text, mimetype="text/markdown",
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}-report.md"'})
