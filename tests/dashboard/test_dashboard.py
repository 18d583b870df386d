"""The national dashboard: who sees it, the rule of five, downloads, bad periods, the refresh and its cost."""

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.dashboard import queries, services
from champions.dashboard.models import Chart, Figure, StatisticsRun
from champions.extensions import db
from tests.dashboard.conftest import csv_rows as _csv
from tests.dashboard.conftest import ods_rows as _ods
from tests.dashboard.conftest import sector

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
PAGES = ["/dashboard", "/dashboard/tables/coverage.csv", "/dashboard/tables/coverage.ods"]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in PAGES + ["/dashboard/charts/coverage.svg", "/dashboard/area/fife"]:
        assert client.get(url).headers["Location"].startswith("/account/sign-in?next="), url


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_members_and_champions_get_no_dashboard_but_the_public_one(client, as_role, role):
    services.refresh_statistics()
    as_role(role)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    assert client.get("/network/in-numbers").status_code == 200
    assert 'href="/dashboard"' not in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_see_it_linked_from_the_header_and_manage(client, as_role, role):
    as_role(role)
    body = client.get("/dashboard").get_data(as_text=True)
    assert "Figures not yet worked out" in body and "every night" in body
    assert 'href="/dashboard"' in client.get("/manage").get_data(as_text=True)
    services.refresh_statistics()
    assert "Coverage" in client.get("/dashboard").get_data(as_text=True)


def test_the_public_page_shows_totals_only_and_kindly_before_any_refresh(client, champion_in, held_event):
    assert "Figures not yet worked out" in client.get("/network/in-numbers").get_data(as_text=True)
    for _ in range(3):
        champion_in("Fife")
    held_event()
    services.refresh_statistics()
    body = client.get("/network/in-numbers").get_data(as_text=True)
    assert "<strong>1 of 32</strong> council areas" in body
    assert "<strong>fewer than 5</strong> verified trauma champions" in body
    assert "<strong>1</strong> events held" in body


def test_the_rule_of_five_with_1_4_5_and_6_answers(client, as_role, held_event):
    for kind, answers in (("webinar", 1), ("deep-dive", 4), ("training", 5), ("learning-event", 6)):
        held_event(kind, answers=answers, rating=4)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    expected = [
        ["Event type", "Responses", "Average rating (out of 5)"],
        ["Deep dive", "fewer than 5", "not shown"],
        ["Learning event", "6", "4"],
        ["Training", "5", "4"],
        ["Webinar", "fewer than 5", "not shown"],
    ]
    assert _csv(client.get("/dashboard/tables/rating_by_type.csv")) == expected
    assert _ods(client.get("/dashboard/tables/rating_by_type.ods")) == expected
    body = client.get("/dashboard").get_data(as_text=True)
    assert body.count("fewer than 5") >= 2 and "Learning event had the highest average rating" in body
    # The chart leaves the small groups out: only the two safe bars are drawn.
    chart = db.session.scalar(select(Chart.svg).where(Chart.key == "rating_by_type"))
    assert (
        "Learning event" in chart
        and "Training" in chart
        and "Webinar" not in chart
        and "Deep dive" not in chart
    )


def test_attendance_rates_hide_small_numbers_and_the_summary_says_what_changed(client, as_role, held_event):
    held_event(days_ago=75, registered=10, attended=5)  # 50%
    held_event(days_ago=5, registered=10, attended=8)  # 2 stayed away: no rate
    held_event(days_ago=40, registered=20, attended=15)  # 75%
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    rows = _csv(client.get("/dashboard/tables/events_by_month.csv"))
    rates = [row[4] for row in rows[1:] if row[1] != "0"]
    assert rates == ["50%", "75%", "not shown"]
    assert "Attendance rose from 50% in" in client.get("/dashboard").get_data(as_text=True)


