"""Discussions: a plain 'coming soon' page until this section is built."""

from flask import Blueprint, render_template

bp = Blueprint("discussions", __name__, url_prefix="/discussions")


@bp.route("")
def index():
    return render_template("home/coming_soon.html", section_name="Discussions")
