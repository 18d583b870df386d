"""The quarterly returns on the dashboards: the rule of five, who sees them, downloads, charts, queries."""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.clock import today
from champions.dashboard import services
from champions.dashboard.models import Figure
from champions.extensions import db
from champions.reference.models import NttpLevel
from champions.returns import services as return_services
from champions.returns.models import ReturnWindow, previous_quarter, quarter_start
from tests.dashboard.conftest import csv_rows, ods_rows

ANSWERS = {
    "sessions_run": 2,
    "events_attended": 1,
    "case_studies_shared": 0,
    "helped": ["Working together"],
    "helped_words": "",
    "hindered": ["Time and workload", "Resources and funding"],
    "hindered_words": "",
    "support_wanted": "Time protected for the role",
    "wellbeing": 2,
}


@pytest.fixture
def window(app):
    year, quarter = previous_quarter(today())
    found = ReturnWindow(
        year=year,
        quarter=quarter,
        opens_on=today() - timedelta(days=3),
        closes_on=today() + timedelta(days=20),
    )
    db.session.add(found)
    db.session.commit()
    return found


@pytest.fixture
def send_returns(window, champion_in):
    """`sent` verified champions in a place send their return; `silent` more are asked and do not."""

    def send(sent: int, silent: int = 0, place: str = "Fife", **answers):
        level = db.session.scalar(select(NttpLevel).order_by(NttpLevel.position))
        for _ in range(silent):
            champion_in(place, days_ago=200)
        for _ in range(sent):
            user = champion_in(place, days_ago=200).user
            return_services.save_return(user, window, 0, {**ANSWERS, **answers}, {level.id: 3}, True)

    return send


def refresh(window) -> None:
    """Work the figures out as the night after the window closed would: only closed windows count."""
    services.refresh_statistics(now=datetime.combine(window.closes_on + timedelta(days=1), time(12)))


def quarter(window) -> str:
    start = quarter_start(window.year, window.quarter)
    return f"{start.year} Q{window.quarter}"


def table(client, key, place=""):
    where = f"/area/{place}" if place else ""
    return csv_rows(client.get(f"/dashboard{where}/tables/{key}.csv"))


@pytest.mark.parametrize("sent", [1, 4])
def test_fewer_than_5_returns_show_no_figure_from_them(client, as_role, window, send_returns, sent):
    send_returns(sent)
    refresh(window)
    as_role(Role.COORDINATOR)
    q = quarter(window)
    assert table(client, "returns_sent")[1:] == [[q, "fewer than 5", "not shown", "not shown"]]
    assert table(client, "returns_activity")[1:] == [[q, "not shown", "not shown", "not shown"]]
    assert table(client, "returns_reach")[1:] == []
    helped = table(client, "returns_helped")
    assert helped[0] == ["Theme", q] and helped[1] == ["Returns that named one", "fewer than 5"]
    assert {row[1] for row in helped[2:]} == {"not shown"}
    assert table(client, "returns_support")[1:] == [["Returns asking for support", "fewer than 5"]]
    body = client.get("/dashboard").get_data(as_text=True)
    assert 'id="returns"' in body and "Too few champions sent a return" in body
    assert "/dashboard/charts/returns_sent.svg" not in body


def test_5_returns_are_shown_with_their_themes(client, as_role, window, send_returns):
    send_returns(5)
    refresh(window)
    as_role(Role.COORDINATOR)
    q = quarter(window)
    assert table(client, "returns_sent")[1:] == [[q, "5", "5", "100%"]]
    assert table(client, "returns_activity")[1:] == [[q, "10", "5", "0"]]
    assert table(client, "returns_reach")[1:] == [["Trauma-informed", "15"]]
    helped = dict((row[0], row[1]) for row in table(client, "returns_helped")[1:])
    assert helped["Working together"] == "5" and helped["Time and workload"] == "0"
    hindered = dict((row[0], row[1]) for row in table(client, "returns_hindered")[1:])
    assert hindered["Time and workload"] == "5" and hindered["Resources and funding"] == "5"
    assert table(client, "returns_support")[1:] == [
        ["Returns asking for support", "5"],
        ["Time and workload", "5"],
    ]
    body = client.get("/dashboard").get_data(as_text=True)
    assert '<img src="/dashboard/charts/returns_sent.svg"' in body
    assert '<img src="/dashboard/charts/returns_reach.svg"' in body
    assert client.get("/dashboard/charts/returns_sent.svg").mimetype == "image/svg+xml"


def test_6_returns_of_8_asked_hide_the_share_that_would_point_to_2(client, as_role, window, send_returns):
    send_returns(6, silent=2)
    refresh(window)
    as_role(Role.COORDINATOR)
    assert table(client, "returns_sent")[1][1:] == ["6", "not shown", "not shown"]
    send_returns(5, silent=5 - 2)  # now 11 of 16 asked: 5 did not send one
    refresh(window)
    assert table(client, "returns_sent")[1][1:] == ["11", "16", "69%"]


