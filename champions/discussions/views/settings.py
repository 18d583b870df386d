"""Mail settings, and unsubscribing from a link in an email without signing in."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from champions.accounts.services import UnsubscribeInvalid
from champions.discussions import forms, queries, services
from champions.discussions.models import EmailMode
from champions.discussions.views.blueprint import bp
from champions.extensions import csrf


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    current = queries.settings_for(current_user)
    form = forms.SettingsForm(obj=current)
    if form.validate_on_submit():
        services.save_settings(current_user, EmailMode(form.email_mode.data), form.auto_follow.data)
        flash("Your discussion settings have been saved.", "success")
        return redirect(url_for(".settings"))
    return render_template("discussions/settings.html", form=form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail programs send the one-click POST (RFC 8058) without a form; the token is the proof
def unsubscribe(token: str):
    try:
        user = services.user_for_unsubscribe_token(token)
    except UnsubscribeInvalid:
        return render_template("discussions/unsubscribe_invalid.html"), 400
    if request.method == "POST":
        services.unsubscribe(user)
        return render_template("discussions/unsubscribed.html")
    return render_template("discussions/unsubscribe.html", form=FlaskForm(meta={"csrf": False}))
