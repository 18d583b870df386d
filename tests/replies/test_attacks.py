"""Reply by email as an attacker sees it: each test sends a real email over SMTP to the real server."""

import logging
import smtplib

import pytest

from champions.messages.models import Message
from champions.replies import commands
from tests.replies.conftest import email
from tests.replies.test_replies import address, count, log, told


def _raw(reply_server, mail_from: str, to: str, raw: bytes) -> None:
    with smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp:
        assert smtp.sendmail(mail_from, [to], raw) == {}


def _commit_then(fn):
    from champions.extensions import db

    db.session.commit()
    fn()
    db.session.expire_all()


def test_a_deeply_nested_email_is_refused_not_retried(reply_server, people, conversation):
    """1,000 levels fit in the real 1 MB cap and overflow the stack of every walk of them (a 451, retried
    for ever); each level needs a Content-Type, so the count of parts stops it before it is parsed."""
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    head = f"From: {ann.email}\r\nTo: {to}\r\nMessage-ID: <deep@mail.example.org>\r\nMIME-Version: 1.0\r\n"
    parts = "".join(f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n" for i in range(300))
    raw = (head + parts + "Content-Type: text/plain\r\n\r\nHello\r\n").encode()
    _commit_then(lambda: _raw(reply_server, ann.email, to, raw))
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["too many parts"]


def test_a_message_id_that_is_not_utf8_is_refused_not_retried(reply_server, people, conversation):
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    raw = (
        f"From: {ann.email}\r\nTo: {to}\r\n".encode()
        + b"Message-ID: <caf\xe9\xff@mail.example.org>\r\nContent-Type: text/plain\r\n\r\nHello\r\n"
    )
    _commit_then(lambda: _raw(reply_server, ann.email, to, raw))
    assert log() == ["posted"]
    assert count(Message, author_id=ann.id) == 1


def test_body_bytes_that_are_not_their_charset_do_not_stop_a_reply(reply_server, people, conversation):
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    raw = (
        f"From: {ann.email}\r\nTo: {to}\r\nMessage-ID: <latin@mail.example.org>\r\n".encode()
        + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + b"Caf\xe9 at ten\r\n"
    )
    _commit_then(lambda: _raw(reply_server, ann.email, to, raw))
    assert log() == ["posted"]


@pytest.mark.parametrize(
    "from_header",
    [
        "=?utf-8?q?ann=2Ereid=40example=2Eorg?= <mallory@evil.example>",
        '"ann.reid@example.org" <mallory@evil.example>',
        "ann.reid@example.org <mallory@evil.example>",
        "Ann <ann.reid@example.org>, Mallory <mallory@evil.example>",
        "=?utf-8?b?PGFubi5yZWlkQGV4YW1wbGUub3JnPg==?=",
        "mallory@evil.example (ann.reid@example.org)",
    ],
)
def test_display_name_and_encoded_word_tricks_post_nothing(reply_server, people, conversation, from_header):
    """The From header goes on the wire exactly as written; the envelope sender is Ann's (forged too)."""
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    raw = f"From: {from_header}\r\nTo: {to}\r\nMessage-ID: <trick@x.example>\r\n\r\nHi\r\n"
    _commit_then(lambda: _raw(reply_server, ann.email, to, raw.encode()))
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["sender mismatch"]


def test_two_from_headers_post_nothing(reply_server, people, conversation):
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    raw = (
        f"From: {ann.email}\r\nFrom: mallory@evil.example\r\nTo: {to}\r\nMessage-ID: <2@x.example>\r\n\r\nHi"
    )
    _commit_then(lambda: _raw(reply_server, ann.email, to, raw.encode()))
    assert log() == ["sender mismatch"]


def test_a_usual_display_name_with_a_full_stop_still_posts(send, people, conversation):
    ann, _ = people
    send(email(address(ann, "conversation", conversation.id), f"Ann B. Reid <{ann.email}>"))
    assert log() == ["posted"]


def test_inline_answers_between_quotes_are_kept(send, people, conversation):
    ann, _ = people
    send(
        email(
            address(ann, "conversation", conversation.id),
            ann.email,
            "> Could we meet?\nYes, Tuesday.\n> Bob\n",
        )
    )
    assert log() == ["posted"]
    body = (
        __import__("champions.extensions", fromlist=["db"])
        .db.session.scalars(__import__("sqlalchemy").select(Message.body).where(Message.author_id == ann.id))
        .one()
    )
    assert body == "> Could we meet?\nYes, Tuesday."


def test_only_a_quote_or_only_a_signature_posts_nothing(send, people, conversation):
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    send(email(to, ann.email, "> Could we meet?\n> Bob\n"))
    send(email(to, ann.email, "-- \nAnn Reid\nPractice lead, NHS Fife\n"))
    send(email(to, ann.email, "Sent from my iPhone\n"))
    assert count(Message, author_id=ann.id) == 0


def test_refusals_cannot_flood_the_person_with_emails(send, people, conversation):
    """Someone holding one of the person's reply addresses (a forwarded email) sends many bad replies."""
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    for _ in range(30):
        send(email(to, ann.email, "> only a quote\n"))
    assert log() == ["empty"] * 30
    assert len(told(ann)) == 3


def test_one_email_to_many_reply_addresses_is_capped(reply_server, people, conversation):
    ann, _ = people
    recipients = [address(ann, "conversation", conversation.id) for _ in range(60)]
    from champions.extensions import db

    db.session.commit()
    with smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp:
        smtp.ehlo()
        smtp.mail(ann.email)
        codes = [smtp.rcpt(to)[0] for to in recipients]
    assert codes.count(250) == commands.MAX_RECIPIENTS and codes[-1] == 452


def test_the_log_never_holds_addresses_or_words(send, reply_server, people, conversation, caplog):
    ann, _ = people
    caplog.set_level(logging.INFO)
    to = address(ann, "conversation", conversation.id)
    message = email(to, ann.email, "A secret about my client")
    message.replace_header("Message-ID", "<20261201.ann.reid@example.org>")
    send(message)
    from champions.extensions import db

    db.session.commit()
    with smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp:
        smtp.ehlo()
        smtp.mail(ann.email)
        assert smtp.rcpt("someone.private@example.org")[0] == 550
    text = caplog.text.lower()
    assert log() == ["posted"]
    for secret in ("ann.reid", "someone.private", "secret about", to.split("@")[0]):
        assert secret not in text


def test_one_bad_connection_does_not_stop_the_server(send, reply_server, people, conversation):
    ann, _ = people
    with smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp:
        smtp.ehlo()
        smtp.mail(ann.email)
        smtp.rcpt(address(ann, "conversation", conversation.id))
        code, _ = smtp.data(b"From: x\r\n" + b"X" * 5000 + b"\r\n\r\nbody\r\n")
        assert code >= 500
    send(email(address(ann, "conversation", conversation.id), ann.email))
    assert log() == ["posted"]
    assert count(Message, author_id=ann.id) == 1


def test_an_email_of_very_many_parts_is_refused_before_it_is_parsed(reply_server, people, conversation):
    ann, _ = people
    to = address(ann, "conversation", conversation.id)
    parts = "".join("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(400))
    raw = (
        f"From: {ann.email}\r\nTo: {to}\r\nMessage-ID: <many@x.example>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: multipart/mixed; boundary=b\r\n\r\n{parts}--b--\r\n"
    )
    _commit_then(lambda: _raw(reply_server, ann.email, to, raw.encode()))
    assert count(Message, author_id=ann.id) == 0
    assert log() == ["too many parts"]


def test_a_line_that_makes_the_reply_parser_backtrack_does_not_hang_the_server(send, people, thread):
    """A 9,000-character line of "On a wrote" took mail-parser-reply about 2 seconds, and 180 kB minutes."""
    ann, _ = people
    long_line = "On a wrote " * 800
    send(email(address(ann, "thread", thread.id), ann.email, f"First line.\n{long_line}\nLast line.\n"))
    assert log() == ["posted"]
    from sqlalchemy import select

    from champions.discussions.models import Post
    from champions.extensions import db

    body = db.session.scalars(select(Post.body).where(Post.author_id == ann.id)).one()
    assert body == f"First line.\n{long_line}\nLast line."


def test_the_quote_under_a_long_reply_is_still_cut(send, people, conversation):
    ann, _ = people
    paragraph = "We talked about supervision and how to keep the notes safe. " * 20  # one long line
    body = f"{paragraph}\n\nOn Mon, 1 Dec 2026 at 10:00, Bob <bob@example.org> wrote:\n> Could we meet?\n"
    send(email(address(ann, "conversation", conversation.id), ann.email, body))
    from sqlalchemy import select

    from champions.extensions import db

    assert (
        db.session.scalars(select(Message.body).where(Message.author_id == ann.id)).one() == paragraph.strip()
    )


def test_the_emails_say_to_reply_from_the_address_they_were_sent_to(app, people, thread, outbox):
    """A reply from another address is dropped without a word (it may be forged), so the emails say so."""
    from champions.discussions import services as discussions
    from champions.messages import services as messages
    from tests.replies.conftest import DOMAIN

    app.config["REPLY_DOMAIN"] = DOMAIN
    ann, bob = people
    messages.start_conversation(bob, ann, "Two", "Hello again", form_key="attack-k1")
    discussions.save_settings(ann, "each", auto_follow=True)
    discussions.follow_thread(ann, thread)
    discussions.reply(thread, bob, "Any news?", form_key="attack-k2")
    for sent in outbox.messages(to=ann.email):
        flat = " ".join(sent.body.split())
        assert "Or reply to this email from this address" in flat, sent.subject


def test_an_injected_subject_never_reaches_the_email_back_to_the_person(send, people, thread, outbox):
    ann, _ = people
    message = email(address(ann, "thread", thread.id), ann.email)
    message.replace_header("Subject", "=?utf-8?q?Hi=0D=0ABcc=3A_mallory=40evil=2Eexample?=")
    message.clear_content()
    message.set_content("<p>Only HTML</p>", subtype="html")
    send(message)
    assert log() == ["html only"]
    [sent] = [m for m in outbox.messages(to=ann.email) if m.subject.startswith("Your reply")]
    assert sent.subject == "Your reply could not be posted"
    assert set(sent.headers) == {"Auto-Submitted"} and "mallory" not in sent.body


@pytest.fixture
def messages_refused_by_the_database(app):
    """A trigger that makes every insert of a message fail, as a full disk or a lost connection would."""
    from sqlalchemy import text

    from champions.extensions import db

    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:
        db.session.execute(
            text(
                "CREATE TRIGGER no_messages BEFORE INSERT ON messages"
                " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        )
    else:
        db.session.execute(
            text(
                "CREATE FUNCTION no_messages() RETURNS trigger"
                " AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$"
                " LANGUAGE plpgsql"
            )
        )
        db.session.execute(
            text(
                "CREATE TRIGGER no_messages BEFORE INSERT ON messages"
                " FOR EACH ROW EXECUTE FUNCTION no_messages()"
            )
        )
    db.session.commit()
    yield
    db.session.rollback()
    if sqlite:
        db.session.execute(text("DROP TRIGGER no_messages"))
    else:
        db.session.execute(text("DROP TRIGGER no_messages ON messages"))
        db.session.execute(text("DROP FUNCTION no_messages()"))
    db.session.commit()


def test_a_database_failure_asks_for_a_retry_and_logs_no_words(
    reply_server, people, conversation, messages_refused_by_the_database, caplog
):
    ann, _ = people
    caplog.set_level(logging.INFO)
    to = address(ann, "conversation", conversation.id)
    message = email(to, ann.email, "A secret about my client")
    from champions.extensions import db

    db.session.commit()
    with (
        smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp,
        pytest.raises(smtplib.SMTPDataError) as refused,
    ):
        smtp.send_message(message)
    assert refused.value.smtp_code == 451
    assert "Could not take a reply email" in caplog.text
    assert "secret about" not in caplog.text.lower() and "ann.reid" not in caplog.text.lower()


def test_a_token_has_one_spelling_whatever_the_letter_case(app, people):
    """Upper-casing "ß" gives "SS" and "ﬀ" gives "FF": a token spelt with them is not the portal's."""
    from champions import reply_address

    ann, _ = people
    token = next(
        t
        for t in (reply_address.make_token(ann.id, "thread", n) for n in range(1, 500))
        if "ss" in t or "ff" in t
    )
    assert reply_address.read_token(token.upper()).user_id == ann.id
    for twin in (token.replace("ss", "ß", 1), token.replace("ff", "\ufb00", 1)):
        if twin != token:
            with pytest.raises(reply_address.TokenInvalid):
                reply_address.read_token(twin)
