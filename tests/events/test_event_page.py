"""The event page: plain values read in at most two statements, shown as before for every role and state."""

from datetime import datetime, timedelta

import pytest

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.events import services
from champions.extensions import db
from champions.reference.models import CouncilArea, ImplementationDomain, NttpLevel, Sector


def _all(model):
    return list(db.session.scalars(db.select(model).order_by(model.id)))


def _dressed(event, make_user, make_resource, many: bool):
    """Give the event one (or many) of everything its page lists, and people with places and waiting."""
    count = 3 if many else 1
    event.levels = _all(NttpLevel)[:count]
    event.sectors = _all(Sector)[:count]
    event.domains = _all(ImplementationDomain)[:count]
    event.resources = [make_resource(title=f"Resource {n}") for n in range(count)]
    event.co_organisers = [make_user(name=f"Helper {n}") for n in range(count)]
    event.council_area = db.session.scalar(db.select(CouncilArea).where(CouncilArea.slug == "fife"))
    event.capacity = count
    db.session.commit()
    for _ in range(count + 1):
        services.register(event, make_user())


def test_the_event_page_is_at_most_three_statements_and_flat(
    client, make_event, make_user, make_resource, sign_in, count_queries
):
    small = make_event(title="Small", format="hybrid", venue="Hall")
    large = make_event(title="Large", format="hybrid", venue="Hall")
    plain = make_event(title="Plain")  # nothing listed: no second statement for the event
    _dressed(small, make_user, make_resource, many=False)
    _dressed(large, make_user, make_resource, many=True)
    member = make_user()
    services.register(large, member)  # waiting: the viewer's own registration is in the same statement

    def statements(event_id):
        client.get(f"/events/{event_id}")  # the reference lists are read once per process
        with count_queries() as queries:
            assert client.get(f"/events/{event_id}").status_code == 200
        return len(queries)

    visitor = [statements(event.id) for event in (small, large, plain)]
    sign_in(member)
    signed_in = [statements(event.id) for event in (small, large, plain)]
    assert visitor == [2, 2, 1]
    assert signed_in == [3, 3, 2]  # the person's load, the event, its organisers and resources
    calendar = f"/events/{large.id}/event.ics"
    with count_queries() as queries:  # the calendar download reads the same
        assert client.get(calendar).status_code == 200
    assert len(queries) == 3, [q[:60] for q in queries]
    page = client.get(f"/events/{large.id}").get_data(as_text=True)
    assert "On the waiting list" in page and "3 in total; none left" in page


def test_the_page_lists_what_the_event_has_in_order(client, make_event, make_user, make_resource, sign_in):
    event = make_event(format="in-person", venue="Hall")
    _dressed(event, make_user, make_resource, many=True)
    event.co_organisers = [make_user(name="Zoe Helper"), make_user(name="Ann Helper")]
    event.resources = [make_resource(title="Zebra guide"), make_resource(title="Apple guide", format="video")]
    db.session.commit()
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Morag Coordinator, Ann Helper, Zoe Helper" in page
    assert (
        page.index("Apple guide") < page.index("Zebra guide")
        and "(NHS Education for Scotland, video)" in page
    )
    levels = ", ".join(level.name for level in _all(NttpLevel)[:3])
    assert levels in page and "Fife" in page and "3 in total; none left, waiting list open" in page
    sign_in(event.co_organisers[1])
    organiser = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "For organisers" in organiser and "(3 confirmed, 1 waiting)" in organiser


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.CHAMPION, Role.COORDINATOR])
def test_a_draft_is_hidden_from_everyone_else(client, make_event, as_role, role):
    draft = make_event(publish=False, title="Quiet draft")
    as_role(role)
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.get(f"/events/{draft.id + 1000}").status_code == 404


@pytest.mark.parametrize("creator", [True, False])
def test_a_draft_shows_to_its_organisers(client, make_event, make_user, coordinator, sign_in, creator):
    draft = make_event(publish=False, title="Quiet draft")
    helper = make_user()
    draft.co_organisers.append(helper)
    db.session.commit()
    sign_in(coordinator if creator else helper)
    page = client.get(f"/events/{draft.id}").get_data(as_text=True)
    assert "This is a draft" in page and "Publish the event" in page


def test_a_draft_cannot_be_cancelled_into_view(client, make_event, coordinator, sign_in):
    # Cancelled events show to everyone: cancelling a draft would publish what its organiser never did.
    draft = make_event(publish=False, title="Quiet draft")
    sign_in(coordinator)
    page = client.get(f"/events/{draft.id}").get_data(as_text=True)
    assert f"/events/{draft.id}/cancel" not in page
    sent = client.post(f"/events/{draft.id}/cancel", data={"reason": "Not needed"})
    assert sent.status_code == 302
    assert services.cancel_event(coordinator, draft, "Not needed") is None
    db.session.refresh(draft)
    assert draft.status == "draft"
    client.post("/account/sign-out")
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert "Quiet draft" not in client.get("/events").get_data(as_text=True)


def test_the_viewer_sees_their_own_place(client, make_event, make_user, sign_in):
    past = make_event(starts_at=datetime(2025, 5, 1, 9, 0))
    came, other = make_user(), make_user()
    registration = services.register(make_event(capacity=1), came)
    assert registration.is_confirmed
    assert services.register(registration.event, other).is_waitlisted  # shown in the statements test
    sign_in(came)
    mine = client.get(f"/events/{registration.event_id}").get_data(as_text=True)
    assert "Place confirmed" in mine and "secret-room" in mine
    services.cancel_registration(registration)
    again = client.get(f"/events/{registration.event_id}").get_data(as_text=True)
    assert "Place confirmed" not in again and "secret-room" not in again
    # A past event: closed for registration, and the page says so.
    assert "registration has closed" in client.get(f"/events/{past.id}").get_data(as_text=True)


def test_a_cancelled_event_says_so(client, make_event, coordinator, sign_in):
    event = make_event(capacity=5, starts_at=utcnow().replace(microsecond=0) + timedelta(days=3))
    services.cancel_event(coordinator, event, "Snow")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "This event has been cancelled." in page and "Register for this event" not in page
