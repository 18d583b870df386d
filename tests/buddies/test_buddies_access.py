"""Who may see and do what: the pair and coordinators only; everyone else, guessing ids, gets a 404."""

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.buddies import services
from champions.buddies.models import BuddyPairing
from champions.extensions import db


@pytest.fixture
def paired(make_champion, make_user, ask):
    """An open request, and a pairing made from another request."""
    waiting = ask(make_champion(name="Waiting Asker").user)
    asker = make_champion(name="Paired Asker")
    buddy = make_champion(willing=True, name="Paired Buddy")
    pairing = services.pair(make_user(role=Role.COORDINATOR), ask(asker.user), buddy.user_id)
    return waiting, pairing


def test_signed_out_people_are_asked_to_sign_in(client, paired):
    waiting, pairing = paired
    for url in [
        "/buddies",
        "/buddies/settings",
        "/buddies/ask",
        "/buddies/requests",
        f"/buddies/requests/{waiting.id}",
        f"/buddies/pairings/{pairing.id}",
        f"/buddies/pairings/{pairing.id}/end",
    ]:
        assert client.get(url).headers["Location"].startswith("/account/sign-in?next="), url


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_members_and_unverified_champions_cannot_ask_or_offer(client, as_role, role):
    as_role(role)
    page = client.get("/buddies").get_data(as_text=True)
    assert "Peer buddies are for verified champions" in page
    assert client.get("/buddies/ask").status_code == 403
    assert client.post("/buddies/ask", data={"nearby": "y"}).status_code == 403
    assert client.get("/buddies/settings").status_code == 403
    assert client.post("/buddies/settings", data={"willing": "y"}).status_code == 403
    assert client.get("/buddies/requests").status_code == 403


def test_another_champion_guessing_ids_finds_nothing(client, make_champion, sign_in, paired):
    waiting, pairing = paired
    sign_in(make_champion(name="Curious Champion").user)
    for url in [
        f"/buddies/requests/{waiting.id}",
        f"/buddies/pairings/{pairing.id}",
        f"/buddies/pairings/{pairing.id}/end",
        "/buddies/requests/999999999",
        "/buddies/pairings/999999999",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/buddies/requests/{waiting.id}/withdraw").status_code == 404
    assert client.post(f"/buddies/pairings/{pairing.id}/end").status_code == 404
    assert client.post(f"/buddies/requests/{waiting.id}/pair", data={"buddy_id": "1"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(BuddyPairing, pairing.id).is_active


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_members_guessing_ids_find_nothing(client, as_role, role, paired):
    waiting, pairing = paired
    as_role(role)
    assert client.get(f"/buddies/requests/{waiting.id}").status_code == 404
    assert client.get(f"/buddies/pairings/{pairing.id}").status_code == 404


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_see_requests_and_pairings_but_cannot_end_them(client, as_role, role, paired):
    waiting, pairing = paired
    as_role(role)
    assert "Waiting Asker" in client.get("/buddies/requests").get_data(as_text=True)
    assert "Suggested buddies" in client.get(f"/buddies/requests/{waiting.id}").get_data(as_text=True)
    page = client.get(f"/buddies/pairings/{pairing.id}").get_data(as_text=True)
    assert "Paired Asker and Paired Buddy" in page and "End this pairing" not in page
    assert client.get(f"/buddies/pairings/{pairing.id}/end").status_code == 404
    assert client.post(f"/buddies/pairings/{pairing.id}/end").status_code == 404
    assert client.post(f"/buddies/requests/{waiting.id}/withdraw").status_code == 404


def test_the_two_people_see_their_pairing(client, sign_in, paired):
    _, pairing = paired
    for person, other in ((pairing.asker, pairing.buddy), (pairing.buddy, pairing.asker)):
        sign_in(person)
        page = client.get(f"/buddies/pairings/{pairing.id}").get_data(as_text=True)
        assert f"You and {other.name}" in page and other.email in page and "End this pairing" in page
        assert client.get(f"/buddies/pairings/{pairing.id}/end").status_code == 200
        client.post("/account/sign-out")


def test_a_coordinator_cannot_pair_their_own_request(client, make_champion, sign_in, ask):
    coordinator = make_champion(role=Role.COORDINATOR)
    buddy = make_champion(willing=True)
    request = ask(coordinator.user)
    sign_in(coordinator.user)
    page = client.get(f"/buddies/requests/{request.id}").get_data(as_text=True)
    assert "Suggested buddies" not in page
    assert (
        client.post(f"/buddies/requests/{request.id}/pair", data={"buddy_id": buddy.user_id}).status_code
        == 404
    )
    assert db.session.scalar(select(func.count(BuddyPairing.id))) == 0
