"""Conversations: the list, a thread and its reply form, writing to a champion or a coordinator."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.accounts.services import UnsubscribeInvalid
from champions.extensions import csrf, limiter
from champions.messages import forms, queries, services
from champions.messages.models import Conversation
from champions.messages.permissions import (
    conversation_or_404,
    listed_profile_or_404,
    own_conversation_or_404,
)
from champions.pagination import page_number

bp = Blueprint("messages", __name__, url_prefix="/messages")
# The directory sits below messages, so its profile page asks through this template global whether the
# champion takes new conversations (their own setting only: a block never hides the button).
bp.add_app_template_global(queries.takes_new_conversations, "takes_portal_messages")

NEW_CONVERSATION_LIMIT = "10 per hour;30 per day"
# Kind and neutral: the same words whether contact is off, the account is not in use, or someone blocked
# someone, so nobody learns that they were blocked.
CANNOT_MESSAGE = (
    "This message could not be sent. The person is not taking messages through the portal at the moment. "
    "Your words are still in the box below if you would like to keep them."
)
TO_YOURSELF = "You cannot send a message to yourself."


def sender_key() -> str:
    """Limit per person, not per network address (many staff share one)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def conversation_started(response) -> bool:
    return bool(g.get("conversation_started"))


@bp.route("")
@login_required
def index():
    page = queries.conversations_page(current_user, page_number())
    reported = queries.reported_conversations() if current_user.is_coordinator else []
    return render_template("messages/index.html", page=page, reported=reported)


@bp.route("/<int:conversation_id>")
@login_required
def detail(conversation_id: int):
    conversation = conversation_or_404(conversation_id, current_user)
    member = conversation.member_for(current_user)
    if member is None:  # a coordinator reading a reported conversation: every read is logged
        services.record_coordinator_read(current_user, conversation)
    else:
        services.mark_read(member)
    return _thread_page(conversation, forms.ReplyForm())


def _thread_page(conversation: Conversation, form, status: int = 200):
    other = conversation.other_person(current_user) if conversation.is_between(current_user) else None
    return render_template(
        "messages/detail.html",
        conversation=conversation,
        form=form,
        other=other,
        blocked=bool(other) and queries.has_blocked(current_user.id, other.id),
        close_form=forms.CloseReportForm(),
    ), status


@bp.post("/<int:conversation_id>/reply")
@login_required
def reply(conversation_id: int):
    conversation = own_conversation_or_404(conversation_id, current_user)
    form = forms.ReplyForm()
    if not form.validate_on_submit():
        return _thread_page(conversation, form)
    try:
        services.reply(conversation, current_user, form.body.data, form.form_key.data)
    except services.CannotMessage:
        flash(CANNOT_MESSAGE, "info")
        return _thread_page(conversation, form, 409)
    flash("Your message has been sent.", "success")
    return redirect(url_for(".detail", conversation_id=conversation.id, _anchor="latest"))


def _sent(conversation: Conversation):
    g.conversation_started = True
    flash("Your message has been sent.", "success")
    return redirect(url_for(".detail", conversation_id=conversation.id))


@bp.route("/new/<int:profile_id>", methods=["GET", "POST"])
@login_required
@limiter.limit(
    NEW_CONVERSATION_LIMIT, key_func=sender_key, methods=["POST"], deduct_when=conversation_started
)
def create(profile_id: int):
    profile = listed_profile_or_404(profile_id)
    form = forms.MessageForm()
    problem = None
    try:
        services.check_can_contact_champion(current_user, profile)
    except services.ToYourself:
        problem = TO_YOURSELF
    except services.CannotMessage:
        problem = CANNOT_MESSAGE.partition(" Your words")[0]
    if problem is None and form.validate_on_submit():
        try:
            conversation = services.start_conversation(
                current_user, profile.user, form.subject.data, form.body.data, form.form_key.data
            )
        except services.CannotMessage:
            problem = CANNOT_MESSAGE
        else:
            return _sent(conversation)
    status = 409 if problem and form.is_submitted() else 200
    return render_template("messages/create.html", form=form, profile=profile, problem=problem), status


