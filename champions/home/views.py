"""The home page, accessibility, privacy and cookies pages, and /healthz."""

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from champions import clock
from champions.accounts import queries as accounts
from champions.casestudies import services as casestudies
from champions.directory import queries as directory
from champions.discussions import queries as discussions
from champions.events import services as events
from champions.extensions import db
from champions.privacy.services import exports
from champions.returns import queries as returns

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    local = directory.local_champions(current_user, limit=3) if current_user.is_authenticated else []
    due = returns.due_for(current_user) if current_user.is_authenticated else []
    return render_template("home/index.html", local_champions=local, returns_due=due, today=clock.today())


@bp.route("/account")
@login_required
def account():
    """Your account: your details and what each part of the portal holds for you."""
    user = current_user._get_current_object()
    return render_template(
        "home/account.html",
        user=user,
        active_sessions=accounts.active_sessions(user),
        linked_organisations=accounts.linked_organisations(user),
        champion_profile=directory.profile_for_user(user),
        registrations=events.registrations_for(user),
        discussion_settings=discussions.settings_for(user),
        saved_case_studies=casestudies.saved_by(user),
    )


@bp.route("/accessibility")
def accessibility():
    return render_template("home/accessibility.html")


@bp.route("/privacy")
def privacy():
    return render_template("home/privacy.html", export_link_days=exports.LINK_DAYS)


@bp.route("/cookies")
def cookies():
    return render_template("home/cookies.html")


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
