"""Reading the page number from the query string without ever failing."""

from flask import request

MAX_PAGE = 100_000


def page_number() -> int:
    """Return ?page= as a positive whole number; anything odd means page 1."""
    raw = request.args.get("page", "1")
    if not raw.isdigit():
        return 1
    return min(max(int(raw), 1), MAX_PAGE)
