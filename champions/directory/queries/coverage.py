"""Coverage: verified champions per council area, and a server-drawn SVG hex map of the counts."""

import math
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func, select

from champions.accounts.models import User
from champions.directory.models import ChampionProfile, Scope, Status, champion_profile_areas
from champions.extensions import db
from champions.recent import recent
from champions.reference.cache import ReferenceItem, areas_with_boards

# ISO 3166-2:GB codes, short enough to print inside a map mark.
AREA_CODES = {
    "aberdeen-city": "ABE",
    "aberdeenshire": "ABD",
    "angus": "ANS",
    "argyll-and-bute": "AGB",
    "city-of-edinburgh": "EDH",
    "clackmannanshire": "CLK",
    "dumfries-and-galloway": "DGY",
    "dundee-city": "DND",
    "east-ayrshire": "EAY",
    "east-dunbartonshire": "EDU",
    "east-lothian": "ELN",
    "east-renfrewshire": "ERW",
    "falkirk": "FAL",
    "fife": "FIF",
    "glasgow-city": "GLG",
    "highland": "HLD",
    "inverclyde": "IVC",
    "midlothian": "MLN",
    "moray": "MRY",
    "na-h-eileanan-siar": "ELS",
    "north-ayrshire": "NAY",
    "north-lanarkshire": "NLK",
    "orkney-islands": "ORK",
    "perth-and-kinross": "PKN",
    "renfrewshire": "RFW",
    "scottish-borders": "SCB",
    "shetland-islands": "ZET",
    "south-ayrshire": "SAY",
    "south-lanarkshire": "SLK",
    "stirling": "STG",
    "west-dunbartonshire": "WDU",
    "west-lothian": "WLN",
}

# Where each council area sits on the hex map, as (row, column): an equal-area cartogram, one hex per
# area whatever its size, roughly where the area is. Rows run north to south; odd rows sit half a hex to
# the east, so each hex touches up to six others. The islands keep a gap from the mainland.
HEX_GRID = {
    "shetland-islands": (0, 5),
    "orkney-islands": (1, 3),
    "na-h-eileanan-siar": (2, 1),
    "highland": (2, 3),
    "moray": (2, 4),
    "aberdeenshire": (2, 5),
    "aberdeen-city": (2, 6),
    "argyll-and-bute": (3, 2),
    "perth-and-kinross": (3, 3),
    "angus": (3, 4),
    "dundee-city": (3, 5),
    "west-dunbartonshire": (4, 1),
    "stirling": (4, 2),
    "clackmannanshire": (4, 3),
    "fife": (4, 4),
    "inverclyde": (5, 0),
    "east-dunbartonshire": (5, 1),
    "falkirk": (5, 2),
    "west-lothian": (5, 3),
    "city-of-edinburgh": (5, 4),
    "east-lothian": (5, 5),
    "renfrewshire": (6, 0),
    "glasgow-city": (6, 1),
    "north-lanarkshire": (6, 2),
    "south-lanarkshire": (6, 3),
    "midlothian": (6, 4),
    "scottish-borders": (6, 5),
    "north-ayrshire": (7, 0),
    "east-renfrewshire": (7, 1),
    "east-ayrshire": (7, 2),
    "south-ayrshire": (8, 1),
    "dumfries-and-galloway": (8, 2),
}

# A single-hue blue scale (ColorBrewer Blues): it reads the same with every kind of colour blindness.
# Each band is a CSS class (static/css/directory.css) so that focus and print can restyle it under a
# strict CSP. No champion is hatched with a dashed outline, so the gaps never depend on colour alone.
BANDS = [
    (0, "No local champion", "none"),
    (1, "1 local champion", "one"),
    (2, "2 or 3 local champions", "few"),
    (4, "4 or more local champions", "many"),
]

HEX_SIZE = 40  # centre to corner, in pixels
HEX_GAP = 2.5  # drawn this much smaller, so a focused hex's heavy edge is not hidden under its neighbours
HEX_WIDTH = math.sqrt(3) * HEX_SIZE
ROW_HEIGHT = 1.5 * HEX_SIZE
MARGIN = 4


@dataclass(frozen=True)
class MapArea:
    """A council area as the map shows it, with its NHS board: a plain value from the reference lists."""

    id: int
    slug: str
    name: str
    health_board: ReferenceItem