def test_a_theme_named_in_fewer_than_5_returns_joins_other_themes(client, as_role, window, send_returns):
    send_returns(3, helped=["Working together"], support_wanted="More training for my team")
    send_returns(3, helped=["Leadership and culture"], support_wanted="")
    send_returns(2, helped=["Working together", "Wellbeing"], support_wanted="Someone to talk with")
    refresh(window)
    as_role(Role.COORDINATOR)
    helped = dict((row[0], row[1]) for row in table(client, "returns_helped")[1:])
    assert helped["Returns that named one"] == "8"
    assert helped["Working together"] == "5" and helped["Other themes"] == "5"
    assert helped["Leadership and culture"] == helped["Wellbeing"] == "not shown"
    assert helped["Time and workload"] == "0"
    # 5 asked for support, of 2 kinds neither asked for by 5: no kind is shown, only how many asked.
    assert table(client, "returns_support")[1:] == [["Returns asking for support", "5"]]


def test_the_wellbeing_answer_never_reaches_the_figures(client, as_role, window, send_returns):
    send_returns(6, wellbeing=1)
    refresh(window)
    measures = set(db.session.scalars(select(Figure.measure).where(Figure.measure.like("returns%"))))
    assert measures and not any("wellbeing" in m for m in measures)
    as_role(Role.COORDINATOR)
    body = client.get("/dashboard").get_data(as_text=True)
    assert "Struggling" not in body and "How champions find the role is not shown" in body


def test_returns_count_in_the_champions_areas_and_sectors(client, as_role, window, send_returns, sign_in):
    send_returns(5, place="Fife")
    send_returns(1, place="Glasgow City")
    refresh(window)
    as_role(Role.COORDINATOR)
    assert table(client, "returns_sent")[1][1] == "6"
    assert table(client, "returns_sent", "fife")[1][1] == "5"
    assert table(client, "returns_sent", "glasgow-city")[1][1] == "fewer than 5"
    board = csv_rows(client.get("/dashboard/tables/returns_sent.csv?board=nhs-fife"))
    assert board[1][1] == "5"


def test_who_sees_the_returns_tables(client, as_role, window, send_returns, champion_in, sign_in):
    send_returns(5, place="Fife")
    refresh(window)
    fife, glasgow = champion_in("Fife").user, champion_in("Glasgow City").user
    for url in ("/dashboard/tables/returns_sent.csv", "/dashboard/charts/returns_sent.svg"):
        assert client.get(url).headers["Location"].startswith("/account/sign-in?next=")
    sign_in(fife)
    assert client.get("/dashboard/tables/returns_sent.csv").status_code == 403
    assert client.get("/dashboard/area/fife/tables/returns_sent.csv").status_code == 200
    assert client.get("/dashboard/area/fife/tables/returns_sent.ods").status_code == 200
    client.post("/account/sign-out")
    sign_in(glasgow)
    assert client.get("/dashboard/area/fife/tables/returns_sent.csv").status_code == 403
    assert client.get("/dashboard/area/fife/charts/returns_sent.svg").status_code == 403
    client.post("/account/sign-out")
    as_role(Role.MEMBER)
    assert client.get("/dashboard/area/fife/tables/returns_support.csv").status_code == 403


def test_every_returns_table_downloads_as_csv_and_ods(client, as_role, window, send_returns):
    send_returns(6, silent=5)
    refresh(window)
    as_role(Role.COORDINATOR)
    for key in (
        "returns_sent",
        "returns_activity",
        "returns_reach",
        "returns_helped",
        "returns_hindered",
        "returns_support",
    ):
        rows = table(client, key)
        assert len(rows) >= 2, key
        assert ods_rows(client.get(f"/dashboard/tables/{key}.ods")) == rows, key


def test_the_page_reads_as_many_queries_with_many_returns(
    client, as_role, count_queries, window, send_returns
):
    as_role(Role.COORDINATOR)
    send_returns(1)
    refresh(window)
    client.get("/dashboard")
    with count_queries() as small:
        assert client.get("/dashboard?board=nhs-fife").status_code == 200
    send_returns(12, silent=3)
    send_returns(6, place="Glasgow City")
    refresh(window)
    with count_queries() as large:
        assert client.get("/dashboard?board=nhs-fife").status_code == 200
    assert len(large) == len(small), large


def test_an_open_window_adds_nothing_to_the_dashboard(client, as_role, window, send_returns):
    """While a window is open, coordinators see who has returned by name: a figure moving each night
    would tell them what that person said."""
    send_returns(6)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    assert table(client, "returns_sent")[1:] == []
    assert all(len(row) == 1 for row in table(client, "returns_helped"))  # themes, and no quarter


def test_a_late_return_counts_as_sent_but_not_in_what_people_said(client, as_role, window, send_returns):
    send_returns(5, helped=["Working together"])
    window.closes_on = today() - timedelta(days=1)
    db.session.commit()
    send_returns(1, helped=["Wellbeing"])  # after the window closed: late
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    q = quarter(window)
    assert table(client, "returns_sent")[1][:2] == [q, "6"]
    helped = dict((row[0], row[1]) for row in table(client, "returns_helped")[1:])
    assert helped["Returns that named one"] == "5" and helped["Working together"] == "5"
    assert helped["Wellbeing"] == "0"
