"""The home page, accessibility, privacy and cookies pages, and /healthz."""

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from champions.directory import queries as directory
from champions.extensions import db

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    local = directory.local_champions(current_user, limit=3) if current_user.is_authenticated else []
    return render_template("home/index.html", local_champions=local)


@bp.route("/accessibility")
def accessibility():
    return render_template("home/accessibility.html")


@bp.route("/privacy")
def privacy():
    return render_template("home/privacy.html")


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
