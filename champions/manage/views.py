"""The coordinator's home at /manage."""

from flask import Blueprint, render_template
from flask_login import current_user

from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.manage import queries

bp = Blueprint("manage", __name__)


@bp.route("/manage")
@role_required(Role.COORDINATOR)
def index():
    """The work waiting for this coordinator or admin, with a link to where each is done."""
    return render_template("manage/index.html", work=queries.work_for(current_user))
