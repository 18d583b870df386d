"""The site search page (/search) and `flask search-reindex`."""

import click
from flask import Blueprint, render_template, request
from flask_login import current_user

from champions.pagination import page_number
from champions.search import (
    hooks,  # noqa: F401 - keeps the index in step with every write
    services,
)
from champions.search.documents import rebuild_index

bp = Blueprint("search", __name__, url_prefix="/search", cli_group=None)


@bp.route("")
def index():
    text = request.args.get("q", "")[:10_000].strip()
    results = services.search(text, request.args.get("kind", ""), page_number(), current_user)
    return render_template("search/results.html", results=results)


@bp.cli.command("search-reindex")
def reindex_command() -> None:
    """Rebuild the site search index from the content tables."""
    rebuild_index()
    click.echo("The search index has been rebuilt.")
