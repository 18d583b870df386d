"""A member's side of an event: register, cancel, feedback, and answering pledge follow-ups."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from champions.clock import utcnow
from champions.events import followups, registrations, reports, services
from champions.events.blueprint import bp
from champions.events.forms import FeedbackForm, RegisterForm
from champions.events.models import Event
from champions.events.pledges import pledge_label
from champions.reference.services import sectors


def _published_event(event_id: int) -> Event:
    event = services.load_event(event_id)
    if event is None or not services.can_see(event, current_user):
        abort(404)
    return event


@bp.route("/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    event = _published_event(event_id)
    reason = registrations.closed_reason(event, utcnow())
    if reason:
        flash(reason, "warning")
        return redirect(url_for(".detail", event_id=event.id))
    form = RegisterForm()
    form.load_choices()
    if form.validate_on_submit():
        sector = next((s for s in sectors() if s.slug == form.sector.data), None)
        try:
            registration = registrations.register(event, current_user, form.needs.data or "", sector)
        except registrations.RegistrationClosed as closed:
            flash(closed.reason, "warning")
            return redirect(url_for(".detail", event_id=event.id))
        if registration.is_confirmed:
            flash("You have a place at this event. We will send you a reminder before it starts.", "success")
        else:
            flash("The event is full, so you are on the waiting list. We will email you if a place comes up.",
                  "info")
        return redirect(url_for(".detail", event_id=event.id))
    existing = services.registration_of(event, current_user)
    if request.method == "GET" and existing:
        form.needs.data = existing.needs
        form.sector.data = existing.sector.slug if existing.sector else ""
    return render_template("events/register.html", form=form, event=event, existing=existing)


@bp.route("/<int:event_id>/cancel-registration", methods=["GET", "POST"])
@login_required
def cancel_registration(event_id: int):
    event = _published_event(event_id)
    registration = services.registration_of(event, current_user)
    if registration is None or registration.status == registrations.CANCELLED:
        flash("You are not registered for this event.", "info")
        return redirect(url_for(".detail", event_id=event.id))
    if request.method == "GET":
        return render_template("events/cancel_registration.html", event=event, registration=registration)
    registrations.cancel_registration(registration)
    flash("Your registration has been cancelled. Thank you for letting us know.", "success")
    return redirect(url_for(".detail", event_id=event.id))


@bp.route("/<int:event_id>/feedback", methods=["GET", "POST"])
@login_required
def feedback(event_id: int):
    event = _published_event(event_id)
    registration = services.registration_of(event, current_user)
    reason = reports.feedback_reason(event, registration, utcnow())
    if reason:
        flash(reason, "info")
        return redirect(url_for(".detail", event_id=event.id))
    form = FeedbackForm()
    if form.validate_on_submit():
        reports.give_feedback(event, registration, form.values())
        flash("Thank you for your feedback. It helps shape the next events.", "success")
        return redirect(url_for(".detail", event_id=event.id))
    return render_template("events/feedback.html", form=form, event=event)


@bp.route("/pledges/<token>")
def pledge_answer(token: str):
    """One click from a follow-up email records the answer; no sign-in, the link is signed."""
    try:
        pledge, answer = followups.read_token(token)
    except followups.TokenInvalid:
        return render_template("events/link_invalid.html"), 400
    followups.record_answer(pledge, answer)
    links = {key: followups.pledge_token(pledge, key) for key in followups.ANSWER_LABELS}
    return render_template("events/pledge_answer.html", pledge=pledge, answer=answer, links=links,
                           labels=followups.ANSWER_LABELS, label=pledge_label(pledge))
