"""The coverage hex map on the dashboards: each hexagon links to its area's figures, named and in order."""

import re

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.dashboard import services
from champions.extensions import db


def hex_links(body: str) -> list[tuple[str, str]]:
    """(href, name) of each hexagon on the page's map, in the page's order (the tab order)."""
    svg = body[body.index('<svg xmlns="http://www.w3.org/2000/svg" id="coverage-map"') :]
    svg = svg[: svg.index("</svg>")]
    return re.findall(r'<a href="([^"]+)" class="app-hexmap__area[^>]*>\s*<title>([^<]+)</title>', svg)


def test_the_national_dashboard_map_links_every_area_to_its_figures(client, as_role, champion_in):
    profile = champion_in("Fife")
    profile.listing_consent_at = utcnow()  # the map counts listed champions, as the public one does
    db.session.commit()
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    body = client.get("/dashboard").get_data(as_text=True)
    links = hex_links(body)
    assert len(links) == 32
    assert links[0] == ("/dashboard/area/shetland-islands", "Shetland Islands: 0 local champions")
    assert ("/dashboard/area/fife", "Fife: 1 local champion") in links
    assert 'aria-labelledby="hexmap-title" aria-describedby="hexmap-desc"' in body
    assert "links to the area’s figures" in body and "aria-current" not in body
    # The table is kept, with the same links, and the page has one id of each.
    assert (
        '<a href="/dashboard/area/fife">Dashboard<span class="visually-hidden"> for Fife</span></a>' in body
    )
    ids = re.findall(r' id="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_a_local_dashboard_marks_its_own_area(client, as_role, champion_in):
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    body = client.get("/dashboard/area/fife").get_data(as_text=True)
    own = re.search(
        r'<a href="/dashboard/area/fife" class="([^"]+)" aria-current="page">\s*<title>([^<]+)<', body
    )
    assert own and "app-hexmap__area--current" in own.group(1) and own.group(2).endswith("(this area)")
    assert body.count('aria-current="page"') == 1 and "Fife has a heavy edge." in body


def test_a_champion_s_map_links_to_figures_only_where_they_may_see_them(client, sign_in, champion_in):
    fife = champion_in("Fife").user
    services.refresh_statistics()
    sign_in(fife)
    body = client.get("/dashboard/area/fife").get_data(as_text=True)
    links = dict((name.split(":")[0], href) for href, name in hex_links(body))
    assert links["Fife"] == "/dashboard/area/fife"
    assert links["Glasgow City"] == "/champions?area=glasgow-city"
    assert 'href="/dashboard/area/glasgow-city"' not in body
    for href in links.values():
        if href.startswith("/dashboard/"):
            assert client.get(href).status_code == 200, href


def test_the_public_coverage_map_still_links_to_the_areas_champions(client):
    body = client.get("/champions/coverage").get_data(as_text=True)
    links = hex_links(body)
    assert len(links) == 32 and all(href.startswith("/champions?area=") for href, _ in links)
    assert "links to the area’s champions" in body and "/dashboard/area/" not in body
