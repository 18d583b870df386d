"""How counts are written: the rule of five for counts of people, and plurals.

The rule of five: in every report, dashboard and download, a count of people from 1 to 4 is written
"fewer than 5", free text is shown only when at least 5 people wrote some, and a breakdown merges its
small groups so that none can be worked out from the total. 0 is shown as 0. The threshold is the
setting SMALL_NUMBER_THRESHOLD. These functions are the one way to write such a count.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app

IRREGULAR = {"person": "people"}


def threshold() -> int:
    """Return the smallest count of people that may be shown."""
    return current_app.config["SMALL_NUMBER_THRESHOLD"]


def is_small(count: int) -> bool:
    """Say whether a count of people is too small to show: from 1 to just under the threshold."""
    return 0 < count < threshold()


def display_count(count: int) -> str:
    """Write a count of people as a figure, or "fewer than 5" when it is small."""
    return f"fewer than {threshold()}" if is_small(count) else str(count)


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """Write a count with its noun in the right number: "1 person", "2 people", "0 people"."""
    if count == 1:
        return f"1 {singular}"
    return f"{count} {plural_form or IRREGULAR.get(singular) or singular + 's'}"


def count_people(count: int, singular: str = "person", plural_form: str = "") -> str:
    """Write a count of people with its noun, under the rule of five: "fewer than 5 people", "7 people"."""
    if is_small(count):
        return f"fewer than {threshold()} {plural_form or IRREGULAR.get(singular) or singular + 's'}"
    return plural(count, singular, plural_form)


def may_show_text(answers: int) -> bool:
    """Say whether people's own words may be shown: only when enough of them wrote some."""
    return answers >= threshold()


@dataclass(frozen=True)
class Breakdown:
    """A breakdown of people into groups, safe to show: each count is 0 or at least the threshold."""

    rows: tuple[tuple[str, int], ...]
    total: int

    @property
    def withheld(self) -> bool:
        """True when there are people but no group could be shown without pointing to some of them."""
        return self.total > 0 and not any(count for _label, count in self.rows)


def breakdown(rows: Iterable[tuple[str, int]], other_label: str) -> Breakdown:
    """Merge the small groups into one "other" row, then more groups until that row is safe to show.

    A group of 1 to 4 is never shown. Nor is a remainder: with a total of 7, "Glasgow City: 5" would
    tell that 2 came from elsewhere, so the smallest shown group joins the other row until that row
    is 0 or at least the threshold. Every shown count then adds up to the total, and nothing small
    can be found by subtraction. Groups of 0 stay, in their place.
    """
    rows = list(rows)
    total = sum(count for _label, count in rows)
    if is_small(total):
        return Breakdown((), total)
    kept = [row for row in rows if not is_small(row[1])]
    other = total - sum(count for _label, count in kept)
    while is_small(other):
        smallest = min((row for row in kept if row[1]), key=lambda row: row[1])
        kept.remove(smallest)
        other += smallest[1]
    if not any(count for _label, count in kept):
        return Breakdown((), total)
    if other:
        kept.append((other_label, other))
    return Breakdown(tuple(kept), total)


NOT_SHOWN = "not shown"


def may_show_total(parts: Iterable[int]) -> bool:
    """Say whether a total may be written exactly beside these parts: not when one is hidden (1 to 4).

    Beside "A: 8, B: fewer than 5", a total of 11 would tell that B is 3.
    """
    return not any(is_small(count) for count in parts)


def display_counts(counts: Iterable[int]) -> list[str]:
    """Write a column of counts of people whose total can be known from elsewhere, so none can be subtracted.

    Small counts are written "fewer than 5", as display_count does. When those hidden add up to 1 to 4,
    the total (told by another table of the same people, or by the same column in another view) would
    give that sum away, so the smallest shown counts are written "not shown" too, until the hidden
    ones add up to 0 or at least the threshold.
    """
    counts = list(counts)
    hidden = {i for i, count in enumerate(counts) if is_small(count)}
    while is_small(sum(counts[i] for i in hidden)):
        shown = [i for i, count in enumerate(counts) if i not in hidden and count]
        if not shown:
            break
        hidden.add(min(shown, key=lambda i: counts[i]))
    return [
        (display_count(count) if is_small(count) else NOT_SHOWN) if i in hidden else str(count)
        for i, count in enumerate(counts)
    ]
