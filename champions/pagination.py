"""Reading the page number from the query string without ever failing, and paging through kept ids."""

from flask import request
from flask_sqlalchemy.pagination import Pagination

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


class KeptIdsPagination(Pagination):
    """A page of ids kept in order (champions.recent), read as rows by `read(page_ids)` in one statement.

    The rows are read as they are now, so a kept id whose row has left the list since is simply not shown.
    A page that comes back short is the last one: what it shows is the total (less any kept id of an
    earlier page gone since), so a row that left never leaves an empty page to be sent to.
    """

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return self._query_args["read"](list(self._query_args["ids"][start : start + self.per_page]))

    def _query_count(self) -> int:
        ids, start = self._query_args["ids"], (self.page - 1) * self.per_page
        return min(len(ids), start + len(self.items)) if len(self.items) < self.per_page else len(ids)
