"""Creating and editing events: the form, its clear refusals, and who may do it."""

from datetime import date, datetime, timedelta

import pytest

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.clock import to_london, utcnow
from champions.events.models import Event
from champions.extensions import db

# Next year, so every date these forms send is in the future whenever the tests run (a new event must
# start after now): 4 March is in GMT, 10 June in BST.
YEAR = to_london(utcnow()).year + 1


def clocks_change(month: int) -> str:
    """Next year's night the clocks change in the UK: the last Sunday in March (forward) or October (back)."""
    last = date(YEAR, month, 31)
    return (last - timedelta(days=(last.weekday() - 6) % 7)).isoformat()


def event_form(**overrides):
    data = {
        "title": "Deep dive: housing",
        "description": "Learn **together**.",
        "event_type": "deep-dive",
        "start_date": f"{YEAR}-03-04",
        "start_time": "09:30",
        "end_date": f"{YEAR}-03-04",
        "end_time": "12:30",
        "format": "in-person",
        "venue": "Community Hall",
        "address": "1 High Street",
        "council_area": "fife",
        "levels": ["trauma-informed", "trauma-skilled"],
        "sectors": ["housing"],
        "capacity": "30",
        "accessibility": "Step-free access",
    }
    data.update(overrides)
    return data


def only_event() -> Event:
    return db.session.scalar(db.select(Event))


def test_coordinator_creates_a_draft_and_publishes_it(client, as_role, make_resource):
    resource = make_resource()
    user = as_role(Role.COORDINATOR)
    response = client.post("/events/new", data=event_form(resources=[str(resource.id)]))
    event = only_event()
    assert response.headers["Location"] == f"/events/{event.id}"
    assert event.status == "draft" and event.created_by_id == user.id
    assert event.starts_at == datetime(YEAR, 3, 4, 9, 30)  # GMT in March before the change
    assert [x.slug for x in event.levels] == ["trauma-informed", "trauma-skilled"]
    assert event.council_area.slug == "fife" and event.resources == [resource]
    assert client.get("/events").status_code == 200
    assert (
        "Deep dive: housing" not in client.get("/events?area=fife").get_data(as_text=True).split("Results")[1]
    )
    client.post(f"/events/{event.id}/publish")
    assert event.status == "published"
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.action == "event.publish"))


def test_summer_times_are_stored_in_utc(client, as_role):
    as_role(Role.COORDINATOR)
    client.post("/events/new", data=event_form(start_date=f"{YEAR}-06-10", end_date=f"{YEAR}-06-10"))
    event = only_event()
    assert event.starts_at == datetime(YEAR, 6, 10, 8, 30)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "09:30 to 12:30" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "Enter a title for the event"),
        ({"title": "x" * 10_000}, "Title can be up to 200 characters"),
        ({"title": "Bad\u202etitle"}, "hidden or formatting characters"),
        ({"end_time": "09:00"}, "The end must be after the start"),
        ({"capacity": "0"}, "Capacity must be a whole number from 1 to 5,000"),
        ({"capacity": "-4"}, "Capacity must be a whole number"),
        ({"capacity": "99999999"}, "Capacity must be a whole number"),
        ({"capacity": "lots"}, "Not a valid integer value"),
        (
            {"deadline_date": f"{YEAR}-03-05", "deadline_time": "09:00"},
            "deadline must be before the event starts",
        ),
        ({"deadline_date": f"{YEAR}-03-01"}, "Enter both a date and a time for the deadline"),
        ({"start_date": "2020-01-01", "end_date": "2020-01-01"}, "The start must be in the future"),
        (
            {"start_date": clocks_change(3), "start_time": "01:30", "end_date": clocks_change(3)},
            "does not exist in the UK on that day, because the clocks go forward",
        ),
        (
            {"start_date": clocks_change(10), "start_time": "01:15", "end_date": clocks_change(10)},
            "happens twice in the UK on that day, because the clocks go back",
        ),
        ({"levels": ["trauma-wizard"]}, "Choose practice levels from the list"),
        ({"resources": ["999"]}, "Choose resources from the catalogue"),
        ({"resources": ["abc"]}, "Choose resources from the catalogue"),
        ({"sectors": ["nope"]}, "Choose sectors from the list"),
        ({"event_type": "party"}, "Choose the type of event from the list"),
        ({"format": "telepathy"}, "Choose whether the event is online"),
        ({"venue": ""}, "Enter the name of the venue"),
        ({"council_area": "atlantis"}, "Choose a council area from the list"),
        ({"format": "online", "joining_link": "javascript:alert(1)"}, "Enter the full joining link"),
        (
            {"co_organisers": "nobody@example.org"},
            "could not find a member with the email address nobody@example.org",
        ),
        ({"start_date": "not a date"}, "Not a valid date value"),
    ],
)
def test_bad_input_is_refused_clearly(client, as_role, overrides, message):
    as_role(Role.COORDINATOR)
    response = client.post("/events/new", data=event_form(**overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert "<title>Error: " in page
    assert only_event() is None


def test_co_organisers_may_edit(client, as_role, make_user, sign_in, make_event):
    helper = make_user(email="helper@example.org")
    as_role(Role.COORDINATOR)
    client.post("/events/new", data=event_form(co_organisers="Helper@Example.org"))
    event = only_event()
    assert event.co_organisers == [helper]
    sign_in(helper)
    assert client.get(f"/events/{event.id}/edit").status_code == 200
    response = client.post(
        f"/events/{event.id}/edit",
        data=event_form(title="Renamed", co_organisers="helper@example.org", version=event.version),
    )
    assert response.headers["Location"] == f"/events/{event.id}"
    assert event.title == "Renamed"


def test_edit_form_shows_london_times(client, coordinator, sign_in, make_event):
    event = make_event(starts_at=datetime(YEAR, 7, 1, 8, 0))
    sign_in(coordinator)
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="09:00"' in page and f'value="{YEAR}-07-01"' in page


ORGANISER_URLS = [
    "/events/{id}/edit",
    "/events/{id}/attendees",
    "/events/{id}/attendees.csv",
    "/events/{id}/email",
    "/events/{id}/cancel",
    "/events/{id}/report",
]


@pytest.mark.parametrize("url", ORGANISER_URLS)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION, Role.COORDINATOR])
def test_only_organisers_and_admins_manage(client, as_role, make_event, url, role):
    event = make_event()
    as_role(role)
    assert client.get(url.format(id=event.id)).status_code == 403


@pytest.mark.parametrize("url", ORGANISER_URLS)
def test_admin_may_manage(client, as_role, make_event, url):
    event = make_event()
    as_role(Role.ADMIN)
    assert client.get(url.format(id=event.id)).status_code == 200


@pytest.mark.parametrize(
    "url", ORGANISER_URLS + ["/events/{id}", "/events/{id}/event.ics", "/events/{id}/register"]
)
def test_unknown_event_is_404(client, as_role, url):
    as_role(Role.ADMIN)
    assert client.get(url.format(id=987654)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, make_event):
    event = make_event()
    for url in ORGANISER_URLS[1:] + ["/events/{id}/register", "/events/{id}/feedback"]:
        response = client.get(url.format(id=event.id))
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert client.get("/events/new").status_code == 302


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_only_coordinators_create(client, as_role, role):
    as_role(role)
    assert client.get("/events/new").status_code == 403
    assert client.post("/events/new", data=event_form()).status_code == 403


def test_drafts_are_hidden_from_others(client, as_role, make_event):
    event = make_event(publish=False)
    assert client.get(f"/events/{event.id}").status_code == 404
    as_role(Role.MEMBER)
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id}/event.ics").status_code == 404
