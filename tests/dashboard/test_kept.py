"""What each worker keeps of a run's views: few statements whatever the data, nothing of one viewer shown to
another, and new figures as soon as a refresh makes a new run."""

import re

from champions.accounts.models import Role
from champions.dashboard import services
from champions.reference.models import Sector
from tests.dashboard.conftest import sector as find_sector

BOARD_AND_SECTOR = "/dashboard?board=nhs-fife&sector={sector}"  # a view drawn on request, not ahead


def _add_data(champion_in, held_event, sector: Sector) -> None:
    for days in range(5, 400, 30):
        champion_in("Fife", days_ago=days, sectors=[sector])
        champion_in("Glasgow City", days_ago=days)
        held_event(days_ago=days, answers=5, registered=6, attended=5)


def _counts(client, count_queries, path: str) -> tuple[int, int]:
    """Statements for the first request after a refresh, and for the same page again."""
    counts = []
    for _ in range(2):
        with count_queries() as statements:
            assert client.get(path).status_code == 200, path
        counts.append(len(statements))
    # Again, the view's figures and the charts drawn ahead are kept: only the run, the person and what
    # may change between requests (the live coverage map; for a view not drawn ahead, its charts and cap).
    if "period" not in path and "sector" not in path:
        assert not [s for s in statements if "statistics_figures" in s or "statistics_charts" in s], path
    return counts[0], counts[1]


def before_and_after_more_data(client, sign_in, make_user, champion_in, held_event, measure) -> tuple:
    """measure(path) after a refresh for a visitor's coverage map, a coordinator's national and
    board-and-sector views and a Fife champion's local dashboard; then the same with a year more data.
    Returns (before, after), each keyed by path."""
    sector = find_sector("health")
    board_view = BOARD_AND_SECTOR.format(sector=sector.slug)
    coordinator = make_user(role=Role.COORDINATOR)
    champion = champion_in("Fife").user

    def views() -> dict:
        services.refresh_statistics()
        found = {"/champions/coverage": measure("/champions/coverage")}
        sign_in(coordinator)
        client.get("/dashboard/area/glasgow-city")  # reference lists are read once per process
        found |= {path: measure(path) for path in ("/dashboard", board_view)}
        client.post("/account/sign-out")
        sign_in(champion)
        found["/dashboard/area/fife"] = measure("/dashboard/area/fife")
        client.post("/account/sign-out")
        return found

    before = views()
    _add_data(champion_in, held_event, sector)
    return before, views()


def test_each_dashboard_reads_at_most_8_statements_whatever_the_data(
    client, sign_in, make_user, count_queries, champion_in, held_event
):
    small, large = before_and_after_more_data(
        client, sign_in, make_user, champion_in, held_event, lambda path: _counts(client, count_queries, path)
    )
    assert large == small, (small, large)
    for path, (first, again) in large.items():
        assert first <= 8 and again <= first, (path, first, again)


def test_what_one_viewer_may_see_is_never_kept_for_another(client, sign_in, make_user, champion_in):
    services.refresh_statistics()
    fife = champion_in("Fife").user
    sign_in(make_user(role=Role.COORDINATOR))
    coordinator_page = client.get("/dashboard/area/fife").get_data(as_text=True)
    assert 'href="/dashboard/area/glasgow-city"' in coordinator_page
    client.post("/account/sign-out")
    sign_in(fife)
    page = client.get("/dashboard/area/fife").get_data(as_text=True)
    assert "/dashboard/area/glasgow-city" not in page
    assert 'href="/champions?area=glasgow-city"' in page and 'href="/dashboard/area/fife"' in page
    assert "or its champions where its figures are not yours to see" in page
    assert client.get("/dashboard/area/glasgow-city").status_code == 403
    client.post("/account/sign-out")
    sign_in(champion_in("Glasgow City").user)
    assert client.get("/dashboard/area/fife").status_code == 403
    glasgow = client.get("/dashboard/area/glasgow-city").get_data(as_text=True)
    assert 'href="/dashboard/area/glasgow-city"' in glasgow and "/dashboard/area/fife" not in glasgow


def test_a_refresh_shows_new_figures_at_once(client, as_role, champion_in):
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    gaps = re.compile(r"without a verified local champion</h3>\s*<ul>(.*?)</ul>", re.S)
    assert "<li>Glasgow City</li>" in gaps.search(client.get("/dashboard").get_data(as_text=True))[1]
    champion_in("Glasgow City")
    assert "<li>Glasgow City</li>" in gaps.search(client.get("/dashboard").get_data(as_text=True))[1]
    services.refresh_statistics()
    assert "<li>Glasgow City</li>" not in gaps.search(client.get("/dashboard").get_data(as_text=True))[1]
