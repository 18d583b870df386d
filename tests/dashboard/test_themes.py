"""The dashboard's feedback themes and case study tables: content, downloads, the rule of five, charts."""

from sqlalchemy import select

from champions.accounts.models import Role
from champions.dashboard import queries as dashboard_queries
from champions.dashboard import services
from champions.dashboard.models import Chart
from champions.dashboard.services.casestudies import saved_label
from champions.extensions import db
from champions.reference.models import NttpLevel, Principle, Sector
from tests.dashboard.conftest import csv_rows, ods_rows


def _quarter(moment) -> str:
    return f"q-{moment.year}-{(moment.month - 1) // 3 + 1}"


def _chart(key: str) -> str:
    """The chart of all of Scotland's default view (without the view, PostgreSQL may give any area's)."""
    return db.session.scalar(select(Chart.svg).where(Chart.key == key, Chart.view.like("%|scotland|all")))


def test_barriers_and_enablers_by_theme_show_only_when_5_or_more_people_wrote(client, as_role, held_event):
    # 1, 4, 5 and 6 people wrote, one theme in each council area; 16 in all of Scotland.
    for place, count, words in (
        ("Fife", 1, "Too much stress"),
        ("Glasgow City", 4, "My manager does not see it"),
        ("City of Edinburgh", 5, "No budget for backfill"),
        ("Dundee City", 6, "No time to reflect"),
    ):
        event = held_event(place=place, barriers=[words] * count, enablers=["Colleagues nearby"] * count)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    body = client.get("/dashboard").get_data(as_text=True)
    assert "16 people gave feedback on events held in this period. What they wrote about barriers" in body
    held_event("webinar", answers=1)  # the ratings table says "fewer than 5": the total must not tell it
    services.refresh_statistics()
    period = _quarter(event.starts_at)
    quarter = f"{event.starts_at.year} Q{(event.starts_at.month - 1) // 3 + 1}"
    national = csv_rows(client.get(f"/dashboard/tables/barrier_themes.csv?period={period}"))
    assert national == [
        ["Theme", quarter],
        ["People who answered", "16"],
        ["Time and workload", "6"],
        ["Leadership and culture", "not shown"],  # 4: merged into Other themes
        ["Resources and funding", "5"],
        ["Training and learning", "0"],
        ["Working together", "0"],
        ["Wellbeing", "not shown"],  # 1
        ["Other themes", "5"],
    ]
    assert ods_rows(client.get(f"/dashboard/tables/barrier_themes.ods?period={period}")) == national
    cells = {}
    for slug in ("fife", "glasgow-city", "city-of-edinburgh", "dundee-city"):
        rows = csv_rows(client.get(f"/dashboard/area/{slug}/tables/barrier_themes.csv?period={period}"))
        cells[slug] = {row[0]: row[1] for row in rows[1:]}
    for slug in ("fife", "glasgow-city"):  # fewer than 5 wrote: no theme at all
        assert cells[slug]["People who answered"] == "fewer than 5"
        assert set(cells[slug].values()) == {"fewer than 5", "not shown"}
    assert cells["city-of-edinburgh"]["Resources and funding"] == "5"
    assert cells["city-of-edinburgh"]["Time and workload"] == "0"
    assert cells["dundee-city"]["Time and workload"] == "6"
    enablers = csv_rows(client.get(f"/dashboard/tables/enabler_themes.csv?period={period}"))
    assert ["Working together", "16"] in enablers
    body = client.get("/dashboard").get_data(as_text=True)
    assert (
        f"Time and workload was the barrier people named most in {quarter}: 6 of the 16 who wrote one."
        in body
    )
    assert "People gave feedback on events held in this period." in body and "17 people" not in body
    chart = _chart("barrier_themes")
    assert "Time and workload" in chart and "Other themes" in chart
    assert "Wellbeing" not in chart and "Leadership" not in chart


def test_case_studies_by_tag_per_quarter_and_the_most_saved(
    client, as_role, published_case_study, count_queries, monkeypatch
):
    principles = db.session.scalars(select(Principle).order_by(Principle.position)).all()[:4]
    sector = db.session.scalars(select(Sector).order_by(Sector.position)).first()
    level = db.session.scalars(select(NttpLevel).order_by(NttpLevel.position)).first()
    # Principles on 6, 5, 4 and 1 case studies; saves by 6, 5, 4, 1, 0 and 0 people.
    for n, (title, saves) in enumerate(
        (
            ("Saved by six", 6),
            ("Saved by five", 5),
            ("Saved by four", 4),
            ("Saved by one", 1),
            ("E", 0),
            ("F", 0),
        )
    ):
        tagged = [p for p, on in zip(principles, (6, 5, 4, 1), strict=True) if n < on]
        case_study = published_case_study(title, tagged, [sector], [level] if n == 0 else [], saves)
    published_case_study("Unpublished | saved by seven", principles, saves=7, status="unpublished")
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    period = _quarter(case_study.published_at)
    quarter = f"{case_study.published_at.year} Q{(case_study.published_at.month - 1) // 3 + 1}"
    by_principle = csv_rows(client.get(f"/dashboard/tables/case_studies_by_principle.csv?period={period}"))
    # Published case studies are not people: 1 and 4 are shown as they are.
    assert by_principle == [
        ["Principle", quarter, "In this period"],
        *([p.name, str(n), str(n)] for p, n in zip(principles, (6, 5, 4, 1), strict=True)),
    ]
    assert (
        ods_rows(client.get(f"/dashboard/tables/case_studies_by_principle.ods?period={period}"))
        == by_principle
    )
    assert csv_rows(client.get(f"/dashboard/tables/case_studies_by_sector.csv?period={period}"))[1] == [
        sector.name,
        "6",
        "6",
    ]
    assert csv_rows(client.get(f"/dashboard/tables/case_studies_by_level.csv?period={period}"))[1:] == [
        [level.name, "1", "1"]
    ]
    saved = [
        ["Case study", "People who saved it"],
        ["Saved by six", "6"],
        ["Saved by five", "5"],
        ["Saved by four", "fewer than 5"],  # small counts by title, so their order tells nothing
        ["Saved by one", "fewer than 5"],
    ]
    assert csv_rows(client.get("/dashboard/tables/most_saved.csv")) == saved
    assert ods_rows(client.get("/dashboard/tables/most_saved.ods")) == saved
    client.get("/dashboard")  # reference lists are read once per process
    with count_queries() as queries:
        body = client.get("/dashboard").get_data(as_text=True)
    assert len(queries) <= 8, queries
    assert "“Saved by six” was saved most in this period, by 6 people." in body
    assert f"6 case studies were published in this period, most often about {principles[0].name}." in body
    chart = _chart("most_saved")
    assert "Saved by six" in chart and "Saved by five" in chart and "Saved by four" not in chart
    assert principles[3].name in _chart("case_studies_by_principle")
    monkeypatch.setattr("champions.dashboard.queries.sections.casestudies.TOP", 2)
    dashboard_queries.forget()  # each worker keeps a run's tables: a new length comes with a restart
    assert csv_rows(client.get("/dashboard/tables/most_saved.csv")) == saved[:3]


def test_a_long_title_fits_the_figure_label():
    label = saved_label(1234567, "A" * 200)
    assert len(label) == 200 and label.startswith("1234567|A") and label.endswith("…")
    assert saved_label(7, "Short | with a bar") == "7|Short | with a bar"
