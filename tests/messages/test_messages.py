"""Messages: writing to a listed champion, replying, the unread count, mail batching and settings."""

import re
import uuid
from email import message_from_bytes, policy

from sqlalchemy import func, select

from champions import mail
from champions.accounts.models import Role
from champions.extensions import db
from champions.messages.models import Conversation, Message, MessageSetting


def _key() -> str:
    return str(uuid.uuid4())


def _send_from_profile(
    client, profile, subject="Starting out", body="Could we talk about **supervision**?", key=None
):
    data = {"subject": subject, "body": body, "form_key": key or _key()}
    return client.post(f"/messages/new/{profile.id}", data=data)


def test_member_messages_a_champion_who_replies(client, make_user, make_champion, sign_in, outbox):
    champion = make_champion(name="Fiona Robertson", email="fiona@example.org")
    member = make_user(name="Callum Stewart", email="callum@example.org")
    sign_in(member)
    assert f'href="/messages/new/{champion.id}"' in client.get(f"/champions/{champion.id}").get_data(
        as_text=True
    )
    assert "Contact Fiona Robertson" in client.get(f"/messages/new/{champion.id}").get_data(as_text=True)

    key = _key()
    first = _send_from_profile(client, champion, key=key)
    again = _send_from_profile(client, champion, key=key)  # the same form sent twice
    conversation = db.session.scalar(select(Conversation))
    assert first.headers["Location"] == again.headers["Location"] == f"/messages/{conversation.id}"
    assert db.session.scalar(select(func.count(Message.id))) == 1
    [email] = outbox.messages("fiona@example.org")
    assert email.subject == "New message from Callum Stewart"
    assert "supervision" not in email.body  # the words stay in the portal
    assert f"https://portal.example.test/messages/{conversation.id}" in email.body

    # A second message before Fiona reads the first: no second email.
    client.post(f"/messages/{conversation.id}/reply", data={"body": "Also, events?", "form_key": _key()})
    assert len(outbox.messages("fiona@example.org")) == 1

    client.post("/account/sign-out")
    sign_in(champion.user)
    assert "(1 new)" in client.get("/messages").get_data(as_text=True)
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "<strong>supervision</strong>" in page and "Also, events?" in page
    assert "(1 new)" not in client.get("/messages").get_data(as_text=True)
    reply = client.post(f"/messages/{conversation.id}/reply", data={"body": "Of course.", "form_key": _key()})
    assert reply.headers["Location"] == f"/messages/{conversation.id}#latest"
    assert len(outbox.messages("callum@example.org")) == 1

    # Read, then written to again: one more email.
    client.post("/account/sign-out")
    sign_in(member)
    client.get(f"/messages/{conversation.id}")
    client.post("/account/sign-out")
    sign_in(champion.user)
    client.post(f"/messages/{conversation.id}/reply", data={"body": "And another.", "form_key": _key()})
    assert len(outbox.messages("callum@example.org")) == 2


