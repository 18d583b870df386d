"""Your data (/account/data), your consents (/account/consents) and the DPO's pages (/admin/privacy)."""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from champions.accounts.models import Role, User
from champions.accounts.permissions import role_required
from champions.clock import format_london, utcnow
from champions.extensions import db, limiter
from champions.pagination import page_number
from champions.privacy import forms, queries
from champions.privacy.services import consents, exports

bp = Blueprint("privacy", __name__)


def _user_key() -> str:
    return f"user:{current_user.get_id()}"


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
@limiter.limit("3 per day", methods=["POST"], key_func=_user_key)
def data():
    user = current_user._get_current_object()
    form = forms.ExportRequestForm()
    if form.validate_on_submit():
        try:
            exports.request_export(user, user, form_key=form.form_key.data)
        except exports.AlreadyWaiting:
            flash("Your copy is already on its way. We will email you a link when it is ready.", "info")
        else:
            flash(
                "Thank you. We are making your copy and will email you a link, usually within minutes.",
                "success",
            )
        return redirect(url_for(".data"))
    return render_template("privacy/data.html", form=form, exports=queries.exports_of(user))


@bp.route("/account/data/<token>", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"], key_func=_user_key)
def download(token: str):
    # The GET only asks: mail scanners open links, and the link works once.
    user = current_user._get_current_object()
    try:
        export = exports.export_for_link(token, user)
    except exports.LinkUnknown:
        abort(404)
    except exports.LinkSpent:
        return render_template("privacy/link_spent.html"), 410
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        return render_template("privacy/download.html", form=form, export=export, token=token)
    try:
        zipped = exports.take(export, user)
    except exports.LinkSpent:
        return render_template("privacy/link_spent.html"), 410
    name = f"trauma-champions-data-{export.subject_id}-{format_london(utcnow(), '%Y-%m-%d')}.zip"
    return send_file(BytesIO(zipped), mimetype="application/zip", as_attachment=True, download_name=name)


@bp.route("/account/consents")
@login_required
def consent_list():
    user = current_user._get_current_object()
    return render_template(
        "privacy/consents.html",
        states=queries.consent_overview(user),
        history=queries.consents_of(user),
        form=forms.WithdrawForm(),
    )


@bp.route("/account/consents/withdraw", methods=["POST"])
@login_required
def withdraw():
    form = forms.WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        consents.withdraw(current_user._get_current_object(), form.kind.data)
    except consents.NothingToWithdraw:
        flash("That consent was not given, so there was nothing to withdraw.", "info")
    else:
        flash("Your consent has been withdrawn. This took effect straight away.", "success")
    return redirect(url_for(".consent_list"))


@bp.route("/admin/privacy")
@role_required(Role.ADMIN)
def officer_index():
    query = request.args.get("q", "")[:200].strip()
    people = queries.people_page(page_number(), query) if query else None
    return render_template("privacy/officer_index.html", people=people, query=query)


@bp.route("/admin/privacy/people/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def officer_person(user_id: int):
    person = db.get_or_404(User, user_id)
    form = forms.OfficerExportForm()
    if form.validate_on_submit():
        try:
            exports.request_export(
                person, current_user._get_current_object(), form.reason.data, form_key=form.form_key.data
            )
        except exports.AlreadyWaiting:
            flash(
                "You already asked for a copy of this person's data; its link is on its way to you.", "info"
            )
        else:
            flash("We are making the copy and will email you a link that works once, for 7 days.", "success")
        return redirect(url_for(".officer_person", user_id=person.id))
    return render_template(
        "privacy/officer_person.html", person=person, form=form, exports=queries.exports_of(person)
    )
