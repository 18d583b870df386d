"""Account pages under /account."""

import hashlib
import logging
import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from champions import versions
from champions.accounts import forms, organisation_sign_in, permissions, second_factor, services, sessions
from champions.accounts.models import Role, User, UserIdentity
from champions.accounts.permissions import role_required
from champions.extensions import db, limiter
from champions.links import external_url
from champions.security import is_safe_next, safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account")
bp.before_app_request(permissions.require_second_factor)
bp.before_app_request(permissions.require_profile)

SIGN_IN_LIMIT = "10 per 5 minutes"
DEVICE_COOKIE = "device"
log = logging.getLogger(__name__)
PENDING_SIGN_IN = "pending_sign_in"
PENDING_SECONDS = 600
SETUP_SECRET = "second_factor_secret"
CODE_PROBLEMS = (second_factor.CodeWrong, second_factor.CodeReused, second_factor.ClockOutOfStep)
CODE_MESSAGES = {
    second_factor.CodeWrong: "That code is not right. Check you are using the app for this portal, and "
    "enter the newest code, or one of your recovery codes.",
    second_factor.CodeReused: "That code has been used already. Please wait for the app to show a new one "
    "(it changes every 30 seconds), then enter it.",
    second_factor.ClockOutOfStep: "That code is from a few minutes ago or ahead. Check the time on your "
    "phone is set automatically, then enter the newest code.",
}
PENDING_LINK = "pending_organisation_link"
ORGANISATION = "organisation_sign_in"  # the provider and ID token of this session, for its sign-out
ORGANISATION_NEXT = "organisation_next"
CONFIRMING = "organisation_confirming"  # a signed-in person signing in again to confirm it is them
ORGANISATION_LIMIT = "20 per 5 minutes"
REFUSALS = {
    "provider": "{name} did not sign you in. If you chose to cancel, that is fine. You can try again, "
    "or sign in with your email address and password.",
    "state": "That sign-in took too long or was started in another browser, so it could not be finished. "
    "Please start again.",
    "issuer": "That answer did not come from {name}, so you have not been signed in. Nothing has changed. "
    "Please start again from the sign-in page.",
    "token": "We could not check the answer from {name}, so you have not been signed in. Please try "
    "again. If it keeps happening, sign in with your email address and password.",
    "unverified": "{name} has not confirmed your email address, so we cannot use it to sign you in. "
    "You can sign in with your email address and password instead.",
    "domain": "{name} can sign in people with email addresses ending in {domains} only. You can sign in "
    "with your email address and password instead.",
    "down": "We could not reach {name} just now. Please try again in a few minutes, or sign in with "
    "your email address and password.",
    "another": "That was not the {name} linked to your account, so it could not confirm it is you. "
    "Nothing has changed, and you are still signed in as yourself. Please try again with your own.",
    "stale": "{name} did not ask you to sign in again just now, so we could not confirm it is you. "
    "Nothing has changed. Please try again.",
    "inactive": "This account is not active, so it cannot be signed in to. If you think this is a "
    "mistake, please contact us.",
}
RECOVERY_USED = (
    "You used a recovery code: each works once. If you have lost your phone, set up the app again "
    "from your account page, or ask an admin to reset your second factor."
)


@bp.after_app_request
def note_session_use(response):
    """Move the session's "last used" time on, at most every few minutes, not on every request."""
    if request.endpoint != "static" and current_user.is_authenticated and current_user.session_record_id:
        try:
            sessions.touch(current_user.session_record_id, current_user.session_seen_at)
        except SQLAlchemyError:
            db.session.rollback()  # a missed "last used" time is not worth an error page
            log.warning("Could not note the use of session %s", current_user.session_record_id, exc_info=True)
    return response


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
            pending = _pending(user, "password", False, bool(form.remember.data), request.args.get("next"))
            return _continue_sign_in(user, pending)
        form.password.errors.append(
            "The email address or password is not right. Check them and try again, or reset your password."
        )
    organisations = list(organisation_sign_in.providers().values())
    return render_template("accounts/sign_in.html", form=form, organisations=organisations)


def _pending(user, method: str, second_factor_done: bool, remember: bool, next_url: str | None) -> dict:
    """Describe a sign-in whose first step is done (a password now; an organisation account later)."""
    return {
        "user": user.id,
        "version": user.session_version,
        "method": method,
        "second_factor": second_factor_done,
        "remember": remember,
        "next": next_url if is_safe_next(next_url) else None,
        "at": int(time.time()),
    }