def test_markdown_is_sanitised(client, make_user, make_champion, sign_in):
    champion = make_champion()
    sign_in(make_user())
    _send_from_profile(client, champion, body="<script>alert(1)</script> [x](javascript:alert(1)) hi")
    page = client.get(f"/messages/{db.session.scalar(select(Conversation.id))}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "javascript:" not in page and "hi" in page


def test_the_header_count_costs_no_query_and_stays_exact(
    client, make_user, make_champion, sign_in, start, count_queries
):
    member, champion = make_user(), make_champion()
    conversation = start(champion.user, member)
    start(make_champion().user, member)
    sign_in(member)
    with count_queries() as statements:
        page = client.get("/messages/settings").get_data(as_text=True)
    assert 'Messages <span class="app-count">(2 new)</span>' in page
    assert not any("conversation_members" in s for s in statements)
    client.get(f"/messages/{conversation.id}")
    client.get(f"/messages/{conversation.id}")  # reading twice counts once
    assert "(1 new)" in client.get("/messages/settings").get_data(as_text=True)
    client.post(f"/messages/{conversation.id}/reply", data={"body": "Thanks", "form_key": _key()})
    client.post("/account/sign-out")
    sign_in(champion.user)
    assert "(1 new)" in client.get("/messages").get_data(as_text=True)
    client.post(f"/messages/{conversation.id}/reply", data={"body": "Welcome", "form_key": _key()})
    assert "new)" not in client.get("/messages").get_data(as_text=True)  # replying is reading
    db.session.expire_all()
    assert db.session.get(type(member), member.id).unread_conversations == 2


def test_no_email_when_turned_off_and_one_click_unsubscribe(
    client, make_user, make_champion, sign_in, start, outbox
):
    champion = make_champion(email="quiet@example.org")
    sign_in(champion.user)
    client.post("/messages/settings", data={"contact_on": "y"})  # email_on unticked
    start(make_user(), champion.user)
    assert outbox.messages("quiet@example.org") == []

    loud = make_champion(email="loud@example.org")
    start(make_user(), loud.user)
    [email] = outbox.messages("loud@example.org")
    link = re.search(r"https://portal.example.test(/messages/unsubscribe/\S+)", email.body).group(1)
    assert email.headers["List-Unsubscribe"] == f"<https://portal.example.test{link}>"
    assert client.get(link).status_code == 200
    assert db.session.get(MessageSetting, loud.user_id) is None  # GET only asks
    assert "emails stopped" in client.post(link).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(MessageSetting, loud.user_id).email_on is False
    assert client.get("/messages/unsubscribe/not-a-token").status_code == 400
    assert client.post("/messages/unsubscribe/not-a-token").status_code == 400


def test_email_over_real_smtp(app, smtp_server, make_user, make_champion, start):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    start(make_user(name="Ali Reid"), make_champion(email="smtp-champion@example.org").user, subject="Hi")
    assert mail.deliver_pending()["sent"] == 1
    [envelope] = smtp_server.messages
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert envelope.rcpt_tos == ["smtp-champion@example.org"]
    assert received["Subject"] == "New message from Ali Reid"
    assert received["List-Unsubscribe"].startswith("<https://portal.example.test/messages/unsubscribe/")
    assert "“Hi”" in received.get_content()


def test_champion_writes_to_their_areas_coordinator(client, make_user, make_champion, sign_in, area_named):
    local = make_user(role=Role.COORDINATOR, name="Fife Coordinator")
    make_user(role=Role.COORDINATOR, name="Glasgow Coordinator", council_area=area_named("Glasgow City"))
    champion = make_champion()
    sign_in(champion.user)
    page = client.get("/messages/coordinator").get_data(as_text=True)
    assert "Fife Coordinator" in page and "Glasgow Coordinator" not in page
    data = {"coordinator": str(local.id), "subject": "My return", "body": "A question", "form_key": _key()}
    response = client.post("/messages/coordinator", data=data)
    conversation = db.session.scalar(select(Conversation))
    assert response.headers["Location"] == f"/messages/{conversation.id}"
    assert {m.user_id for m in conversation.members} == {local.id, champion.user_id}
    # Someone whose area has no coordinator sees them all.
    client.post("/account/sign-out")
    sign_in(make_user(council_area=area_named("Orkney Islands")))
    page = client.get("/messages/coordinator").get_data(as_text=True)
    assert "Fife Coordinator" in page and "Glasgow Coordinator" in page


def test_emails_that_said_reply_to_your_coordinator_link_to_writing_one(app, make_user):
    for template, context in [
        (
            "casestudies/returned",
            {"user": make_user(), "case_study": {"title": "T"}, "comment": "", "url": ""},
        ),
        (
            "discussions/discussion_hidden",
            {"user": make_user(), "post": {"thread": {"title": "T"}}, "reason": ""},
        ),
    ]:
        with app.test_request_context():
            message = mail.queue("x@example.org", "s", template, **context)
        assert "https://portal.example.test/messages/coordinator" in message.body
        assert "reply to your coordinator" not in message.body
