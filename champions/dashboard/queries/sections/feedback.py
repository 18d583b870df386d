"""Feedback: average rating by event type, and barriers and enablers by theme over time."""

from collections import defaultdict
from datetime import date

from champions.dashboard.queries.figures import Figures, Section, Table, in_period, monthly, quarters
from champions.events.queries.reports import THEMES
from champions.small_numbers import (
    breakdown,
    count_people,
    display_count,
    is_small,
    may_show_text,
    may_show_total,
)

OTHER = "Other themes"
LABELS = [*THEMES, OTHER]


def average_rating(ratings: dict[int, int]) -> float | None:
    """The average rating, shown only when no rating was given by 1 to 4 people (as the learning report)."""
    if any(is_small(count) for count in ratings.values()):
        return None
    return round(sum(rating * count for rating, count in ratings.items()) / sum(ratings.values()), 1)


def ratings(figures: Figures, months: list[date]) -> list[Table]:
    answers, ratings = in_period(figures, "feedback_by_type", months), defaultdict(dict)
    for key, count in in_period(figures, "ratings_by_type", months).items():
        label, _, rating = key.rpartition("|")
        ratings[label][int(rating)] = count
    rows, points = [], []
    for label in sorted(answers):
        count = answers[label]
        average = average_rating(ratings[label]) if may_show_text(count) else None
        rows.append([label, display_count(count), "not shown" if average is None else f"{average:g}"])
        if average is not None:
            points.append((label, average))
    best = max(points, key=lambda p: p[1]) if points else None
    summary = (
        f"{best[0]} had the highest average rating, {best[1]:g} out of 5."
        if best
        else "Too few people gave feedback to show ratings."
    )
    tables = [
        Table(
            "rating_by_type",
            "Average rating by event type",
            ["Event type", "Responses", "Average rating (out of 5)"],
            rows,
            summary,
            points,
            "Average rating",
            "An average is shown only when each rating was given by none or at least 5 people.",
        )
    ]
    return tables


def theme_counts(counts: dict[str, int], answers: int) -> dict[str, int] | None:
    """Each theme's count safe to show, small themes merged into Other themes; None when too few wrote."""
    if answers == 0:
        return dict.fromkeys(LABELS, 0)
    if not may_show_text(answers):
        return None
    # The learning report's own "Other" joins the merged row, so there is one row of other themes.
    shown = breakdown(
        [(theme, counts.get(theme, 0)) for theme in THEMES] + [(OTHER, counts.get("Other", 0))], OTHER
    )
    merged: dict[str, int] = defaultdict(int)
    for label, count in shown.rows:
        merged[label] += count
    return dict(merged) if shown.rows else None


def themes(figures: Figures, months: list[date], kind: str) -> Table:
    """Barriers or enablers by theme per quarter, under the rule of five; charted for the latest quarter.

    No column adds the quarters up: beside them, a total would give away a theme hidden in one quarter.
    """
    columns = list(quarters(months).items())
    answered = [sum(monthly(figures, f"{kind}_answers", span)) for _name, span in columns]
    shown = [
        theme_counts(in_period(figures, f"{kind}_themes", span), count)
        for (_name, span), count in zip(columns, answered, strict=True)
    ]
    rows = [["People who answered", *(display_count(count) for count in answered)]]
    for label in LABELS:
        rows.append([label, *("not shown" if s is None or label not in s else str(s[label]) for s in shown)])
    latest = next(
        (
            (name, found, count)
            for (name, _), found, count in reversed(list(zip(columns, shown, answered, strict=True)))
            if found and any(found.values())
        ),
        None,
    )
    points = [(label, count) for label, count in latest[1].items() if count] if latest else []
    named = [point for point in points if point[0] != OTHER]
    words = "barriers" if kind == "barrier" else "what helps"
    if named:
        top, count = max(named, key=lambda point: point[1])
        quarter, wrote = latest[0], latest[2]
        summary = (
            f"{top} was the {kind} people named most in {quarter}: {count} of the {wrote} who wrote one."
        )
    elif latest:
        summary = f"No one theme stands out in what people wrote about {words} in {latest[0]}."
    elif any(answered):
        summary = f"Too few people wrote about {words} in any quarter of this period to show themes."
    else:
        summary = f"Nobody wrote about {words} in this period."
    title = "Barriers" if kind == "barrier" else "Enablers (what helps)"
    return Table(
        f"{kind}_themes",
        f"{title} by theme, per quarter",
        ["Theme", *(name for name, _span in columns)],
        rows,
        summary,
        points,
        "People who named it",
        "Each answer is put under one theme by its words, as in the learning report. Themes are shown only "
        "for a quarter in which at least 5 people wrote one; a theme named by fewer than 5 is counted in "
        "Other themes. The chart shows the latest quarter with themes to show.",
    )


def section(figures: Figures, months: list[date]) -> Section:
    """The feedback section, with a sentence on how many answered and how their words are grouped."""
    tables = [
        *ratings(figures, months),
        themes(figures, months, "barrier"),
        themes(figures, months, "enabler"),
    ]
    by_type = in_period(figures, "feedback_by_type", months)
    answers = sum(by_type.values())
    # Beside a type answered by 1 to 4 people, the exact total would give that type's count away.
    who = count_people(answers).capitalize() if may_show_total(by_type.values()) else "People"
    summary = (
        f"{who} gave feedback on events held in this period. What they wrote about barriers and what "
        "helps is grouped by theme for each quarter in which at least 5 wrote."
    )
    return Section("feedback", "Feedback", tables, summary)
