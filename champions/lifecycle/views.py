"""Closing an account: /account/close for its owner, /admin/users/<id>/close for an admin on request."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from champions.accounts import permissions as account_permissions
from champions.accounts import queries as accounts
from champions.accounts.models import Role, User
from champions.accounts.permissions import role_required
from champions.extensions import db, limiter
from champions.lifecycle import forms, services

bp = Blueprint("lifecycle", __name__)

LAST_ADMIN = (
    "The portal needs at least one admin, so this account cannot close yet. "
    "Give someone else the admin role first, then try again."
)


@bp.app_template_filter("period")
def period(days: int) -> str:
    """Say a number of days in plain words: 14 days, 3 years, 12 months."""
    if days % 365 == 0:
        return "12 months" if days == 365 else f"{days // 365} years"
    return "1 day" if days == 1 else f"{days} days"


@bp.route("/account/close", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 15 minutes", methods=["POST"])
def close():
    user = current_user._get_current_object()
    if not user.has_password:
        return _close_confirmed(user)
    form = forms.CloseAccountForm()
    if form.validate_on_submit():
        try:
            services.close_own_account(user, form.password.data, form.delete_posts.data)
        except services.WrongPassword:
            form.password.errors.append("That is not your password. Please try again.")
        except services.LastAdmin:
            flash(LAST_ADMIN, "warning")
            return redirect(url_for("home.account"))
        else:
            logout_user()
            return redirect(url_for(".closed"))
    return render_template("lifecycle/close.html", form=form)


def _close_confirmed(user: User):
    """Close the account of a person with no password once they have signed in again to confirm."""
    form = forms.CloseConfirmedForm()
    confirmed = account_permissions.confirmed_recently(user)
    if form.validate_on_submit():
        if not confirmed:
            flash("Please confirm it is you first, by signing in again with your work account.", "warning")
            confirm_with = accounts.confirmable_organisations(user)
            return render_template("lifecycle/close.html", form=form, confirm_with=confirm_with), 400
        try:
            services.close_own_account_confirmed(user, form.delete_posts.data)
        except services.LastAdmin:
            flash(LAST_ADMIN, "warning")
            return redirect(url_for("home.account"))
        account_permissions.forget_confirmed()
        logout_user()
        return redirect(url_for(".closed"))
    confirm_with = None if confirmed else accounts.confirmable_organisations(user)
    return render_template("lifecycle/close.html", form=form, confirm_with=confirm_with)


@bp.route("/account/closed")
def closed():
    return render_template("lifecycle/closed.html")


@bp.route("/admin/users/<int:user_id>/close", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def close_on_request(user_id: int):
    user = db.get_or_404(User, user_id)
    form = forms.CloseOnRequestForm()
    if form.validate_on_submit():
        try:
            services.close_on_request(current_user, user, form.reason.data)
        except services.LastAdmin:
            flash(LAST_ADMIN, "warning")
        else:
            flash("The account is closed and its personal details are erased.", "success")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("lifecycle/close_on_request.html", user=user, form=form)