def test_coverage_month_by_month_the_gaps_and_the_filters(client, as_role, champion_in):
    champion_in("Fife", days_ago=70, sectors=[sector("education")])
    champion_in("Glasgow City", days_ago=0)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    rows = _csv(client.get("/dashboard/tables/coverage.csv?period=12"))
    assert rows[-1][1:] == ["2", "2"] and rows[1][1:] == ["0", "0"]
    fife = client.get("/dashboard?board=nhs-fife").get_data(as_text=True)
    assert "NHS Fife" in fife and "Glasgow City" not in fife.split("without a verified local champion")[1]
    board_rows = _csv(client.get("/dashboard/tables/coverage.csv?board=nhs-fife"))
    assert board_rows[-1][1:] == ["1", "1"]
    by_sector = _csv(client.get(f"/dashboard/tables/coverage.csv?sector={sector('education').slug}"))
    assert by_sector[-1][1:] == ["1", "1"]


BAD_FILTERS = [
    ("period=custom&start=2026-06&end=2026-01", "The period needs to end after it starts"),
    ("period=custom&start=1999-01&end=2026-01", "The figures run from"),
    ("period=custom&start=2026-13&end=nonsense", "Enter a year and month like 2025-04"),
    ("period=forever", "Choose a period from the list"),
    ("area=fife&board=nhs-lothian", "That council area is in NHS Fife"),
    ("sector=no-such-sector", "We do not know that sector"),
    ("period=custom&start=" + "9" * 5000, "Enter a year and month like 2025-04"),
]


def test_bad_filters_get_a_kind_message_never_a_500(client, as_role):
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    for query, message in BAD_FILTERS:
        response = client.get(f"/dashboard?{query}")
        assert response.status_code == 200, query
        assert message in response.get_data(as_text=True), query
        download = client.get(f"/dashboard/tables/coverage.csv?{query}")
        assert download.headers["Location"].startswith("/dashboard?"), query


def test_unknown_tables_and_charts_are_404(client, as_role):
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    assert client.get("/dashboard/tables/nothing.csv").status_code == 404
    assert client.get("/dashboard/tables/coverage.xlsx").status_code == 404
    assert client.get("/dashboard/charts/nothing.svg").status_code == 404


def test_refresh_is_idempotent(app, champion_in, held_event):
    champion_in("Fife", days_ago=100)
    held_event(answers=6, registered=7, attended=5)
    now = utcnow()
    services.refresh_statistics(now)
    first = sorted(
        db.session.execute(select(Figure.measure, Figure.month, Figure.scope, Figure.label, Figure.value))
    )
    services.refresh_statistics(now)
    again = sorted(
        db.session.execute(select(Figure.measure, Figure.month, Figure.scope, Figure.label, Figure.value))
    )
    assert first == again and first
    assert db.session.scalar(select(func.count(StatisticsRun.id))) == 1
    assert db.session.scalar(select(func.count(Chart.key))) >= 2


def test_the_page_reads_a_bounded_number_of_queries_whatever_the_data(
    client, as_role, count_queries, champion_in, held_event
):
    as_role(Role.COORDINATOR)
    services.refresh_statistics()
    client.get("/dashboard")  # reference lists are read once per process
    drawn_ahead, on_request = "/dashboard?board=nhs-fife", "/dashboard?board=nhs-fife&period=24"
    with count_queries() as small:
        assert client.get(drawn_ahead).status_code == 200
    with count_queries() as small_on_request:
        assert client.get(on_request).status_code == 200
    for days in range(5, 400, 30):
        champion_in("Fife", days_ago=days)
        held_event(days_ago=days, answers=5, registered=6, attended=5)
    services.refresh_statistics()
    for n in range(3):  # views drawn on request since the refresh
        client.get(f"/dashboard/charts/coverage.svg?period={20 + n}")
    with count_queries() as large:
        assert client.get(drawn_ahead).status_code == 200
    with count_queries() as large_on_request:
        assert client.get(on_request).status_code == 200
    assert len(large) == len(small) <= 8, large
    assert len(large_on_request) == len(small_on_request) <= 9, large_on_request


