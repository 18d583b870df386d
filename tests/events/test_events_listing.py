"""The listing, its filters and archive, odd query strings, and flat query counts."""

from datetime import datetime, timedelta

import pytest

from champions.accounts.models import User
from champions.clock import LONDON, to_london, utcnow
from champions.events.models import Registration
from champions.extensions import db
from champions.reference.models import CouncilArea, NttpLevel, Sector


def area(slug):
    return db.session.scalar(db.select(CouncilArea).where(CouncilArea.slug == slug))


def results(client, query=""):
    page = client.get("/events" + query)
    assert page.status_code == 200
    return page.get_data(as_text=True).split("Results")[1]


@pytest.mark.parametrize(
    "now",
    [
        None,  # whenever the test runs
        # 00:30 on 19 April in Scotland (BST), 23:30 on the 18th in UTC: the webinar, 43 days on, is on
        # 1 June in Scotland (its month in the filter) and still 31 May in UTC.
        datetime(2027, 4, 19, 0, 30, tzinfo=LONDON),
    ],
)
def test_filters(client, make_event, place_clock, now):
    if now:
        place_clock(now)
    level = db.session.scalar(db.select(NttpLevel).where(NttpLevel.slug == "trauma-skilled"))
    sector = db.session.scalar(db.select(Sector).where(Sector.slug == "education"))
    soon = utcnow().replace(microsecond=0) + timedelta(days=3)
    make_event(
        title="Fife workshop",
        format="in-person",
        venue="Hall",
        council_area=area("fife"),
        levels=[level],
        starts_at=soon,
    )
    make_event(
        title="Online webinar", event_type="webinar", sectors=[sector], starts_at=soon + timedelta(days=40)
    )
    make_event(title="Old meeting", starts_at=datetime(2025, 5, 1, 9, 0))
    assert "Fife workshop" in results(client) and "Old meeting" not in results(client)
    assert "Fife workshop" not in results(client, "?area=glasgow-city")
    assert "Online webinar" not in results(client, "?area=fife")
    assert "Online webinar" not in results(client, "?level=trauma-skilled")
    assert "Fife workshop" not in results(client, "?sector=education")
    assert "Fife workshop" not in results(client, "?type=webinar")
    assert "Online webinar" not in results(client, "?format=in-person")
    month = to_london(soon + timedelta(days=40)).strftime("%Y-%m")  # a month in Scotland, as the filter's
    assert "Fife workshop" not in results(client, f"?month={month}")
    assert "Online webinar" in results(client, f"?month={month}")
    past = client.get("/events/past").get_data(as_text=True)
    assert "Old meeting" in past and "Fife workshop" not in past


@pytest.mark.parametrize(
    "query",
    [
        "?page=-1",
        "?page=abc",
        "?page=99999",
        "?month=2027-13",
        "?month=banana",
        "?area=%00",
        "?level=" + "x" * 10_000,
        "?area=\u202e",
        "?type=<script>",
        "?format=🙂",
    ],
)
def test_odd_query_strings_never_fail(client, query):
    assert client.get("/events" + query).status_code in (200, 400)
    assert client.get("/events/past" + query).status_code in (200, 400)


def test_empty_page_is_kind(client, make_event):
    make_event()
    page = client.get("/events?page=99999").get_data(as_text=True)
    assert "There is nothing on this page" in page and 'href="/events"' in page


def _many_registrations(event, count):
    users = [
        User(email=f"bulk{n}@example.org", name=f"Bulk {n}", password_hash="x", email_verified_at=utcnow())
        for n in range(count)
    ]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Registration(event_id=event.id, user_id=u.id, status="confirmed") for u in users)
    db.session.commit()


def test_query_counts_stay_flat(client, make_event, make_user, sign_in, count_queries):
    level = db.session.scalar(db.select(NttpLevel).where(NttpLevel.slug == "trauma-skilled"))
    events = [
        make_event(
            title=f"Event {n}",
            capacity=600,
            levels=[level],
            format="hybrid",
            venue="Hall",
            council_area=area("fife"),
        )
        for n in range(5)
    ]
    _many_registrations(events[0], 500)
    sign_in(make_user())
    for url in ["/events", f"/events/{events[0].id}", "/events/past", "/events?level=trauma-skilled"]:
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= 10, (url, queries)
    with count_queries() as queries:
        client.get("/events")
    assert len(queries) <= 10


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2027-13", "2027-00", "banana", "99999-01"])
def test_a_month_out_of_range_shows_the_listing_with_a_kind_message(client, make_event, month):
    make_event(title="Still listed")
    for path in ("/events", "/events/past"):
        response = client.get(f"{path}?month={month}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "We could not use that month" in page
    assert "Still listed" in client.get(f"/events?month={month}").get_data(as_text=True)
