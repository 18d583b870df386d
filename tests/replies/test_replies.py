"""Reply by email over real SMTP: a good reply posts as its person; a bad one is refused, logged, unposted."""

import smtplib
import uuid
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from champions import reply_address
from champions.clock import utcnow
from champions.discussions import services as discussions
from champions.discussions.models import Post
from champions.extensions import db
from champions.lifecycle.services import apply_retention
from champions.mail import OutboxMessage
from champions.messages import services as messages
from champions.messages.models import Message
from champions.replies.models import ReceivedMail
from tests.replies.conftest import DOMAIN, email

QUOTED = """Thank you, Tuesday at ten suits me.

I will bring the notes.

--
Ann Reid
Practice lead, NHS Fife

On Mon, 1 Dec 2026 at 10:00, Trauma Champions Network <no-reply@example.org> wrote:
> Hello Ann,
> Bob Smith has sent you a message in the Trauma Champions Network.
"""


def address(user, kind: str, target_id: int, **token) -> str:
    return f"reply+{reply_address.make_token(user.id, kind, target_id, **token)}@{DOMAIN}"


def told(person) -> list[str]:
    """The subjects of the emails about replies by email queued for the person."""
    return [m.subject for m in outbox_of(person) if m.subject.startswith("Your reply")]


def outbox_of(person):
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == person.email)))


def log() -> list[str]:
    return list(db.session.scalars(select(ReceivedMail.outcome).order_by(ReceivedMail.id)))


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def test_a_reply_to_a_conversation_is_sent_as_the_person_without_quote_or_signature(
    send, people, conversation, outbox
):
    ann, bob = people
    send(email(address(ann, "conversation", conversation.id), "ann.reid@example.org", QUOTED))
    latest = db.session.scalars(select(Message).order_by(Message.id.desc())).first()
    assert latest.author_id == ann.id and latest.conversation_id == conversation.id
    assert latest.body == "Thank you, Tuesday at ten suits me.\n\nI will bring the notes."
    assert log() == ["posted"]
    assert [m.subject for m in outbox.messages(to=bob.email)] == ["New message from Ann Reid"]


def test_a_reply_to_a_thread_is_posted_with_its_markdown_made_safe(send, people, thread):
    ann, bob = people
    body = "I agree with **this**.<script>alert(1)</script>\n\nOn Mon, Bob wrote:\n> How do you run it?"
    send(email(address(ann, "thread", thread.id), ann.email, body))
    post = db.session.scalars(select(Post).order_by(Post.id.desc())).first()
    assert post.author_id == ann.id and post.thread_id == thread.id
    assert "<strong>this</strong>" in post.body_html and "<script" not in post.body_html
    assert "How do you run it" not in post.body
    assert log() == ["posted"]


def test_the_token_is_compact_lower_case_and_survives_a_server_that_changes_case(send, people, thread):
    ann, _ = people
    to = address(ann, "thread", thread.id)
    local = to.split("@")[0]
    assert len(local) <= 64 and local == local.lower()
    send(email(to.upper(), ann.email))
    assert log() == ["posted"]


def test_the_same_email_sent_twice_posts_once(send, people, thread):
    ann, _ = people
    message = email(address(ann, "thread", thread.id), ann.email)
    send(message)
    send(message)
    assert count(Post, author_id=ann.id) == 1
    assert log() == ["posted", "reused"]


def test_the_same_email_without_a_message_id_sent_twice_posts_once(send, people, conversation):
    ann, _ = people
    message = email(address(ann, "conversation", conversation.id), ann.email)
    del message["Message-ID"]
    send(message)
    send(message)
    assert count(Message, author_id=ann.id) == 1
    assert log() == ["posted", "reused"]


def test_one_address_takes_many_different_replies(send, people, conversation):
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    send(email(to, ann.email, "First answer"))
    send(email(to, ann.email, "Second answer"))
    assert count(Message, author_id=ann.id) == 2


def _forged(to: str) -> str:
    """The same address with one letter of the token changed (in the middle: the last has spare bits)."""
    local, domain = to.split("@")
    middle = len(local) // 2
    letter = "a" if local[middle] != "a" else "b"
    return f"{local[:middle]}{letter}{local[middle + 1 :]}@{domain}"


@pytest.mark.parametrize(
    "make_to, outcome",
    [
        (lambda ann, c: _forged(address(ann, "conversation", c.id)), "forged"),
        (lambda ann, c: f"reply+notatoken@{DOMAIN}", "forged"),
        (lambda ann, c: address(ann, "conversation", c.id, now=utcnow() - timedelta(days=31)), "expired"),
    ],
    ids=["changed", "made-up", "expired"],
)
def test_forged_and_expired_tokens_post_nothing(send, people, conversation, outbox, make_to, outcome):
    ann, _ = people
    before = count(Message)
    send(email(make_to(ann, conversation), ann.email))
    assert count(Message) == before
    assert log() == [outcome]
    assert told(ann) == (["Your reply could not be posted"] if outcome == "expired" else [])


