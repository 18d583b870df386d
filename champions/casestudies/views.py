"""Case studies: a plain 'coming soon' page until this section is built."""

from flask import Blueprint, render_template

bp = Blueprint("casestudies", __name__, url_prefix="/case-studies")


@bp.route("")
def index():
    return render_template("home/coming_soon.html", section_name="Case studies")
