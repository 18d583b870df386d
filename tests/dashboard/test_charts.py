"""Charts for every view: drawn ahead for the default months or on first request, never by a page."""

import re

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.dashboard import charts, queries, services
from champions.dashboard.models import Chart
from champions.extensions import db
from tests.dashboard.conftest import area, sector


def no_drawing(monkeypatch):
    monkeypatch.setattr("champions.dashboard.charts.draw", lambda table: pytest.fail("drew on a page"))


def views(ahead: bool) -> set[str]:
    return set(db.session.scalars(select(Chart.view).where(Chart.ahead.is_(ahead))))


def test_the_refresh_draws_the_default_period_for_scotland_every_board_and_every_area(app, champion_in):
    champion_in("Fife", days_ago=40)
    run = services.refresh_statistics()
    fife = area("Fife")
    default = queries.default_filters(run)
    span = f"{default.first:%Y-%m}..{default.last:%Y-%m}"
    drawn = views(ahead=True)
    assert {
        f"{span}|scotland|all",
        f"{span}|board:{fife.health_board_id}|all",
        f"{span}|area:{fife.id}|all",
    } <= drawn
    assert len(drawn) == 1 + 14 + 32 and not views(ahead=False)


def test_a_filtered_view_draws_each_chart_on_its_first_request_and_keeps_it_until_the_refresh(
    client, as_role, champion_in, held_event, monkeypatch
):
    champion_in("Fife", days_ago=40, sectors=[sector("education")])
    held_event(answers=6, registered=10, attended=5)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    query = f"board=nhs-fife&period=24&sector={sector('education').slug}"
    with monkeypatch.context() as patched:
        no_drawing(patched)
        body = client.get(f"/dashboard?{query}").get_data(as_text=True)
    slug = sector("education").slug
    src = f'<img src="/dashboard/charts/coverage.svg?board=nhs-fife&amp;period=24&amp;sector={slug}"'
    assert src in body and 'alt="Chart: Council areas with a verified local champion' in body
    assert not views(ahead=False)

    response = client.get(f"/dashboard/charts/coverage.svg?{query}")
    assert response.mimetype == "image/svg+xml" and response.data.startswith(b"<svg")
    assert len(views(ahead=False)) == 1
    with monkeypatch.context() as patched:
        no_drawing(patched)  # the second request reads what the first drew
        assert client.get(f"/dashboard/charts/coverage.svg?{query}").data == response.data
    assert client.get(f"/dashboard/charts/members_by_area.svg?{query}").status_code == 404  # a table only
    assert (
        client.get("/dashboard/charts/coverage.svg?period=custom&start=2026-06&end=2026-01").status_code
        == 404
    )

    services.refresh_statistics()
    assert not views(ahead=False)


def test_two_requests_drawing_the_same_chart_store_it_once(app, held_event, make_user):
    held_event(answers=5)
    run = services.refresh_statistics()
    filters = queries.Filters(queries.add_months(run.last_month, -2), run.last_month)
    view = queries.view_signature(filters)
    # The other request stored its chart after this one looked and before it saved.
    db.session.add(Chart(view=view, key="rating_by_type", title="t", summary="s", svg="<svg>theirs</svg>"))
    db.session.commit()
    assert services.draw_on_request(make_user().id, filters, run, "rating_by_type") == "<svg>theirs</svg>"
    assert db.session.scalar(select(Chart.svg).where(Chart.view == view)) == "<svg>theirs</svg>"


