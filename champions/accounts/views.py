"""Account pages under /account."""

import hashlib

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from champions import versions
from champions.accounts import forms, services
from champions.extensions import limiter
from champions.security import safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account")

SIGN_IN_LIMIT = "10 per 5 minutes"
DEVICE_COOKIE = "device"


def _email_key() -> str:
    # A digest keeps the key short and the same for every spelling of one address.
    email = services.normalise_email(request.form.get("email", ""))
    return "email:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    form = forms.RegisterForm()
    form.load_choices()
    if form.validate_on_submit():
        services.register(
            form.name.data, form.email.data, form.password.data, form.organisation.data, form.workplace.data
        )
        return redirect(url_for(".check_email"))
    return render_template("accounts/register.html", form=form)


@bp.route("/register/check-your-email")
def check_email():
    return render_template("accounts/check_email.html")


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    # The GET only asks: mail scanners open links, and must not confirm an address for its owner.
    form = forms.ConfirmForm()
    try:
        if not form.validate_on_submit():
            services.user_to_verify(token)
            return render_template("accounts/verify.html", form=form)
        services.verify_email(token)
    except services.TokenInvalid:
        return render_template("accounts/link_invalid.html"), 400
    flash("Thank you. Your email address is confirmed and you can now sign in.", "success")
    return redirect(url_for(".sign_in"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = forms.SignInForm()
    if form.validate_on_submit():
        try:
            user = services.sign_in(
                form.email.data, form.password.data, get_remote_address(), request.cookies.get(DEVICE_COOKIE)
            )
        except services.TooManyAttempts:
            abort(429)
        except services.EmailNotConfirmed:
            flash(
                "Please confirm your email address first. We have sent you a new link: it works for 3 days.",
                "info",
            )
            return redirect(url_for(".check_email"))
        if user:
            welcome = "Welcome back" if user.has_signed_in_before else "Welcome"
            services.record_sign_in(user)
            login_user(user, remember=form.remember.data)
            flash(f"{welcome}, {user.name}.", "success")
            response = redirect(safe_next(request.args.get("next"), url_for("home.index")))
            response.set_cookie(
                DEVICE_COOKIE,
                services.device_token(user),
                max_age=services.DEVICE_TOKEN_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=current_app.config["SESSION_COOKIE_SECURE"],
            )
            return response
        form.password.errors.append(
            "The email address or password is not right. Check them and try again, or reset your password."
        )
    return render_template("accounts/sign_in.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out():
    if request.method == "GET":
        return render_template("accounts/sign_out.html")
    if current_user.is_authenticated:
        services.sign_out(current_user)
    logout_user()
    flash("You have signed out. Thank you for your work.", "success")
    return redirect(url_for("home.index"))


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"], key_func=_email_key)
def reset_request():
    form = forms.ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset_token(token)
    except services.TokenInvalid:
        return render_template("accounts/link_invalid.html"), 400
    form = forms.NewPasswordForm(context=services.password_context(user.name, user.email))
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        logout_user()
        flash("Your password has been changed. You can now sign in with it.", "success")
        return redirect(url_for(".sign_in"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    # Only a GET starts from the saved details: a POST shows exactly what was typed.
    form = forms.ProfileForm(data=forms.profile_data(current_user) if request.method == "GET" else None)
    form.load_choices()
    if request.method == "GET":
        form.version.data = current_user.version
    if form.validate_on_submit():
        try:
            seen = versions.required(form.version)
            services.update_profile(
                current_user, form.name.data, form.organisation.data, form.workplace.data, seen
            )
        except versions.Stale as stale:
            if stale.missing or not forms.profile_matches(form, current_user):
                flash(versions.STALE_MESSAGE, "info")
                form.version.data = current_user.version  # saving again goes over the version now shown
                changed = forms.profile_changes(form, current_user)
                return render_template("accounts/profile.html", form=form, changed=changed), stale.status
            # The same save sent twice: the first one holds it already.
        flash("Your details have been saved.", "success")
        return redirect(url_for("home.account"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm(context=services.password_context(current_user.name, current_user.email))
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.TooManyAttempts:
            abort(429)
        except services.WrongPassword:
            form.current_password.errors.append("That is not your current password. Please try again.")
        else:
            login_user(user)  # keep this session; every other one has ended
            flash("Your password has been changed. Other devices have been signed out.", "success")
            return redirect(url_for("home.account"))
    return render_template("accounts/change_password.html", form=form)
