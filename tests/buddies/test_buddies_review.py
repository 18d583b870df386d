"""A hostile reading of buddies: a request that changed under the person, an asker who is no longer a
champion, guessed huge ids, and words that promise what the portal does not do."""

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.buddies import services
from champions.buddies.models import BuddyPairing, BuddyRequest
from champions.extensions import db


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_withdrawing_a_request_paired_meanwhile_says_so(client, make_champion, make_user, sign_in, ask):
    """The page was opened while the request was open; a coordinator paired them before the click."""
    asker, buddy = make_champion(), make_champion(willing=True, name="Ewan Buddy")
    request = ask(asker.user)
    services.pair(make_user(role=Role.COORDINATOR), request, buddy.user_id)
    sign_in(asker.user)
    response = client.post(f"/buddies/requests/{request.id}/withdraw", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Your request is withdrawn" not in page
    assert "already paired" in page
    db.session.expire_all()
    assert db.session.get(BuddyRequest, request.id).status == "paired"


def test_an_asker_who_is_no_longer_a_verified_champion_is_not_paired(
    client, make_champion, as_role, ask, outbox
):
    asker, buddy = make_champion(), make_champion(willing=True)
    request = ask(asker.user)
    asker.status = "revoked"
    db.session.commit()
    as_role(Role.COORDINATOR)
    response = client.post(f"/buddies/requests/{request.id}/pair", data={"buddy_id": buddy.user_id})
    assert response.status_code == 409
    assert "no longer a verified champion" in response.get_data(as_text=True)
    assert _count(BuddyPairing) == 0 and outbox.messages() == []


@pytest.mark.parametrize(
    "path",
    [
        "/buddies/requests/99999999999999999999",
        "/buddies/pairings/99999999999999999999",
        "/buddies/pairings/99999999999999999999/end",
        "/buddies/requests/2147483648",
    ],
)
def test_guessed_huge_ids_are_not_found(client, as_role, path):
    as_role(Role.COORDINATOR)
    assert client.get(path).status_code == 404


def test_the_settings_do_not_promise_to_ask_before_pairing(client, make_champion, sign_in):
    """A coordinator pairs a willing champion without asking them first: the words must say so plainly."""
    sign_in(make_champion().user)
    page = client.get("/buddies/settings").get_data(as_text=True)
    assert "ask you both before" not in page
    assert "pair you with a champion who asks for a buddy" in page and "end a pairing at any time" in page


def test_posts_without_the_csrf_token_change_nothing(app, client, make_champion, make_user, sign_in, ask):
    asker, buddy = make_champion(), make_champion(willing=True)
    request = ask(asker.user)
    sign_in(asker.user)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/buddies/settings", data={"willing": "y"}).status_code == 400
    assert client.post(f"/buddies/requests/{request.id}/withdraw").status_code == 400
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(make_user(role=Role.COORDINATOR))
    app.config["WTF_CSRF_ENABLED"] = True
    assert (
        client.post(f"/buddies/requests/{request.id}/pair", data={"buddy_id": buddy.user_id}).status_code
        == 400
    )
    assert _count(BuddyPairing) == 0
    db.session.expire_all()
    assert db.session.get(BuddyRequest, request.id).is_open