def test_charts_are_served_from_the_refresh_without_drawing(client, as_role, held_event, monkeypatch):
    held_event(answers=5)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    monkeypatch.setattr("champions.dashboard.charts.draw", lambda table: pytest.fail("drew on a request"))
    response = client.get("/dashboard/charts/rating_by_type.svg")
    assert response.mimetype == "image/svg+xml" and response.data.startswith(b"<svg")
    assert '<img src="/dashboard/charts/rating_by_type.svg" alt="Chart: ' in client.get(
        "/dashboard"
    ).get_data(as_text=True)


def test_the_period_filters_choose_the_months(client, as_role):
    run = services.refresh_statistics()
    as_role(Role.COORDINATOR)
    last = run.last_month
    months = lambda query: [row[0] for row in _csv(client.get(f"/dashboard/tables/coverage.csv?{query}"))[1:]]  # noqa: E731
    assert len(months("")) == 12 and len(months("period=24")) == 24
    assert months(f"period=year-{last.year}") == [f"{m} {last.year}" for m in MONTHS[: last.month]]
    quarter = (last.month - 1) // 3 + 1
    assert len(months(f"period=q-{last.year}-{quarter}")) == last.month - (quarter - 1) * 3
    start = queries.add_months(last, -2)
    assert len(months(f"period=custom&start={start:%Y-%m}&end={last:%Y-%m}")) == 3


def test_a_local_dashboard_is_for_coordinators_and_that_areas_champions(
    client, as_role, make_user, sign_in, champion_in, held_event
):
    fife_champion, glasgow_champion = champion_in("Fife").user, champion_in("Glasgow City").user
    held_event(place="Fife", answers=6)
    held_event(place="Glasgow City", answers=5)
    services.refresh_statistics()
    assert client.get("/dashboard/area/fife").headers["Location"].startswith("/account/sign-in?next=")
    sign_in(fife_champion)
    body = client.get("/dashboard/area/fife").get_data(as_text=True)
    assert '<h1 class="ds_page-header__title">Fife in figures</h1>' in body and "Fife, every sector" in body
    assert 'href="/dashboard/area/fife/tables/rating_by_type.csv' in body
    rows = _csv(client.get("/dashboard/area/fife/tables/rating_by_type.csv"))
    assert rows[1] == ["Training", "6", "4"] and len(rows) == 2
    assert client.get("/dashboard/area/glasgow-city").status_code == 403
    assert client.get("/dashboard/area/glasgow-city/tables/rating_by_type.csv").status_code == 403
    assert client.get("/dashboard").status_code == 403
    assert client.get("/dashboard/area/no-such-area").status_code == 404
    client.post("/account/sign-out")
    sign_in(glasgow_champion)
    assert client.get("/dashboard/area/fife").status_code == 403
    client.post("/account/sign-out")
    as_role(Role.MEMBER)
    assert client.get("/dashboard/area/fife").status_code == 403
    client.post("/account/sign-out")
    as_role(Role.COORDINATOR)
    assert client.get("/dashboard/area/glasgow-city").status_code == 200
    bad = client.get("/dashboard/area/fife/tables/coverage.csv?period=custom&start=2026-05&end=2026-01")
    assert bad.headers["Location"].startswith("/dashboard/area/fife?")


def test_every_table_downloads_as_csv_and_ods_with_the_pages_figures(
    client, as_role, champion_in, held_event
):
    champion_in("Fife", days_ago=40)
    held_event(answers=6, registered=12, attended=6)
    run = services.refresh_statistics()
    as_role(Role.COORDINATOR)
    tables = [t for s in queries.dashboard(queries.default_filters(run), run).sections for t in s.tables]
    assert len(tables) >= 12
    for table in tables:
        expected = [table.header, *table.rows]
        assert _csv(client.get(f"/dashboard/tables/{table.key}.csv")) == expected, table.key
        assert _ods(client.get(f"/dashboard/tables/{table.key}.ods")) == expected, table.key
