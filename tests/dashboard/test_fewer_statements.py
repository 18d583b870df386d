"""With results kept a minute per worker (champions.recent), the dashboards and the coverage map read almost
nothing but the person: the last refresh, the council areas with their boards, and a view's stored charts
are kept, so every statement left is about who asks. Another worker's refresh is seen within the minute;
a refresh in this worker at once."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.dashboard import queries, services
from champions.dashboard.models import Chart, StatisticsRun
from champions.directory.queries import coverage
from champions.extensions import db
from champions.reference.models import CouncilArea
from tests.dashboard.conftest import sector as find_sector
from tests.dashboard.test_kept import BOARD_AND_SECTOR, before_and_after_more_data

KEPT = pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60})


def _statements(client, count_queries, path: str) -> list[str]:
    client.get(path)  # the first request after a refresh works the views out
    with count_queries() as statements:
        assert client.get(path).status_code == 200, path
    return statements


@KEPT
def test_the_dashboards_and_the_map_read_only_the_person_whatever_the_data(
    client, sign_in, make_user, count_queries, champion_in, held_event
):
    small, large = before_and_after_more_data(
        client,
        sign_in,
        make_user,
        champion_in,
        held_event,
        lambda path: _statements(client, count_queries, path),
    )
    board_view = BOARD_AND_SECTOR.format(sector=find_sector("health").slug)
    assert {path: len(s) for path, s in large.items()} == {path: len(s) for path, s in small.items()}
    counts = {path: len(s) for path, s in large.items()}
    # A visitor's map: nothing at all. A coordinator: who they are. A champion: who they are, and their areas.
    assert counts == {
        "/champions/coverage": 0,
        "/dashboard": 1,
        board_view: 1,
        "/dashboard/area/fife": 2,
    }, large
    for path, statements in large.items():
        assert not [s for s in statements if "statistics_" in s], path
        if path != "/dashboard/area/fife":  # the champion's own areas are about the person
            assert not [s for s in statements if "council_areas" in s], path


def _worked_out(client) -> str:
    page = client.get("/dashboard").get_data(as_text=True)
    return page.split("Worked out ")[1].split(".")[0]


def _another_workers_refresh(minutes: int) -> None:
    """What a refresh in another process leaves in the database, without telling this one."""
    run = db.session.scalar(select(StatisticsRun))
    run.finished_at = run.finished_at + timedelta(minutes=minutes)
    db.session.commit()


@KEPT
def test_another_workers_refresh_is_seen_within_the_minute_and_this_workers_at_once(
    client, as_role, monkeypatch
):
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    first = _worked_out(client)
    _another_workers_refresh(90)
    assert _worked_out(client) == first  # kept for up to a minute
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    second = _worked_out(client)
    assert second != first
    _another_workers_refresh(90)
    assert _worked_out(client) == second
    services.refresh_statistics(utcnow() + timedelta(hours=5))  # this worker's refresh: seen at once
    assert _worked_out(client) not in (first, second)


def test_without_keeping_a_new_run_is_seen_at_once(client, as_role):
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    first = _worked_out(client)
    _another_workers_refresh(90)
    assert _worked_out(client) != first


@KEPT
def test_the_kept_run_is_a_plain_value_never_a_row(app):
    with app.app_context():
        assert queries.latest_run() is None
        services.refresh_statistics()
        run = queries.latest_run()
        assert not isinstance(run, StatisticsRun)
        row = db.session.scalar(select(StatisticsRun))
        assert (run.id, run.first_month, run.last_month, run.finished_at) == (
            row.id,
            row.first_month,
            row.last_month,
            row.finished_at,
        )
        with pytest.raises(AttributeError):
            run.last_month = run.first_month


@KEPT
def test_the_maps_areas_are_plain_values_read_once_with_their_boards(app, count_queries):
    with app.app_context():
        coverage.coverage_map()
        with count_queries() as statements:
            found = coverage.coverage_map()
        assert statements == []
        rows = db.session.scalars(select(CouncilArea).order_by(CouncilArea.name)).all()
        assert [
            (item.area.id, item.area.slug, item.area.name, item.area.health_board.name)
            for item in found.areas
        ] == [(row.id, row.slug, row.name, row.health_board.name) for row in rows]
        assert not any(isinstance(item.area, CouncilArea) for item in found.areas)


def _signature(months: int) -> str:
    run = queries.read_latest_run()
    return queries.view_signature(
        queries.Filters(queries.add_months(run.last_month, 1 - months), run.last_month)
    )


@pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60, "DASHBOARD_CHART_VIEWS": 1})
def test_with_keeping_the_cap_on_views_holds_and_lags_another_worker_by_a_minute_at_most(
    client, as_role, held_event, monkeypatch
):
    held_event(answers=5)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    board = "/dashboard?board=nhs-fife&period=24"
    body = client.get(board).get_data(as_text=True)
    assert "<img" in body and "not drawn just now" not in body
    # Another worker draws a chart of another view: this worker's page still offers its charts for now...
    db.session.add(
        Chart(view=_signature(24), key="coverage", title="t", summary="s", svg="<svg>theirs</svg>")
    )
    db.session.commit()
    assert "not drawn just now" not in client.get(board).get_data(as_text=True)
    # ...but drawing counts afresh, so the cap holds.
    assert client.get("/dashboard/charts/rating_by_type.svg?board=nhs-fife&period=24").status_code == 429
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    body = client.get(board).get_data(as_text=True)
    assert "<img" not in body and "not drawn just now" in body
    # The view another worker started may be drawn further; its stored chart is read, never drawn again.
    assert client.get("/dashboard/charts/coverage.svg?period=24").data == b"<svg>theirs</svg>"
    assert client.get("/dashboard/charts/rating_by_type.svg?period=24").status_code == 200
    assert "/dashboard/charts/rating_by_type.svg?period=24" in client.get("/dashboard?period=24").get_data(
        as_text=True
    )


@pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60, "DASHBOARD_CHART_VIEWS": 1})
def test_with_keeping_a_chart_drawn_in_this_worker_counts_at_once(client, as_role, held_event):
    held_event(answers=5)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    board = "/dashboard?board=nhs-fife&period=24"
    assert "not drawn just now" not in client.get(board).get_data(as_text=True)
    assert client.get("/dashboard/charts/rating_by_type.svg?period=24").status_code == 200
    assert "not drawn just now" in client.get(board).get_data(as_text=True)


@KEPT
def test_a_chart_is_drawn_from_the_run_in_the_database_not_a_kept_older_one(client, as_role, held_event):
    held_event(answers=5)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    first = _worked_out(client)
    _another_workers_refresh(90)
    assert _worked_out(client) == first
    assert client.get("/dashboard/charts/rating_by_type.svg?period=24").data.startswith(b"<svg")
    assert _worked_out(client) != first  # drawing found the newer run, and this worker forgot the kept one


@KEPT
def test_a_chart_asked_for_after_a_refresh_elsewhere_moved_the_period_is_found(client, as_role, held_event):
    """Cron's refresh runs in a process of its own: a worker keeps the old run for up to a minute, and the
    default view's charts are now stored under the new period's name. The image is still found."""
    held_event(answers=5)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    client.get("/dashboard")  # this worker keeps the run
    run = db.session.scalar(select(StatisticsRun))
    old = queries.view_signature(queries.default_filters(queries.read_latest_run()))
    run.last_month = queries.add_months(run.last_month, 1)
    run.finished_at = run.finished_at + timedelta(days=31)
    new = queries.view_signature(queries.default_filters(queries.read_latest_run()))
    db.session.execute(update(Chart).where(Chart.view == old).values(view=new))
    db.session.commit()
    response = client.get("/dashboard/charts/rating_by_type.svg")
    assert response.status_code == 200 and response.data.startswith(b"<svg")
    assert client.get("/dashboard/charts/no_such_chart.svg").status_code == 404
