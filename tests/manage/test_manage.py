"""The coordinator's home at /manage: who may see it, what it counts, in what order, and its cost."""

import re

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.events.models import Event
from champions.events.services import mark_attendance, save_report_text
from champions.extensions import db
from champions.messages import services as messages
from tests.manage.conftest import area


def _rows(body: str) -> dict[str, list[str]]:
    """Each kind of work and its counts, in page order (one per table on the page)."""
    counts: dict[str, list[str]] = {}
    for kind, number in re.findall(r'<th scope="row">([^<]+)</th>\s*<td>(\d+)</td>', body):
        counts.setdefault(kind, []).append(number)
    return counts


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/manage").headers["Location"].startswith("/account/sign-in?next=")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_members_and_champions_are_refused(client, as_role, role):
    as_role(role)
    assert client.get("/manage").status_code == 403


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_see_it_and_the_header_links_to_it(client, as_role, role):
    as_role(role)
    response = client.get("/manage")
    assert response.status_code == 200
    assert 'href="/manage"' in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_the_header_link_is_only_for_coordinators_and_admins(client, as_role, role):
    as_role(role)
    assert 'href="/manage"' not in client.get("/account").get_data(as_text=True)


def test_an_empty_page_says_so_kindly(client, as_role):
    as_role(Role.COORDINATOR)
    assert "Nothing is waiting for you. Thank you." in client.get("/manage").get_data(as_text=True)


def test_an_admin_sees_every_item_in_one_list(client, as_role, make_user, add_work):
    organiser = make_user(role=Role.COORDINATOR)
    add_work("Fife", organiser)
    add_work("Glasgow City", organiser)
    add_work("Glasgow City", organiser)
    as_role(Role.ADMIN, council_area=area("Fife"))
    body = client.get("/manage").get_data(as_text=True)
    assert "In your area" not in body
    assert _rows(body) == {
        "Champion applications waiting for a decision": ["3"],
        "Case studies waiting for review": ["3"],
        "Reports about discussion posts not yet handled": ["3"],
        "Reported conversations waiting for a coordinator": ["3"],
        "Champions waiting for a buddy": ["3"],
        "Events with people on a waiting list": ["3"],
        "Past events whose attendance is not recorded": ["3"],
        "Past events with feedback and no published learning report": ["3"],
    }
    assert body.count("Waiting list Glasgow City") == 2


def test_a_coordinator_sees_their_area_first_then_elsewhere(client, make_user, sign_in, add_work):
    coordinator = make_user(role=Role.COORDINATOR, council_area=area("Glasgow City"))
    add_work("Fife", coordinator)
    add_work("Glasgow City", coordinator)
    add_work("Glasgow City", coordinator)
    sign_in(coordinator)
    body = client.get("/manage").get_data(as_text=True)
    assert body.index("In your area") < body.index("Elsewhere")
    assert "your details</a>: Glasgow City." in body
    rows = _rows(body)
    assert len(rows) == 8 and all(numbers == ["2", "1"] for numbers in rows.values()), rows
    local, elsewhere = body.split("<h2>Elsewhere</h2>")
    assert "Waiting list Glasgow City" in local and "Waiting list Fife" not in local
    assert "Waiting list Fife" in elsewhere


def test_a_coordinator_with_an_nhs_board_looks_after_its_council_areas(client, make_user, sign_in, add_work):
    board = area("Glasgow City").health_board
    coordinator = make_user(role=Role.COORDINATOR, council_area=None, health_board=board)
    add_work("Fife", coordinator)
    add_work("Renfrewshire", coordinator)
    sign_in(coordinator)
    body = client.get("/manage").get_data(as_text=True)
    assert "Glasgow City" in body and "Renfrewshire" in body.split("<h2>In your area</h2>")[0]
    local, elsewhere = body.split("<h2>Elsewhere</h2>")
    assert "No report Renfrewshire" in local and "No report Fife" in elsewhere


def test_a_coordinator_sees_only_the_events_they_organise(client, as_role, make_user, add_work):
    add_work("Fife", make_user(role=Role.COORDINATOR))
    as_role(Role.COORDINATOR)
    body = client.get("/manage").get_data(as_text=True)
    rows = _rows(body)
    assert rows["Champion applications waiting for a decision"] == ["1"]
    assert rows["Events with people on a waiting list"] == ["0"]
    assert "Waiting list Fife" not in body


def test_recorded_attendance_and_a_published_report_take_events_off(client, as_role, make_user, add_work):
    organiser = make_user(role=Role.COORDINATOR)
    add_work("Fife", organiser)
    events = {event.title.split()[1]: event for event in db.session.scalars(select(Event))}
    mark_attendance(organiser, events["attendance"], set())  # saved with no one ticked still counts
    save_report_text(organiser, events["report"], "Key", "Summary", True)
    admin = as_role(Role.ADMIN)
    rows = _rows(client.get("/manage").get_data(as_text=True))
    assert rows["Past events whose attendance is not recorded"] == ["0"]
    assert rows["Past events with feedback and no published learning report"] == ["0"]
    assert admin.is_admin


def test_every_link_on_the_page_opens_for_the_person_shown_it(client, make_user, sign_in, add_work):
    coordinator = make_user(role=Role.COORDINATOR)
    add_work("Fife", coordinator)
    add_work("Glasgow City", coordinator)
    sign_in(coordinator)
    body = client.get("/manage").get_data(as_text=True)
    main = body.split('id="main-content"')[1] if 'id="main-content"' in body else body
    links = {
        link for link in re.findall(r'href="(/[^"]*)"', main.split("<footer")[0]) if "/static/" not in link
    }
    assert {
        "/champions/manage",
        "/case-studies/review",
        "/discussions/moderation",
        "/messages",
        "/buddies/requests",
    } <= links
    assert any(re.fullmatch(r"/events/\d+/attendees", link) for link in links)
    assert any(re.fullmatch(r"/events/\d+/report", link) for link in links)
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_the_number_of_queries_does_not_grow_with_the_work(
    client, make_user, sign_in, add_work, count_queries, role
):
    person = make_user(role=role, council_area=area("Fife"))
    sign_in(person)
    add_work("Fife", person)
    with count_queries() as few:
        assert client.get("/manage").status_code == 200
    for n in range(24):  # more than the events shown in each group
        add_work("Fife" if n % 2 else "Glasgow City", person)
    with count_queries() as many:
        body = client.get("/manage").get_data(as_text=True)
    assert len(many) == len(few) <= 15
    assert (
        "Showing the first 10 of 13." if role == Role.COORDINATOR else "Showing the first 10 of 25."
    ) in body


def test_a_reported_conversation_waits_on_manage_with_a_link(client, make_user, sign_in):
    reporter = make_user(council_area=area("Fife"))
    conversation = messages.start_conversation(reporter, make_user(), "Hello", "Hello there")
    sign_in(make_user(role=Role.COORDINATOR, council_area=area("Fife")))
    assert "Nothing is waiting for you." in client.get("/manage").get_data(as_text=True)
    messages.report(conversation, reporter, "It felt unkind.")
    body = client.get("/manage").get_data(as_text=True)
    assert _rows(body)["Reported conversations waiting for a coordinator"] == ["1"]
    assert 'href="/messages">Reported conversations</a>' in body
    assert "Hello" in client.get("/messages").get_data(as_text=True).split("Your conversations")[0]