@dataclass
class AreaCoverage:
    area: MapArea
    local: int = 0
    board: int = 0
    national: int = 0
    x: float = 0.0
    y: float = 0.0
    points: str = ""

    @property
    def code(self) -> str:
        return AREA_CODES.get(self.area.slug, self.area.slug[:3].upper())

    @property
    def band(self) -> tuple[int, str, str]:
        return next(band for band in reversed(BANDS) if self.local >= band[0])

    @property
    def wider(self) -> int:
        return self.board + self.national


@dataclass
class CoverageMap:
    areas: list[AreaCoverage]
    width: int
    height: int
    bands: tuple = tuple(BANDS)

    @property
    def gaps(self) -> list[AreaCoverage]:
        return [item for item in self.areas if item.local == 0]

    @property
    def covered(self) -> int:
        return len(self.areas) - len(self.gaps)

    @property
    def hexes(self) -> list[AreaCoverage]:
        """The areas in reading order on the map, north to south then west to east, for the tab order."""
        return sorted(self.areas, key=lambda item: (item.y, item.x))


def _counts() -> dict[tuple[int, str], int]:
    """Listed, verified champions per council area and scope, in one query."""
    rows = db.session.execute(
        select(champion_profile_areas.c.council_area_id, ChampionProfile.scope, func.count())
        .join(ChampionProfile, ChampionProfile.id == champion_profile_areas.c.champion_profile_id)
        .join(User, User.id == ChampionProfile.user_id)
        .where(
            ChampionProfile.status == Status.VERIFIED.value,
            ChampionProfile.listing_consent_at.is_not(None),
            User.active.is_(True),
        )
        .group_by(champion_profile_areas.c.council_area_id, ChampionProfile.scope)
    )
    return {(area_id, scope): count for area_id, scope, count in rows}


@lru_cache(maxsize=4)
def _layout(slugs: tuple[str, ...]) -> tuple[tuple[tuple[float, float, str], ...], int, int]:
    """Place each area's hex from the grid: its centre and corner points, and the map's width and height.

    A pure function of the fixed grid, so each process works it out once. An area missing from the
    grid (new reference data) gets a row of its own below the map rather than an error.
    """
    extra_row = max(row for row, _column in HEX_GRID.values()) + 2
    unplaced = [slug for slug in slugs if slug not in HEX_GRID]
    cells = [HEX_GRID.get(slug) or (extra_row, unplaced.index(slug)) for slug in slugs]
    placed, drawn = [], HEX_SIZE - HEX_GAP
    for row, column in cells:
        x = MARGIN + HEX_WIDTH / 2 + (column + (row % 2) / 2) * HEX_WIDTH
        y = MARGIN + HEX_SIZE + row * ROW_HEIGHT
        corners = (math.radians(60 * k - 30) for k in range(6))
        points = " ".join(f"{x + drawn * math.cos(a):.1f},{y + drawn * math.sin(a):.1f}" for a in corners)
        placed.append((round(x, 1), round(y, 1), points))
    width = max(x for x, _y, _p in placed) + HEX_WIDTH / 2 + MARGIN
    height = max(y for _x, y, _p in placed) + HEX_SIZE + MARGIN
    return tuple(placed), math.ceil(width), math.ceil(height)


def _place(items: list[AreaCoverage]) -> tuple[int, int]:
    """Give each area its hex on the map; return the map's width and height."""
    placed, width, height = _layout(tuple(item.area.slug for item in items))
    for item, (x, y, points) in zip(items, placed, strict=True):
        item.x, item.y, item.points = x, y, points
    return width, height


def map_areas() -> list[MapArea]:
    """The council areas by name, each with its board, from the list each worker reads once."""
    return [MapArea(area.id, area.slug, area.name, board) for area, board in areas_with_boards()]


def coverage_map() -> CoverageMap:
    """Every council area with its champion counts, placed on the hex map."""
    counts = recent("coverage counts", _counts)
    areas = map_areas()
    items = [
        AreaCoverage(
            area,
            counts.get((area.id, Scope.LOCAL.value), 0),
            counts.get((area.id, Scope.NHS_BOARD.value), 0),
            counts.get((area.id, Scope.NATIONAL.value), 0),
        )
        for area in areas
    ]
    width, height = _place(items)
    return CoverageMap(items, width, height)
