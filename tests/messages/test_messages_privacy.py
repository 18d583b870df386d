"""Messages and privacy: the export holds a person's conversations; closing an account leaves them."""

import json

from flask import render_template
from sqlalchemy import func, select

from champions.extensions import db
from champions.lifecycle import services as lifecycle
from champions.messages import services
from champions.messages.models import Conversation, ConversationMember, Message, MessageBlock
from champions.privacy.queries.export import personal_data
from tests.conftest import TEST_PASSWORD
from tests.lifecycle.conftest import traces


def test_the_export_holds_their_conversations_and_blocks(app, make_user, make_champion, start):
    member = make_user(name="Callum Stewart")
    champion = make_champion(name="Fiona Robertson")
    conversation = start(member, champion.user, subject="Reflective practice", body="Hello Fiona")
    services.reply(conversation, champion.user, "Hello Callum, happy to help")
    services.block(member, champion.user)
    data = json.loads(json.dumps(personal_data(member)))["messages"]
    [exported] = data["conversations"]
    assert exported["subject"] == "Reflective practice" and exported["started_by_you"] is True
    assert [(m["from"], m["body"]) for m in exported["messages"]] == [
        ("you", "Hello Fiona"),
        ("Fiona Robertson", "Hello Callum, happy to help"),
    ]
    assert data["people_you_blocked"][0]["user_id"] == champion.user_id
    with app.test_request_context():
        page = render_template("privacy/export/index.html", data=personal_data(member))
    assert "Hello Callum, happy to help" in page and "Reflective practice" in page


def test_closing_an_account_leaves_the_other_persons_copy(client, make_user, make_champion, sign_in, start):
    member = make_user(name="Quillon Marchbanks", email="quillon@example.org")
    champion = make_champion()
    conversation = start(member, champion.user, body="My question")
    services.reply(conversation, champion.user, "My answer")
    services.block(champion.user, member)
    sign_in(member)
    client.post("/account/close", data={"password": TEST_PASSWORD})
    db.session.expire_all()
    assert traces("Quillon Marchbanks", "quillon@example.org") == []
    assert db.session.scalar(select(func.count()).select_from(MessageBlock)) == 0
    assert [m.user_id for m in db.session.scalars(select(ConversationMember))] == [champion.user_id]

    sign_in(champion.user)
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "A former member" in page and "My question" in page and "My answer" in page
    assert "cannot take replies" in page
    assert client.post(f"/messages/{conversation.id}/reply", data={"body": "x"}).status_code == 409


def test_removing_their_words_and_the_last_person_leaving(app, make_user, make_champion, start):
    member, champion = make_user(), make_champion()
    conversation_id = start(member, champion.user, body="Words to remove").id
    lifecycle.close_own_account(member, TEST_PASSWORD, delete_posts=True)
    assert db.session.scalar(select(Message.body)) == services.REMOVED
    lifecycle.close_own_account(champion.user, TEST_PASSWORD, delete_posts=False)
    assert db.session.get(Conversation, conversation_id) is None
    assert db.session.scalar(select(func.count(Message.id))) == 0
