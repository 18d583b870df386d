"""A member's side of an event: register, cancel, feedback, and answering pledge follow-ups."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from champions.clock import utcnow
from champions.events import queries, services
from champions.events.forms import FeedbackForm, RegisterForm
from champions.events.models import ANSWER_LABELS, RegistrationStatus
from champions.events.permissions import visible_event_or_404
from champions.events.views.blueprint import bp
from champions.reference.services import sectors


@bp.route("/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    event = visible_event_or_404(event_id)
    reason = event.registration_closed_reason(utcnow())
    if reason:
        flash(reason, "warning")
        return redirect(url_for(".detail", event_id=event.id))
    form = RegisterForm()
    form.load_choices()
    if form.validate_on_submit():
        sector = next((s for s in sectors() if s.slug == form.sector.data), None)
        try:
            registration = services.register(event, current_user, form.needs.data or "", sector)
        except services.RegistrationClosed as closed:
            flash(closed.reason, "warning")
            return redirect(url_for(".detail", event_id=event.id))
        if registration.is_confirmed:
            flash("You have a place at this event. We will send you a reminder before it starts.", "success")
        else:
            flash(
                "The event is full, so you are on the waiting list. We will email you if a place comes up.",
                "info",
            )
        return redirect(url_for(".detail", event_id=event.id))
    existing = services.registration_of(event, current_user)
    if request.method == "GET" and existing:
        form.needs.data = existing.needs
        form.sector.data = existing.sector.slug if existing.sector else ""
    confirmed = queries.seat_counts([event.id])[event.id].get(RegistrationStatus.CONFIRMED, 0)
    full = event.capacity is not None and confirmed >= event.capacity
    return render_template("events/register.html", form=form, event=event, existing=existing, full=full)


@bp.route("/<int:event_id>/cancel-registration", methods=["GET", "POST"])
@login_required
def cancel_registration(event_id: int):
    event = visible_event_or_404(event_id)
    registration = services.registration_of(event, current_user)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        flash("You are not registered for this event.", "info")
        return redirect(url_for(".detail", event_id=event.id))
    if request.method == "GET":
        return render_template("events/cancel_registration.html", event=event, registration=registration)
    services.cancel_registration(registration)
    flash("Your registration has been cancelled. Thank you for letting us know.", "success")
    return redirect(url_for(".detail", event_id=event.id))


@bp.route("/<int:event_id>/feedback", methods=["GET", "POST"])
@login_required
def feedback(event_id: int):
    event = visible_event_or_404(event_id)
    registration = services.registration_of(event, current_user)
    reason = event.feedback_closed_reason(registration, utcnow())
    if reason:
        flash(reason, "info")
        return redirect(url_for(".detail", event_id=event.id))
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            services.give_feedback(event, registration, form.values())
        except services.FeedbackNotAllowed as refused:
            flash(refused.reason, "info")
            return redirect(url_for(".detail", event_id=event.id))
        flash("Thank you for your feedback. It helps shape the next events.", "success")
        return redirect(url_for(".detail", event_id=event.id))
    return render_template("events/feedback.html", form=form, event=event)


@bp.route("/pledges/<token>", methods=["GET", "POST"])
def pledge_answer(token: str):
    """Show the answer an emailed link carries and record it on POST; no sign-in, the link is signed."""
    try:
        pledge, answer = services.read_token(token)
    except services.TokenInvalid:
        return render_template("events/link_invalid.html"), 400
    # A GET only asks: mail scanners and link previews open links, and must not answer for the person.
    form = FlaskForm()
    if not form.validate_on_submit():
        return render_template(
            "events/pledge_confirm.html", pledge=pledge, answer=answer, labels=ANSWER_LABELS, form=form
        )
    services.record_answer(pledge, answer)
    links = {key: services.pledge_token(pledge, key) for key in ANSWER_LABELS}
    return render_template(
        "events/pledge_answer.html", pledge=pledge, answer=answer, links=links, labels=ANSWER_LABELS
    )
