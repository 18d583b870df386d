"""Messages: who may see what, blocking, contact turned off, reports, bad input and rate limits."""

import uuid

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.extensions import db
from champions.messages.models import BODY_MAX, Conversation, Message
from champions.messages.views import CANNOT_MESSAGE

NEUTRAL = "The person is not taking messages through the portal at the moment."


def _key() -> str:
    return str(uuid.uuid4())


def _message(client, profile, **values):
    data = {"subject": "Hello", "body": "Hi there", "form_key": _key(), **values}
    return client.post(f"/messages/new/{profile.id}", data=data)


def _audits(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION, Role.COORDINATOR, Role.ADMIN])
def test_someone_elses_conversation_is_not_found(client, make_user, make_champion, start, as_role, role):
    conversation = start(make_user(), make_champion().user)
    as_role(role)
    for url in ["", "/report", "/block"]:
        assert client.get(f"/messages/{conversation.id}{url}").status_code == 404
    for url in ["/reply", "/report", "/block"]:
        assert (
            client.post(f"/messages/{conversation.id}{url}", data={"body": "x", "reason": "x"}).status_code
            == 404
        )
    assert client.get("/messages/999999999").status_code == 404


def test_signed_out_people_are_asked_to_sign_in(client, make_champion):
    profile = make_champion()
    for url in [
        "/messages",
        "/messages/1",
        f"/messages/new/{profile.id}",
        "/messages/coordinator",
        "/messages/settings",
    ]:
        assert client.get(url).headers["Location"].startswith("/account/sign-in?next=")


def test_bad_input_is_a_clear_message(client, make_user, make_champion, sign_in):
    champion = make_champion()
    sign_in(make_user())
    cases = [
        ({"body": ""}, "Write your message before sending it"),
        ({"body": "x" * (BODY_MAX + 1)}, "Messages can be up to 5,000 characters"),
        ({"subject": ""}, "Enter a subject"),
        ({"subject": "Two\u2028lines"}, "This needs to fit on one line"),
        ({"subject": "a\rb"}, "This needs to fit on one line"),
        ({"subject": "x" * 121}, "Keep the subject to 120 characters or fewer"),
    ]
    for values, words in cases:
        response = _message(client, champion, **values)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "There is a problem" in page and words in page, values
    assert _message(client, champion, form_key="not-a-key").status_code == 302  # a fresh key is made
    assert db.session.scalar(select(func.count(Conversation.id))) == 1


def test_not_to_oneself_nor_an_unlisted_champion(client, make_champion, sign_in):
    champion = make_champion()
    sign_in(champion.user)
    response = _message(client, champion)
    assert response.status_code == 409 and "You cannot send a message to yourself." in response.get_data(
        as_text=True
    )
    assert client.get(f"/messages/new/{make_champion(listed=False).id}").status_code == 404
    assert client.get("/messages/new/999999999").status_code == 404
    assert db.session.scalar(select(func.count(Conversation.id))) == 0


def test_contact_turned_off_and_blocking_read_the_same(client, make_user, make_champion, sign_in, start):
    quiet, blocking = make_champion(), make_champion()
    member = make_user()
    earlier = start(member, blocking.user)
    sign_in(quiet.user)
    client.post("/messages/settings", data={"email_on": "y"})  # contact_on unticked
    client.post("/account/sign-out")
    sign_in(blocking.user)
    assert client.get(f"/messages/{earlier.id}/block").status_code == 200
    assert client.post(f"/messages/{earlier.id}/block").headers["Location"] == "/messages"
    client.post("/account/sign-out")
    sign_in(member)
    for profile in (quiet, blocking):
        assert NEUTRAL in client.get(f"/messages/new/{profile.id}").get_data(as_text=True)
        response = _message(client, profile)
        assert response.status_code == 409 and NEUTRAL in response.get_data(as_text=True)
        assert "block" not in response.get_data(as_text=True).lower()
    reply = client.post(f"/messages/{earlier.id}/reply", data={"body": "Still there?", "form_key": _key()})
    assert reply.status_code == 409 and CANNOT_MESSAGE.split(" Your")[0] in reply.get_data(as_text=True)
    assert "Still there?" in reply.get_data(as_text=True)  # their words are kept in the box
    assert db.session.scalar(select(func.count(Message.id))) == 1

    # The one who blocked cannot write either, until they unblock.
    client.post("/account/sign-out")
    sign_in(blocking.user)
    assert "You have blocked" in client.get(f"/messages/{earlier.id}").get_data(as_text=True)
    assert (
        client.post(f"/messages/{earlier.id}/reply", data={"body": "x", "form_key": _key()}).status_code
        == 409
    )
    client.post(f"/messages/blocked/{member.id}/unblock")
    response = client.post(f"/messages/{earlier.id}/reply", data={"body": "Sorry", "form_key": _key()})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Message.id))) == 2


def test_a_report_opens_the_conversation_to_coordinators_with_every_read_audited(
    client, make_user, make_champion, sign_in, start
):
    member, champion = make_user(), make_champion()
    conversation = start(member, champion.user)
    coordinator = make_user(role=Role.COORDINATOR)
    sign_in(coordinator)
    assert client.get(f"/messages/{conversation.id}").status_code == 404
    client.post("/account/sign-out")

    sign_in(member)
    assert client.post(f"/messages/{conversation.id}/report", data={"reason": ""}).status_code == 200
    client.post(f"/messages/{conversation.id}/report", data={"reason": "It felt unkind."})
    client.post("/account/sign-out")

    sign_in(coordinator)
    assert "First message" not in client.get("/messages").get_data(as_text=True)
    assert f"/messages/{conversation.id}" in client.get("/messages").get_data(as_text=True)
    for _ in range(2):
        page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
        assert "First message" in page and "It felt unkind." in page
    assert _audits("conversation.read") == 2
    assert client.post(f"/messages/{conversation.id}/reply", data={"body": "x"}).status_code == 404
    response = client.post(f"/messages/{conversation.id}/close-report", data={"note": "Spoke to both"})
    assert response.headers["Location"] == "/messages"
    assert _audits("conversation.close_report") == 1
    assert client.get(f"/messages/{conversation.id}").status_code == 404
    client.post("/account/sign-out")
    sign_in(make_user())
    assert client.post(f"/messages/{conversation.id}/close-report").status_code == 403


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_new_conversations_are_rate_limited(client, make_user, make_champion, sign_in):
    champions = [make_champion() for _ in range(11)]
    sign_in(make_user())
    statuses = [_message(client, profile).status_code for profile in champions]
    assert statuses == [302] * 10 + [429]
