"""Pledges: how many were made, of what kind, and what people answered at 30 and 90 days."""

from datetime import date

from champions.dashboard.queries.figures import Figures, Table, in_period
from champions.small_numbers import breakdown, display_count


def pledges(figures: Figures, months: list[date]) -> list[Table]:
    """Pledges made by action, and what people answered at 30 and 90 days."""
    tables = []
    made = breakdown(sorted(in_period(figures, "pledges_by_kind", months).items()), "Other actions")
    summary = f"People made {display_count(made.total)} pledges in this period."
    tables.append(
        Table(
            "pledges_by_kind",
            "Pledges made, by action",
            ["Action", "Pledges"],
            [[label, display_count(value)] for label, value in made.rows],
            summary,
        )
    )
    at = {
        days: breakdown(sorted(in_period(figures, f"pledge_answers_{days}", months).items()), "Other answers")
        for days in (30, 90)
    }
    labels = list(dict.fromkeys(label for days in (30, 90) for label, _ in at[days].rows))
    rows = [
        [label] + [display_count(dict(at[days].rows).get(label, 0)) for days in (30, 90)] for label in labels
    ]
    done = dict(at[90].rows).get("Done", 0)
    summary = (
        f"At 90 days, {display_count(done)} pledges were done."
        if at[90].rows
        else "Too few pledges have reached 30 or 90 days to show the answers."
    )
    tables.append(
        Table(
            "pledge_answers",
            "What people answered at 30 and 90 days",
            ["Answer", "At 30 days", "At 90 days"],
            rows,
            summary,
        )
    )
    return tables
