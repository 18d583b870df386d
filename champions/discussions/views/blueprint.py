"""The discussions blueprint and its posting rate limit."""

from flask import Blueprint, g
from flask_limiter.util import get_remote_address
from flask_login import current_user

bp = Blueprint("discussions", __name__, url_prefix="/discussions")

POSTING_LIMIT = "20 per 10 minutes"


def posting_key() -> str:
    """Limit posting per person, not per network address (many staff share one)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def post_was_saved(response) -> bool:
    return bool(g.get("post_saved"))
