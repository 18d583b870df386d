"""What the figures are counted from: facts, one per thing that happened, and the lookups they share."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from champions.extensions import db


@dataclass(frozen=True)
class Fact:
    """One thing that happened, counted once per distinct `who` (or summed by `amount` when who is None)."""

    measure: str
    month: date
    label: str
    areas: frozenset[int]
    sectors: frozenset[int]
    who: object = None
    amount: int = 1


def links(table, key: str, value: str) -> dict[int, frozenset[int]]:
    """Read a link table whole: each owner's set of linked ids."""
    found: dict[int, set[int]] = defaultdict(set)
    for owner, item in db.session.execute(select(table.c[key], table.c[value])):
        found[owner].add(item)
    return {owner: frozenset(items) for owner, items in found.items()}


def names_of(model) -> dict[int, str]:
    """Read a reference table's names by id."""
    return dict(db.session.execute(select(model.id, model.name)).all())
