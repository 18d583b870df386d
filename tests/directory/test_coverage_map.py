"""The coverage hex map: 32 named links, one per council area, on a grid without overlaps."""

import re

from sqlalchemy import select

from champions.accounts.models import Role
from champions.directory.queries import coverage
from champions.extensions import db
from champions.reference.models import CouncilArea

LINK = re.compile(r'<a href="([^"]+)" class="app-hexmap__area[^"]*">\s*<title>([^<]+)</title>')


def _map(page: str) -> str:
    return page.split('<svg xmlns="http://www.w3.org/2000/svg" id="coverage-map"')[1].split("</svg>")[0]


def test_the_grid_places_every_council_area_once_without_overlaps(app):
    slugs = set(db.session.scalars(select(CouncilArea.slug)))
    assert set(coverage.HEX_GRID) == slugs and len(slugs) == 32
    assert len(set(coverage.HEX_GRID.values())) == 32
    placed, width, height = coverage._layout(tuple(sorted(slugs)))
    centres = [(x, y) for x, y, _points in placed]
    for i, (x1, y1) in enumerate(centres):
        for x2, y2 in centres[i + 1 :]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= coverage.HEX_WIDTH - 0.5
    assert all(0 < x < width and 0 < y < height for x, y in centres)
    # Roughly geographic: Shetland at the top, Dumfries and Galloway at the bottom, Edinburgh east of Glasgow.
    grid = coverage.HEX_GRID
    assert grid["shetland-islands"][0] == min(row for row, _ in grid.values())
    assert grid["dumfries-and-galloway"][0] == max(row for row, _ in grid.values())
    assert grid["city-of-edinburgh"][1] > grid["glasgow-city"][1]


def test_an_area_missing_from_the_grid_still_gets_a_hex(app):
    placed, _width, _height = coverage._layout(("fife", "new-area", "another-new-area"))
    assert len({(x, y) for x, y, _points in placed}) == 3


def test_every_area_is_one_named_link_to_its_champions(client, make_profile):
    make_profile(areas=("fife",))
    page = client.get("/champions/coverage").get_data(as_text=True)
    links = LINK.findall(_map(page))
    assert len(links) == 32
    hrefs = [href for href, _name in links]
    assert len(set(hrefs)) == 32 and all(href.startswith("/champions?area=") for href in hrefs)
    names = dict(links)
    assert names["/champions?area=fife"] == "Fife: 1 local champion"
    assert names["/champions?area=na-h-eileanan-siar"] == "Na h-Eileanan Siar: 0 local champions"
    assert _map(page).count("<polygon") == 32
    assert 'class="app-hexmap__area app-hexmap__area--one"' in page  # Fife's band
    assert "/dashboard/" not in page  # visitors get no dashboard links
    assert "style=" not in page


def test_coordinators_find_each_areas_dashboard_in_the_table_not_on_the_map(client, as_role):
    as_role(Role.COORDINATOR)
    page = client.get("/champions/coverage").get_data(as_text=True)
    assert "/dashboard/area/" not in _map(page)
    table = page.split("Champions in each council area")[1]
    assert table.count('href="/dashboard/area/') == 32
    assert 'href="/dashboard/area/fife">Dashboard<span class="visually-hidden"> for Fife</span>' in table
    client.post("/account/sign-out")
    as_role(Role.MEMBER)
    assert "/dashboard/area/" not in client.get("/champions/coverage").get_data(as_text=True)
