"""Reference lists read once per process: council areas, NHS boards, sectors, levels, principles.

Reference rows change only through migrations, which are deployed with a restart, so each worker
may keep its own copy: every worker reads the same rows, and nothing personal is ever kept. The
copies are plain frozen records, so they can be shown and compared but never written back.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from champions.extensions import db
from champions.reference.models import (
    CouncilArea,
    HealthBoard,
    ImplementationDomain,
    NttpLevel,
    Principle,
    Sector,
)


@dataclass(frozen=True)
class ReferenceItem:
    id: int
    slug: str
    name: str


# list name -> (model, order)
LISTS = {
    "area": (CouncilArea, CouncilArea.name),
    "board": (HealthBoard, HealthBoard.name),
    "sector": (Sector, Sector.position),
    "level": (NttpLevel, NttpLevel.position),
    "principle": (Principle, Principle.position),
    "domain": (ImplementationDomain, ImplementationDomain.position),
}


def reference_items(name: str) -> tuple[ReferenceItem, ...]:
    """One reference list, in its usual order, loaded on first use in this process."""
    cache = current_app.extensions.setdefault("reference_items", {})
    if name not in cache:
        model, order = LISTS[name]
        rows = db.session.execute(select(model.id, model.slug, model.name).order_by(order))
        cache[name] = tuple(ReferenceItem(*row) for row in rows)
    return cache[name]


def areas_with_boards() -> list[tuple[ReferenceItem, ReferenceItem]]:
    """Each council area with its NHS board, by area name: read once per worker, as the lists above.

    For the dashboards' filters and the coverage map. Two first requests at once both read it; each keeps a
    whole list, never a doubled one.
    """
    found = current_app.extensions.get("reference_areas_with_boards")
    if found is None:
        rows = db.session.execute(
            select(
                CouncilArea.id,
                CouncilArea.slug,
                CouncilArea.name,
                HealthBoard.id,
                HealthBoard.slug,
                HealthBoard.name,
            )
            .join(HealthBoard, HealthBoard.id == CouncilArea.health_board_id)
            .order_by(CouncilArea.name)
        )
        found = [(ReferenceItem(*row[:3]), ReferenceItem(*row[3:])) for row in rows]
        found = current_app.extensions.setdefault("reference_areas_with_boards", found)
    return found
