"""The discussions blueprint, its posting rate limit and its `flask send-digests` command."""

import click
from flask import Blueprint, g
from flask_limiter.util import get_remote_address
from flask_login import current_user

from champions.discussions import services

bp = Blueprint("discussions", __name__, url_prefix="/discussions", cli_group=None)

POSTING_LIMIT = "20 per 10 minutes"


def posting_key() -> str:
    """Limit posting per person, not per network address (many staff share one)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def post_was_saved(response) -> bool:
    return bool(g.get("post_saved"))


@bp.cli.command("send-digests")
def send_digests_command() -> None:
    """Queue today's discussion digests (safe to run more than once a day)."""
    sent = services.send_digests()
    click.echo(f"Queued {sent} digest{'s' if sent != 1 else ''}. Run `flask send-mail` to deliver them.")
