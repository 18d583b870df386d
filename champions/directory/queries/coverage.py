"""Coverage: verified champions per council area, and a server-drawn SVG map of the counts."""

import math
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from champions.accounts.models import User
from champions.directory.models import ChampionProfile, Scope, Status, champion_profile_areas
from champions.extensions import db
from champions.recent import recent
from champions.reference.models import CouncilArea

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

# A single-hue blue scale (ColorBrewer Blues): it reads the same with every kind of colour blindness.
# No champion is white with a dashed outline, so the gaps never depend on colour alone.
BANDS = [
    (0, "No local champion", "#ffffff", "#0b0c0c"),
    (1, "1 local champion", "#c6dbef", "#0b0c0c"),
    (2, "2 or 3 local champions", "#6baed6", "#0b0c0c"),
    (4, "4 or more local champions", "#08519c", "#ffffff"),
]

RADIUS = 19
SCALE = 170  # pixels per degree of latitude


@dataclass
class AreaCoverage:
    area: CouncilArea
    local: int = 0
    board: int = 0
    national: int = 0
    x: float = 0.0
    y: float = 0.0

    @property
    def code(self) -> str:
        return AREA_CODES.get(self.area.slug, self.area.slug[:3].upper())

    @property
    def band(self) -> tuple[int, str, str, str]:
        return next(band for band in reversed(BANDS) if self.local >= band[0])

    @property
    def wider(self) -> int:
        return self.board + self.national


@dataclass
class CoverageMap:
    areas: list[AreaCoverage]
    width: int
    height: int
    radius: int = RADIUS
    bands: tuple = tuple(BANDS)

    @property
    def gaps(self) -> list[AreaCoverage]:
        return [item for item in self.areas if item.local == 0]

    @property
    def covered(self) -> int:
        return len(self.areas) - len(self.gaps)


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
def _layout(places: tuple[tuple[float, float], ...]) -> tuple[tuple[tuple[float, float], ...], int, int]:
    """Project (lon, lat) points, then nudge overlapping marks apart so every one can be read.

    A pure function of the council areas' fixed coordinates, so each process works it out once.
    """
    mid_lat = math.radians(57.5)
    points = [[lon * SCALE * math.cos(mid_lat), -lat * SCALE] for lon, lat in places]
    gap = 2 * RADIUS + 4
    for _ in range(150):
        for i, first in enumerate(points):
            for second in points[i + 1 :]:
                dx, dy = second[0] - first[0], second[1] - first[1]
                distance = math.hypot(dx, dy) or 0.01
                if distance < gap:
                    push = (gap - distance) / 2
                    first[0] -= dx / distance * push
                    first[1] -= dy / distance * push
                    second[0] += dx / distance * push
                    second[1] += dy / distance * push
    margin = RADIUS + 6
    left, top = min(p[0] for p in points) - margin, min(p[1] for p in points) - margin
    placed = tuple((round(x - left, 1), round(y - top, 1)) for x, y in points)
    return (
        placed,
        math.ceil(max(p[0] for p in placed) + margin),
        math.ceil(max(p[1] for p in placed) + margin),
    )


def _place(items: list[AreaCoverage]) -> tuple[int, int]:
    """Give each mark its place on the map; return the map's width and height."""
    placed, width, height = _layout(tuple((i.area.approx_lon, i.area.approx_lat) for i in items))
    for item, (x, y) in zip(items, placed, strict=True):
        item.x, item.y = x, y
    return width, height


def coverage_map() -> CoverageMap:
    """Every council area with its champion counts, placed on the map."""
    counts = recent("coverage counts", _counts)
    areas = db.session.scalars(
        select(CouncilArea).options(joinedload(CouncilArea.health_board)).order_by(CouncilArea.name)
    )
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
