"""Resources: a plain 'coming soon' page until this section is built."""

from flask import Blueprint, render_template

bp = Blueprint("resources", __name__, url_prefix="/resources")


@bp.route("")
def index():
    return render_template("home/coming_soon.html", section_name="Resources")