@bp.route("/coordinator", methods=["GET", "POST"])
@login_required
@limiter.limit(
    NEW_CONVERSATION_LIMIT, key_func=sender_key, methods=["POST"], deduct_when=conversation_started
)
def coordinator():
    coordinators = queries.coordinators_for(current_user)
    form = forms.CoordinatorMessageForm()
    form.load_choices(coordinators)
    problem = None if coordinators else "There is no coordinator to write to at the moment."
    if problem is None and form.validate_on_submit():
        chosen = next(c for c in coordinators if c.id == form.coordinator.data)
        try:
            services.check_can_contact_coordinator(current_user, chosen)
            conversation = services.start_conversation(
                current_user, chosen, form.subject.data, form.body.data, form.form_key.data
            )
        except (services.CannotMessage, services.ToYourself):
            problem = CANNOT_MESSAGE
        else:
            return _sent(conversation)
    status = 409 if problem and form.is_submitted() else 200
    return render_template("messages/coordinator.html", form=form, problem=problem), status


@bp.route("/<int:conversation_id>/report", methods=["GET", "POST"])
@login_required
def report(conversation_id: int):
    conversation = own_conversation_or_404(conversation_id, current_user)
    form = forms.ReportForm()
    if form.validate_on_submit():
        services.report(conversation, current_user, form.reason.data)
        flash("Thank you for telling us. A coordinator will read this conversation soon.", "success")
        return redirect(url_for(".detail", conversation_id=conversation.id))
    return render_template("messages/report.html", conversation=conversation, form=form)


@bp.post("/<int:conversation_id>/close-report")
@role_required(Role.COORDINATOR)
def close_report(conversation_id: int):
    conversation = queries.conversation(conversation_id) or abort(404)
    form = forms.CloseReportForm()
    if not conversation.reported_at or conversation.is_between(current_user):
        abort(404)
    if not form.validate_on_submit():
        flash(" ".join(m for ms in form.errors.values() for m in ms), "warning")
        return redirect(url_for(".index"))
    services.close_report(current_user, conversation, form.note.data or "")
    flash("The report is closed. The conversation is private to its two people again.", "success")
    return redirect(url_for(".index"))


@bp.route("/<int:conversation_id>/block", methods=["GET", "POST"])
@login_required
def block(conversation_id: int):
    conversation = own_conversation_or_404(conversation_id, current_user)
    other = conversation.other_person(current_user) or abort(404)
    form = FlaskForm()
    if form.validate_on_submit():
        services.block(current_user, other)
        flash(f"You have blocked {other.name}. They are not told.", "success")
        return redirect(url_for(".index"))
    return render_template("messages/block.html", conversation=conversation, other=other, form=form)


@bp.post("/blocked/<int:user_id>/unblock")
@login_required
def unblock(user_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.unblock(current_user, user_id)
    flash("They can write to you again.", "success")
    return redirect(url_for(".settings"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = forms.SettingsForm(obj=queries.settings_for(current_user.id))
    if form.validate_on_submit():
        services.save_settings(current_user, form.email_on.data, form.contact_on.data)
        flash("Your message settings have been saved.", "success")
        return redirect(url_for(".settings"))
    return render_template("messages/settings.html", form=form, blocks=queries.blocks_by(current_user.id))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail programs send the one-click POST (RFC 8058) without a form; the token is the proof
def unsubscribe(token: str):
    try:
        user = services.user_for_unsubscribe_token(token)
    except UnsubscribeInvalid:
        return render_template("messages/unsubscribe_invalid.html"), 400
    if request.method == "POST":
        services.unsubscribe(user)
        return render_template("messages/unsubscribed.html")
    return render_template("messages/unsubscribe.html")
