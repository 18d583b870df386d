"""The listing's cards (plain rows in one statement, kept per process), what they show, who sees drafts."""

from datetime import datetime, timedelta

import pytest

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.events import services
from champions.extensions import db
from champions.reference.models import CouncilArea, NttpLevel


def _area(slug):
    return db.session.scalar(db.select(CouncilArea).where(CouncilArea.slug == slug))


def _level(slug):
    return db.session.scalar(db.select(NttpLevel).where(NttpLevel.slug == slug))


def _results(client, path="/events"):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True).split("Results")[1]


def _card(results, title):
    """The one card whose link says this title."""
    [card] = [
        piece for piece in results.split('<li class="ds_search-result">')[1:] if f">{title}</a>" in piece
    ]
    return card.split("</li>")[0]


def test_a_card_shows_the_event_as_it_is(client, make_event, make_user):
    # Next year's 4 March, upcoming whenever this runs; 14:30 UTC is 14:30 in London (GMT in early March).
    soon = datetime(utcnow().year + 1, 3, 4, 14, 30)
    make_event(
        title="Fife workshop",
        event_type="deep-dive",
        format="hybrid",
        venue="Hall",
        council_area=_area("fife"),
        # Given out of order: the card names levels in the framework's order.
        levels=[_level("trauma-enhanced"), _level("trauma-informed")],
        capacity=3,
        starts_at=soon,
    )
    full = make_event(title="Small room", capacity=1, starts_at=soon + timedelta(days=1))
    services.register(full, make_user())
    make_event(title="Open to all", starts_at=soon + timedelta(days=2))
    cancelled = make_event(title="Called off", capacity=10, starts_at=soon + timedelta(days=3))
    services.cancel_event(cancelled.created_by, cancelled, "Snow")
    results = _results(client)
    card = _card(results, "Fife workshop")
    assert f"{soon:%A} 4 March {soon.year}, 14:30" in card
    assert "Deep dive" in card and "Hybrid, Fife" in card
    assert "Trauma informed, Trauma enhanced" in card.replace("-", " ")
    assert "3 places left" in card
    assert "Full: waiting list open" in _card(results, "Small room")
    open_to_all = _card(results, "Open to all")
    assert "left" not in open_to_all and "Levels" not in open_to_all and "Online" in open_to_all
    called_off = _card(results, "Called off")
    assert "Cancelled" in called_off and "left" not in called_off
    assert "4 events." in results


def test_past_cards_show_no_places(client, make_event):
    make_event(title="Old meeting", capacity=30, starts_at=datetime(2025, 5, 1, 9, 0))
    card = _card(_results(client, "/events/past"), "Old meeting")
    assert "Thursday 1 May 2025, 10:00" in card and "left" not in card


def test_a_kept_card_follows_the_event(client, make_event, make_user, coordinator):
    event = make_event(title="First name", capacity=2)
    assert "2 places left" in _card(_results(client), "First name")
    services.register(event, make_user())
    assert "1 place left" in _card(_results(client), "First name")
    values = {"title": "Second name", "starts_at": event.starts_at, "ends_at": event.ends_at}
    services.update_event(coordinator, event, values)
    results = _results(client)
    assert "First name" not in results and "1 place left" in _card(results, "Second name")
    services.cancel_event(coordinator, event, "")
    card = _card(_results(client), "Second name")
    assert "Cancelled" in card and "left" not in card


def test_kept_filters_show_the_chosen_values(client, make_event):
    make_event()
    chosen = client.get("/events?area=fife").get_data(as_text=True)
    assert '<option value="fife" selected>' in chosen
    assert '<option value="fife" selected>' not in client.get("/events").get_data(as_text=True)
    # A value no list offers is shown as "any", never kept and never an error.
    odd = client.get("/events?area=nowhere").get_data(as_text=True)
    assert "selected>" not in odd and "No events match these filters" in odd


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.CHAMPION, Role.COORDINATOR, Role.ADMIN])
def test_drafts_are_never_among_the_results(client, as_role, make_event, make_user, role):
    owner = make_user(role=Role.COORDINATOR)
    make_event(owner=owner, title="Quiet draft", publish=False)
    make_event(title="Published one")
    as_role(role)
    page = client.get("/events").get_data(as_text=True)
    results = page.split("Results")[1]
    assert "Published one" in results and "Quiet draft" not in results
    # Only an admin (or the draft's own organisers) is offered it, under "Your drafts".
    assert ("Quiet draft" in page) == (role == Role.ADMIN)


def test_the_organiser_sees_their_own_draft_above_the_results(client, sign_in, make_event, coordinator):
    make_event(title="My draft", publish=False)
    sign_in(coordinator)
    page = client.get("/events").get_data(as_text=True)
    assert "Your drafts" in page and "My draft" in page.split("Results")[0]
    assert "My draft" not in page.split("Results")[1]


def _fill(make_event, make_user, count):
    levels = [_level("trauma-informed"), _level("trauma-skilled")]
    people = [make_user() for _ in range(3)]
    for n in range(count):
        event = make_event(
            title=f"Event {n}",
            capacity=50,
            levels=levels,
            council_area=_area("fife"),
            format="in-person",
            venue="Hall",
            starts_at=utcnow().replace(microsecond=0) + timedelta(days=n + 1),
        )
        for person in people:
            services.register(event, person)
        make_event(title=f"Past {n}", levels=levels, starts_at=datetime(2025, 1, 1) + timedelta(days=n))


def test_the_listing_is_a_count_and_one_statement_for_the_cards(
    client, make_event, make_user, sign_in, count_queries
):
    paths = ["/events", "/events?page=2", "/events/past", "/events?level=trauma-skilled&area=fife"]

    def statements():
        counted = []
        for path in paths:
            with count_queries() as queries:
                assert client.get(path).status_code == 200
            counted.append(len(queries))
        return counted

    _fill(make_event, make_user, 1)
    client.get("/events")  # the reference lists, read once per process
    few = statements()
    _fill(make_event, make_user, 30)
    assert statements() == few == [2, 2, 2, 2]  # the count, then every card with its levels and places
    sign_in(make_user())
    assert max(statements()) <= 3  # and the signed-in person
