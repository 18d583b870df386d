"""What the figures are counted from: facts, one per thing that happened, and the lookups they share."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from champions.directory.models import Scope
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


def areas_by_board(boards: dict[int, int]) -> dict[int, frozenset[int]]:
    """Each NHS board's council areas, from {area: board}."""
    found: dict[int, set[int]] = defaultdict(set)
    for area, board in boards.items():
        found[board].add(area)
    return {board: frozenset(areas) for board, areas in found.items()}


def champion_areas(
    own: frozenset[int], scope: str, board: int | None, in_board: dict[int, frozenset[int]]
) -> frozenset[int]:
    """The council areas a champion counts in: their own, or all of their board's for a board champion."""
    if scope == Scope.NHS_BOARD and board is not None:
        return in_board.get(board, frozenset())
    return own


def names_of(model) -> dict[int, str]:
    """Read a reference table's names by id."""
    return dict(db.session.execute(select(model.id, model.name)).all())