def _continue_sign_in(user, pending: dict):
    """Ask for the second factor when the person has one and the first step did not do it; else finish."""
    if user.has_second_factor and not pending["second_factor"]:
        session[PENDING_SIGN_IN] = pending
        return redirect(url_for(".sign_in_code"))
    session.pop(PENDING_SIGN_IN, None)
    welcome = "Welcome back" if user.has_signed_in_before else "Welcome"
    services.record_sign_in(user)
    record = sessions.start(user, pending["method"], pending["second_factor"], request.user_agent.string)
    user.session_record_id = record.id
    login_user(user, remember=pending["remember"])
    flash(f"{welcome}, {user.name}.", "success")
    if pending["method"] == "password":
        _link_waiting_organisation(user)
    target = safe_next(pending["next"], url_for("home.index"))
    if second_factor.needs_setting_up(user):
        target = url_for(".second_factor_setup", next=pending["next"])
    response = redirect(target)
    if pending["method"] == "password":
        response.set_cookie(
            DEVICE_COOKIE,
            services.device_token(user),
            max_age=services.DEVICE_TOKEN_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def _link_waiting_organisation(user) -> None:
    """After a password sign-in, link the organisation account that was waiting for this proof."""
    waiting = session.pop(PENDING_LINK, None)
    if not isinstance(waiting, dict) or time.time() - waiting.get("at", 0) > PENDING_SECONDS:
        return
    provider = organisation_sign_in.providers().get(waiting.get("provider", ""))
    if provider is None or waiting.get("email") != user.email:
        return
    person = organisation_sign_in.Person(waiting["subject"], waiting["email"], user.name, False, "")
    if organisation_sign_in.link(user, provider, person):
        flash(f"Your {provider.name} is linked: next time you can sign in with it.", "success")
    else:
        flash(f"That {provider.name} is linked to another account already, so it was not linked.", "info")


def _pending_user():
    """Return the person half-way through signing in, while their first step is fresh and still valid."""
    pending = session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = db.session.get(User, pending.get("user", 0))
    if user is None or not user.is_active or user.session_version != pending.get("version"):
        return None, None
    return user, pending


@bp.route("/sign-in/code", methods=["GET", "POST"])
def sign_in_code():
    user, pending = _pending_user()
    if user is None:
        session.pop(PENDING_SIGN_IN, None)
        flash("Please sign in again: signing in was not finished within 10 minutes.", "info")
        return redirect(url_for(".sign_in"))
    form = forms.CodeForm()
    if form.validate_on_submit():
        try:
            kind = second_factor.use_code(user, form.code.data)
        except second_factor.TooManyCodes:
            abort(429)
        except CODE_PROBLEMS as problem:
            form.code.errors.append(CODE_MESSAGES[type(problem)])
        else:
            if kind == "recovery":
                flash(RECOVERY_USED, "info")
            return _continue_sign_in(user, {**pending, "second_factor": True})
    return render_template("accounts/sign_in_code.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out():
    if request.method == "GET":
        return render_template("accounts/sign_out.html")
    if current_user.is_authenticated:
        services.sign_out(current_user)
    logout_user()
    session.pop(PENDING_SIGN_IN, None)
    organisation = session.pop(ORGANISATION, None)
    flash("You have signed out. Thank you for your work.", "success")
    provider = organisation_sign_in.providers().get(organisation["provider"]) if organisation else None
    if provider:
        after = external_url("home.index")
        logout_url = organisation_sign_in.logout_url(provider, organisation.get("id_token", ""), after)
        if logout_url:
            return render_template("accounts/signed_out.html", provider=provider, logout_url=logout_url)
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
    next_url = request.args.get("next") if is_safe_next(request.args.get("next")) else None
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
                return render_template(
                    "accounts/profile.html", form=form, changed=changed, next_url=next_url
                ), stale.status
            # The same save sent twice: the first one holds it already.
        flash("Your details have been saved.", "success")
        return redirect(safe_next(next_url, url_for("home.account")))
    return render_template("accounts/profile.html", form=form, next_url=next_url)


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


@bp.route("/second-factor", methods=["GET", "POST"])
@login_required
def second_factor_setup():
    user = current_user._get_current_object()
    next_url = request.args.get("next")
    if user.has_second_factor:
        return render_template(
            "accounts/second_factor.html",
            form=forms.CodeForm(),
            required=second_factor.is_required(user),
            unused=second_factor.unused_recovery_codes(user),
        )
    # The secret waits in the signed session cookie until a code confirms it, so a GET writes nothing.
    secret = session.get(SETUP_SECRET) or second_factor.new_secret()
    session[SETUP_SECRET] = secret
    form = forms.CodeForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_setup(user, secret, form.code.data, user.session_record_id)
        except second_factor.AlreadySetUp:
            return redirect(url_for(".second_factor_setup"))
        except CODE_PROBLEMS as problem:
            form.code.errors.append(CODE_MESSAGES[type(problem)])
        else:
            session.pop(SETUP_SECRET, None)
            return render_template(
                "accounts/recovery_codes.html",
                codes=codes,
                next_url=safe_next(next_url, url_for("home.account")),
            )
    uri = second_factor.setup_uri(secret, user.email)
    return render_template(
        "accounts/second_factor_setup.html",
        form=form,
        qr_code=second_factor.qr_code_svg(uri),
        secret=second_factor.grouped(secret),
        required=second_factor.is_required(user),
        next_url=next_url if is_safe_next(next_url) else None,
    )


@bp.route("/second-factor/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    user = current_user._get_current_object()
    if not user.has_second_factor:
        return redirect(url_for(".second_factor_setup"))
    codes = second_factor.new_recovery_codes(user)
    return render_template("accounts/recovery_codes.html", codes=codes, next_url=url_for("home.account"))


@bp.route("/second-factor/off", methods=["POST"])
@login_required
def second_factor_off():
    user = current_user._get_current_object()
    form = forms.CodeForm()
    if not user.has_second_factor:
        return redirect(url_for(".second_factor_setup"))
    if form.validate_on_submit():
        try:
            second_factor.switch_off(user, form.code.data)
        except second_factor.StillRequired:
            flash("Your role needs a second factor, so it stays on.", "warning")
        except second_factor.TooManyCodes:
            abort(429)
        except CODE_PROBLEMS as problem:
            form.code.errors.append(CODE_MESSAGES[type(problem)])
        else:
            flash("Your second factor is switched off. You now sign in with your password only.", "success")
            return redirect(url_for("home.account"))
    return render_template(
        "accounts/second_factor.html",
        form=form,
        required=second_factor.is_required(user),
        unused=second_factor.unused_recovery_codes(user),
    ), 400 if form.errors else 200


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    user = current_user._get_current_object()
    if not sessions.end(user, session_id):
        flash("That session had already ended.", "info")
    elif session_id == user.session_record_id:
        logout_user()
        flash("You have signed out on this device.", "success")
        return redirect(url_for("home.index"))
    else:
        flash("That session has ended: the device it was on is signed out.", "success")
    return redirect(url_for("home.account", _anchor="sessions"))


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    ended = sessions.end_others(current_user, current_user.session_record_id)
    flash(f"Signed out of {ended} other session{'s' if ended != 1 else ''}.", "success")
    return redirect(url_for("home.account", _anchor="sessions"))


@bp.route("/second-factor/reset/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def reset_second_factor(user_id: int):
    user = db.get_or_404(User, user_id)
    form = forms.ConfirmForm()
    if not user.has_second_factor:
        flash(f"{user.name} has no second factor to reset.", "info")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    if form.validate_on_submit():
        second_factor.reset(current_user, user)
        flash(f"{user.name}'s second factor is reset, and they have been emailed.", "success")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("accounts/reset_second_factor.html", form=form, user=user)


def _not_a_provider() -> bool:
    # An unknown slug is a 404 that costs nothing, so it need not count against anyone's limit.
    return (request.view_args or {}).get("slug") not in organisation_sign_in.providers()


def _provider_or_404(slug: str) -> organisation_sign_in.Provider:
    provider = organisation_sign_in.providers().get(slug)
    if provider is None:
        abort(404)
    return provider


def _refused(provider: organisation_sign_in.Provider, refused: organisation_sign_in.Refused):
    log.warning("Organisation sign-in with %s refused: %s", provider.slug, refused)
    organisation_sign_in.record_refusal(provider, refused.reason)
    message = REFUSALS[refused.reason].format(name=provider.name, domains=" or ".join(provider.domains))
    status = {"down": 502, "inactive": 403}.get(refused.reason, 400)
    page = render_template(
        "accounts/organisation_refused.html", message=message, signed_in=current_user.is_authenticated
    )
    return page, status


@bp.route("/sign-in/organisation/<slug>")
@limiter.limit(ORGANISATION_LIMIT, exempt_when=_not_a_provider)
def organisation_start(slug: str):
    # A GET may start this: it changes nothing here, and only sends the browser to the provider.
    provider = _provider_or_404(slug)
    next_url = request.args.get("next")
    session[ORGANISATION_NEXT] = next_url if is_safe_next(next_url) else None
    try:
        return organisation_sign_in.start(provider, external_url("accounts.organisation_callback", slug=slug))
    except organisation_sign_in.Refused as refused:
        return _refused(provider, refused)


@bp.route("/sign-in/organisation/<slug>/callback")
@limiter.limit(ORGANISATION_LIMIT, exempt_when=_not_a_provider)
def organisation_callback(slug: str):
    provider = _provider_or_404(slug)
    try:
        if request.args.get("error"):
            raise organisation_sign_in.Refused("provider", request.args["error"][:100])
        person = organisation_sign_in.finish(provider)
    except organisation_sign_in.Refused as refused:
        session.pop(CONFIRMING, None)
        return _refused(provider, refused)
    confirming = session.pop(CONFIRMING, None)
    if isinstance(confirming, dict) and current_user.is_authenticated:
        return _confirmed(provider, person, confirming)
    next_url = session.pop(ORGANISATION_NEXT, None)
    identity = organisation_sign_in.identity_for(provider, person.subject)
    if identity is not None:
        user = db.session.get(User, identity.user_id)
        if not user.is_active:
            return _refused(provider, organisation_sign_in.Refused("inactive", user.email))
        organisation_sign_in.note_use(identity)
    elif services.user_by_email(person.email):
        # Never link on the email alone: the owner proves the account is theirs with its password.
        waiting = {"provider": slug, "subject": person.subject, "email": person.email, "at": int(time.time())}
        session[PENDING_LINK] = waiting
        return render_template("accounts/organisation_link.html", provider=provider)
    else:
        user = organisation_sign_in.create_account(provider, person)
        if user is None:
            return _refused(
                provider, organisation_sign_in.Refused("state", "the account was taken meanwhile")
            )
        next_url = url_for(".profile", next=next_url or url_for("home.index"))
    session[ORGANISATION] = {"provider": slug, "id_token": person.id_token}
    return _continue_sign_in(user, _pending(user, "oidc", person.mfa, False, next_url))


def _confirmed(
    provider: organisation_sign_in.Provider, person: organisation_sign_in.Person, confirming: dict
):
    """Finish a signed-in person's fresh sign-in that confirms it is them; never switch who is signed in."""
    user = current_user._get_current_object()
    identity = organisation_sign_in.identity_for(provider, person.subject)
    if identity is None or identity.user_id != user.id or confirming.get("user") != user.id:
        return _refused(provider, organisation_sign_in.Refused("another", person.email))
    # The provider must have signed the person in after we asked (a little clock skew allowed).
    if person.signed_in_at is None or person.signed_in_at < confirming.get("at", 0) - 30:
        return _refused(provider, organisation_sign_in.Refused("stale", str(person.signed_in_at)))
    permissions.note_confirmed(user)
    flash(f"Thank you: signing in with your {provider.name} again confirms it is you.", "success")
    return redirect(safe_next(confirming.get("next"), url_for("home.account")))


@bp.route("/confirm-with/<slug>", methods=["POST"])
@login_required
@limiter.limit(ORGANISATION_LIMIT, exempt_when=_not_a_provider)
def organisation_confirm(slug: str):
    # A person with no password confirms a serious step by signing in again with their organisation account.
    provider = _provider_or_404(slug)
    user = current_user._get_current_object()
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    next_url = request.args.get("next")
    session[CONFIRMING] = {
        "user": user.id,
        "next": next_url if is_safe_next(next_url) else None,
        "at": int(time.time()),
    }
    callback = external_url("accounts.organisation_callback", slug=slug)
    try:
        return organisation_sign_in.start(provider, callback, sign_in_again=True)
    except organisation_sign_in.Refused as refused:
        session.pop(CONFIRMING, None)
        return _refused(provider, refused)


@bp.route("/organisation-sign-in/<int:identity_id>/unlink", methods=["GET", "POST"])
@login_required
def organisation_unlink(identity_id: int):
    user = current_user._get_current_object()
    identity = db.get_or_404(UserIdentity, identity_id)
    if identity.user_id != user.id:
        abort(404)
    provider = organisation_sign_in.providers().get(identity.provider)
    name = provider.name if provider else identity.provider
    form = forms.ConfirmForm()
    if user.has_password and form.validate_on_submit():
        organisation_sign_in.unlink(user, identity.id)
        flash(
            f"Your {name} is no longer linked. You sign in with your email address and password.", "success"
        )
        return redirect(url_for("home.account", _anchor="signing-in"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/organisation_unlink.html", form=form, name=name, user=user), status
