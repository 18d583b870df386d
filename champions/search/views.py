"""The site search page (/search)."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from champions.pagination import page_number
from champions.search import queries

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.route("")
def index():
    text = request.args.get("q", "")[:10_000].strip()
    results = queries.search(text, request.args.get("kind", ""), page_number(), current_user)
    return render_template("search/results.html", results=results)