def test_a_reply_from_another_address_posts_nothing_and_tells_nobody(send, people, conversation, outbox):
    ann, bob = people
    to = address(ann, "conversation", conversation.id)
    send(email(to, "someone@elsewhere.example"))
    send(email(to, ann.email), mail_from="someone@elsewhere.example")  # the envelope sender differs
    send(email(to, f"{ann.email}, bob@example.org"))
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["sender mismatch"] * 3
    assert told(ann) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"Precedence": "auto_reply"},
    ],
)
def test_auto_replies_are_refused(send, people, conversation, headers):
    ann, _ = people
    send(email(address(ann, "conversation", conversation.id), ann.email, "I am out of the office", headers))
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["auto-reply"]


def test_a_human_reply_that_says_auto_submitted_no_is_taken(send, people, conversation):
    ann, _ = people
    send(email(address(ann, "conversation", conversation.id), ann.email, headers={"Auto-Submitted": "no"}))
    assert log() == ["posted"]


def test_bounces_are_refused(send, people, conversation):
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    send(email(to, ann.email), mail_from="")
    report = EmailMessage()
    report["From"], report["To"], report["Message-ID"] = ann.email, to, "<report-1@mail.example.org>"
    report.set_content("Delivery failed")
    report.make_mixed()
    report.replace_header("Content-Type", 'multipart/report; report-type=delivery-status; boundary="b"')
    send(report)
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["bounce", "bounce"]


def test_mail_loops_are_refused(send, people, conversation):
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    send(email(to, ann.email, headers={"X-Champions-Loop": "1"}))
    looping = email(to, ann.email)
    for hop in range(25):
        looping["Received"] = f"from relay{hop}.example.org by relay{hop + 1}.example.org"
    send(looping)
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["loop", "loop"]


def test_an_html_only_email_is_refused_and_the_person_told(send, people, thread, outbox):
    ann, _ = people
    message = email(address(ann, "thread", thread.id), ann.email)
    message.set_content("<p>Hello <b>all</b></p>", subtype="html")
    send(message)
    assert count(Post, author_id=ann.id) == 0
    assert log() == ["html only"]
    [note] = [m for m in outbox_of(ann) if m.subject.startswith("Your reply")]
    assert "plain text" in note.body and f"/discussions/t/{thread.id}" in note.body
    assert note.headers["Auto-Submitted"] == "auto-replied"


def test_attachments_are_dropped_the_words_posted_and_the_person_told(send, people, thread, outbox):
    ann, _ = people
    message = email(address(ann, "thread", thread.id), ann.email, "Here are my notes.")
    message.add_attachment(b"%PDF-1.4 notes", maintype="application", subtype="pdf", filename="notes.pdf")
    send(message)
    post = db.session.scalars(select(Post).where(Post.author_id == ann.id)).one()
    assert post.body == "Here are my notes."
    assert log() == ["posted, attachments dropped"]
    assert [m.subject for m in outbox.messages(to=ann.email)] == [
        "Your reply was posted without its attachments"
    ]


def test_a_huge_email_is_refused_at_data(reply_server, people, thread):
    ann, _ = people
    db.session.commit()
    message = email(address(ann, "thread", thread.id), ann.email, "A long reply.\n" * 2_000)
    with smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp:
        smtp.ehlo()
        assert smtp.mail(ann.email)[0] == 250  # no SIZE given: the cap is met while the data comes
        assert smtp.rcpt(message["To"])[0] == 250
        code, answer = smtp.data(message.as_string())
    assert code == 552, answer
    db.session.expire_all()
    assert count(Post, author_id=ann.id) == 0


def test_other_addresses_are_refused_at_rcpt(reply_server, people):
    ann, _ = people
    for to in ("someone@" + DOMAIN, "reply+abc@elsewhere.example", "postmaster@" + DOMAIN):
        with (
            smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp,
            pytest.raises(smtplib.SMTPRecipientsRefused),
        ):
            smtp.send_message(email(to, ann.email))
    assert log() == []


def test_an_empty_reply_posts_nothing(send, people, thread, outbox):
    ann, _ = people
    send(email(address(ann, "thread", thread.id), ann.email, "On Mon, Bob wrote:\n> How do you run it?\n"))
    assert count(Post, author_id=ann.id) == 0
    assert log() == ["empty"]
    assert told(ann) == ["Your reply could not be posted"]


def test_a_too_long_message_is_refused(send, people, conversation):
    ann, _ = people
    send(email(address(ann, "conversation", conversation.id), ann.email, "x" * 5_001))
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["too long"]


