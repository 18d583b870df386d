"""Discussions: active threads and members who posted per month (counts only)."""

from datetime import date

from champions.dashboard.queries.figures import Figures, Table, change, month_name, monthly
from champions.small_numbers import display_count, is_small


def discussions(figures: Figures, months: list[date]) -> Table:
    """Active threads and members who posted, month by month."""
    names = [month_name(m) for m in months]
    threads, members = (
        monthly(figures, "active_threads", months),
        monthly(figures, "active_members", months),
    )
    points = [(n, m) for n, m in zip(names, members, strict=True) if m and not is_small(m)]
    rows = [[n, str(t), display_count(m)] for n, t, m in zip(names, threads, members, strict=True)]
    return Table(
        "discussions",
        "Discussions: active threads and members per month",
        ["Month", "Active threads", "Members who posted"],
        rows,
        change("members taking part in discussions", points),
        points,
        "Members who posted",
    )