def test_a_local_dashboards_charts_are_for_whoever_may_see_the_area(
    client, as_role, sign_in, champion_in, held_event, monkeypatch
):
    fife_champion, glasgow_champion = champion_in("Fife").user, champion_in("Glasgow City").user
    held_event(place="Fife", answers=6)
    services.refresh_statistics()
    assert (
        client.get("/dashboard/area/fife/charts/rating_by_type.svg")
        .headers["Location"]
        .startswith("/account/sign-in?next=")
    )
    sign_in(fife_champion)
    body = client.get("/dashboard/area/fife").get_data(as_text=True)
    assert '<img src="/dashboard/area/fife/charts/rating_by_type.svg"' in body
    with monkeypatch.context() as patched:
        no_drawing(patched)  # the local dashboard's default view was drawn by the refresh
        assert client.get("/dashboard/area/fife/charts/rating_by_type.svg").data.startswith(b"<svg")
    assert client.get("/dashboard/area/fife/charts/rating_by_type.svg?period=24").status_code == 200
    assert client.get("/dashboard/area/glasgow-city/charts/rating_by_type.svg").status_code == 403
    assert client.get("/dashboard/charts/rating_by_type.svg?area=fife").status_code == 403
    assert client.get("/dashboard/area/no-such-area/charts/rating_by_type.svg").status_code == 404
    client.post("/account/sign-out")
    sign_in(glasgow_champion)
    assert client.get("/dashboard/area/fife/charts/rating_by_type.svg").status_code == 403
    client.post("/account/sign-out")
    as_role(Role.MEMBER)
    assert client.get("/dashboard/area/fife/charts/rating_by_type.svg").status_code == 403
    client.post("/account/sign-out")
    as_role(Role.COORDINATOR)
    assert client.get("/dashboard/area/fife/charts/rating_by_type.svg").status_code == 200
    assert client.get("/dashboard/charts/rating_by_type.svg?area=fife").status_code == 200


@pytest.mark.app_config({"DASHBOARD_CHART_VIEWS": 1})
def test_past_the_cap_on_views_a_page_shows_its_tables_and_says_so_calmly(client, as_role, held_event):
    held_event(answers=5)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    assert client.get("/dashboard/charts/rating_by_type.svg?period=24").status_code == 200
    # The view already drawn keeps its charts, and more of them can be drawn.
    assert client.get("/dashboard/charts/coverage.svg?period=24").status_code == 200
    body = client.get("/dashboard?period=24").get_data(as_text=True)
    assert "/dashboard/charts/rating_by_type.svg?period=24" in body and "not drawn just now" not in body
    body = client.get("/dashboard?board=nhs-fife&period=24").get_data(as_text=True)
    assert "<img" not in body and "not drawn just now" in body and "Average rating by event type" in body
    assert client.get("/dashboard/charts/rating_by_type.svg?board=nhs-fife&period=24").status_code == 429
    # The views drawn ahead are not counted.
    assert client.get("/dashboard/charts/rating_by_type.svg").status_code == 200


@pytest.mark.app_config({"RATELIMIT_ENABLED": True, "DASHBOARD_CHART_DRAWS": "2 per hour"})
def test_one_person_may_draw_only_so_many_charts_an_hour(client, as_role, held_event, champion_in):
    champion_in("Fife", days_ago=40)
    held_event(answers=5)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    for _ in range(3):  # the views drawn ahead cost nothing
        assert client.get("/dashboard/charts/rating_by_type.svg").status_code == 200
    assert client.get("/dashboard/charts/rating_by_type.svg?period=24").status_code == 200
    assert client.get("/dashboard/charts/coverage.svg?period=24").status_code == 200
    assert client.get("/dashboard/charts/rating_by_type.svg?period=24").status_code == 200  # stored
    assert client.get("/dashboard/charts/case_studies.svg?period=24").status_code == 429
    body = client.get("/dashboard?period=24").get_data(as_text=True)
    assert "/dashboard/charts/coverage.svg?period=24" in body and "not drawn just now" in body
    assert "/dashboard/charts/case_studies.svg?period=24" not in body
    client.post("/account/sign-out")
    as_role(Role.COORDINATOR)  # someone else's requests count for them
    assert client.get("/dashboard/charts/case_studies.svg?period=24").status_code == 200


def ticks(key: str, points: list) -> list[str]:
    """The tick labels of a table's chart."""
    return re.findall(r">([0-9.]+)</text>", charts.draw(queries.Table(key, "t", [], [], "s", points, "a")))


def test_counts_are_ticked_in_whole_numbers_and_ratings_are_not(app):
    assert ticks("coverage", [("January 2026", 1), ("February 2026", 1)]) == ["0", "1"]
    assert ticks("champions_by_sector", [("Health", 3), ("Education", 2)]) == ["0", "1", "2", "3"]
    assert "4.5" in ticks("rating_by_type", [("Training", 4.5), ("Webinar", 3.9)])