def test_a_locked_thread_takes_no_reply(send, people, thread):
    ann, _ = people
    thread.is_locked = True
    send(email(address(ann, "thread", thread.id), ann.email))
    assert count(Post, author_id=ann.id) == 0
    assert log() == ["cannot post"]


def test_a_blocked_person_cannot_reply_by_email(send, people, conversation):
    ann, bob = people
    messages.block(bob, ann)
    send(email(address(ann, "conversation", conversation.id), ann.email))
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["cannot post"]


def test_a_closed_account_cannot_reply(send, people, conversation):
    ann, _ = people
    ann.closed_at = utcnow()
    ann.active = False
    send(email(address(ann, "conversation", conversation.id), ann.email))
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["account closed"]


def test_someone_elses_conversation_is_not_reachable(send, people, conversation, make_user):
    ann, _ = people
    carol = make_user(email="carol@example.org")
    send(email(address(carol, "conversation", conversation.id), carol.email))
    assert count(Message, author_id=carol.id) == 0
    assert log() == ["gone"]


def test_replies_by_email_are_rate_limited(send, people, conversation):
    ann, _ = people
    now = utcnow()
    db.session.add_all(
        [
            ReceivedMail(user_id=ann.id, kind="conversation", outcome="posted", received_at=now)
            for _ in range(20)
        ]
    )
    send(email(address(ann, "conversation", conversation.id), ann.email))
    assert count(Message, author_id=ann.id) == 0
    assert log()[-1] == "rate limited"


def test_notification_emails_carry_a_reply_address_only_when_a_domain_is_set(app, people, outbox):
    ann, bob = people
    app.config["REPLY_DOMAIN"] = ""
    messages.start_conversation(bob, ann, "One", "Hello", form_key=str(uuid.uuid4()))
    app.config["REPLY_DOMAIN"] = DOMAIN
    second = messages.start_conversation(bob, ann, "Two", "Hello again", form_key=str(uuid.uuid4()))
    first_mail, second_mail = outbox.messages(to=ann.email)
    assert "Reply-To" not in first_mail.headers and "reply to this email" not in first_mail.body
    reply_to = second_mail.headers["Reply-To"]
    assert reply_to.endswith("@" + DOMAIN) and "reply to this email" in second_mail.body
    token = reply_address.token_in(reply_to)
    claim = reply_address.read_token(token)
    assert (claim.kind, claim.user_id, claim.target_id) == ("conversation", ann.id, second.id)


def test_each_person_gets_their_own_reply_address_for_a_thread(app, people, thread, make_user, outbox):
    app.config["REPLY_DOMAIN"] = DOMAIN
    ann, bob = people
    carol = make_user(email="carol@example.org")
    for person in (ann, carol):
        discussions.save_settings(person, "each", auto_follow=True)
        discussions.follow_thread(person, thread)
    discussions.reply(thread, bob, "Any news?", form_key="k2")
    [to_ann] = outbox.messages(to=ann.email)
    [to_carol] = outbox.messages(to=carol.email)
    assert to_ann.headers["Reply-To"] != to_carol.headers["Reply-To"]
    assert reply_address.read_token(reply_address.token_in(to_ann.headers["Reply-To"])).user_id == ann.id


def test_the_log_is_kept_for_its_retention_period(app, people):
    ann, _ = people
    old = utcnow() - timedelta(days=app.config["RETENTION_RECEIVED_MAIL_DAYS"] + 1)
    db.session.add_all(
        [ReceivedMail(user_id=ann.id, outcome="posted", received_at=old), ReceivedMail(outcome="forged")]
    )
    db.session.commit()
    assert apply_retention(utcnow())["received mail records deleted"] == 1
    assert log() == ["forged"]


def test_broken_emails_are_refused_not_retried(send, reply_server, people, conversation):
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    raw = (
        f"From: {ann.email}\r\nTo: {to}\r\nMessage-ID: <broken-1@mail.example.org>\r\n"
        "Content-Type: text/plain; charset=no-such-charset\r\n\r\nHello\r\n"
    )
    garbled = (
        f"From: =?utf-8?q?=ZZ?= <<<>>>\r\nTo: {to}\r\nMessage-ID: <broken-2@mail.example.org>\r\n\r\nHi\r\n"
    )
    db.session.commit()
    with smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp:
        assert smtp.sendmail(ann.email, [to], raw) == {}
        assert smtp.sendmail(ann.email, [to], garbled) == {}
    db.session.expire_all()
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["unreadable", "sender mismatch"]


def test_the_command_needs_a_reply_domain(app):
    app.config["REPLY_DOMAIN"] = ""
    result = app.test_cli_runner().invoke(args=["receive-mail", "--port", "1"])
    assert result.exit_code != 0 and "Set REPLY_DOMAIN first" in result.output
