"""Coverage, the coordinators' queue and the CSV export."""

import csv
import io
import time

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.extensions import db
from champions.spreadsheet import safe_cell as neutralise

COORDINATOR_URLS = ["/champions/manage", "/champions/manage?status=verified", "/champions/export.csv"]


@pytest.mark.parametrize("url", COORDINATOR_URLS)
@pytest.mark.parametrize(
    "role, expected",
    [
        (None, 302),
        (Role.MEMBER, 403),
        (Role.CHAMPION, 403),
        (Role.COORDINATOR, 200),
        (Role.ADMIN, 200),
    ],
)
def test_coordinator_tools_need_the_role(client, as_role, url, role, expected):
    as_role(role)
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/account/sign-in?next=")


@pytest.mark.parametrize("url", ["/champions", "/champions/coverage"])
def test_public_pages_are_public(client, url):
    assert client.get(url).status_code == 200


def test_queue_lists_pending_oldest_first(client, make_profile, as_role):
    make_profile(name="First Applicant", status="pending")
    make_profile(name="Second Applicant", status="pending")
    make_profile(name="Already Verified")
    as_role(Role.COORDINATOR)
    page = client.get("/champions/manage").get_data(as_text=True)
    assert page.index("First Applicant") < page.index("Second Applicant")
    assert "Already Verified" not in page
    assert "Pending (2)" in page and "Verified (1)" in page
    assert "Already Verified" in client.get("/champions/manage?status=verified").get_data(as_text=True)


@pytest.mark.parametrize("args", ["?status=bogus", "?page=-1", "?page=abc", "?page=99999&status=declined"])
def test_queue_odd_input(client, as_role, args):
    as_role(Role.COORDINATOR)
    assert client.get("/champions/manage" + args).status_code == 200


def test_coverage_counts_listed_verified_local_champions(client, make_profile):
    make_profile(areas=("fife",))
    make_profile(areas=("fife", "highland"))
    make_profile(areas=("fife",), status="pending")
    make_profile(areas=("fife",), listed=False)
    make_profile(scope="nhs-board", board="nhs-lothian")
    make_profile(scope="national")
    page = client.get("/champions/coverage").get_data(as_text=True)
    assert "2 of Scotland’s 32 council areas" in page
    assert "<title>Fife: 2 local champions</title>" in page
    assert "<title>Highland: 1 local champion</title>" in page
    # A group, not an img: an img hides its children, and the map is made of links.
    assert 'role="group" aria-labelledby="hexmap-title" aria-describedby="hexmap-desc"' in page
    assert '<title id="hexmap-title">' in page and '<desc id="hexmap-desc">' in page
    gaps = page.split("Council areas with no local champion")[1].split("Champions in each council area")[0]
    assert "Fife" not in gaps and "Orkney Islands (NHS Orkney): covered by 1 NHS board or national" in gaps
    assert "Midlothian (NHS Lothian): covered by 2 NHS board or national champions" in gaps
    assert "style=" not in page


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_export_has_contact_details_is_audited_and_neutralised(client, make_user, make_profile, as_role):
    make_profile(
        make_user(email="isla@example.org"),
        name='=HYPERLINK("http://evil")',
        phone="01592 555123",
        job_title="+SUM(A1)",
        organisation="@Evil Org",
    )
    make_profile(name="Unlisted Person", listed=False)
    make_profile(name="Pending Person", status="pending")
    coordinator = as_role(Role.COORDINATOR)
    response = client.get("/champions/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = _csv(response)
    assert header[0] == "Name" and len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Name"] == '\'=HYPERLINK("http://evil")'
    assert row["Job title"] == "'+SUM(A1)"
    assert row["Organisation"] == "'@Evil Org"
    assert (row["Email"], row["Phone"]) == ("isla@example.org", "01592 555123")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "champion.export"))
    assert entry.actor_id == coordinator.id and entry.detail == "1 champion"


def test_export_follows_the_filters(client, make_profile, as_role):
    make_profile(name="Fife Person", areas=("fife",))
    make_profile(name="Highland Person", areas=("highland",))
    as_role(Role.COORDINATOR)
    names = [row[0] for row in _csv(client.get("/champions/export.csv?area=highland"))[1:]]
    assert names == ["Highland Person"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+44 131", "'+44 131"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Plain", "Plain"),
        ("", ""),
        (None, ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60})
def test_coverage_counts_are_kept_for_a_minute(client, make_profile, count_queries, monkeypatch):
    make_profile(areas=("fife",))
    assert "<title>Fife: 1 local champion</title>" in client.get("/champions/coverage").get_data(as_text=True)
    make_profile(areas=("fife",))
    with count_queries() as queries:
        page = client.get("/champions/coverage").get_data(as_text=True)
    assert "<title>Fife: 1 local champion</title>" in page  # the copy from a moment ago
    assert not any("count(" in q.lower() for q in queries)
    assert "brought up to date every minute" in page

    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    page = client.get("/champions/coverage").get_data(as_text=True)
    assert "<title>Fife: 2 local champions</title>" in page
