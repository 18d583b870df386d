"""Reading the page number from the query string without ever failing."""

from flask import request

MAX_PAGE = 100_000


def page_number() -> int:
    """Return ?page= as a positive whole number; anything odd means page 1."""
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()):  # "²" is a digit to Python, but not a number int() reads
        return 1
    raw = raw.lstrip("0") or "0"
    if len(raw) > len(str(MAX_PAGE)):  # int() refuses thousands of digits; any long number is the last page
        return MAX_PAGE
    return min(max(int(raw), 1), MAX_PAGE)
