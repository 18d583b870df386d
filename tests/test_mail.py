"""The outbox: queued with the change, delivered once over real SMTP, retried with backoff."""

from datetime import timedelta

from champions import mail
from champions.clock import utcnow
from champions.extensions import db


def _use(app, smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)


def test_delivers_over_smtp_once(app, smtp_server, make_user):
    _use(app, smtp_server)
    user = make_user(email="reader@example.org")
    mail.queue(
        user.email, "Reset your password", "accounts/reset_password", user=user, reset_url="https://x/y"
    )
    db.session.commit()
    assert mail.deliver_pending() == {"sent": 1, "retry": 0, "failed": 0, "unknown": 0}
    assert mail.deliver_pending() == {"sent": 0, "retry": 0, "failed": 0, "unknown": 0}
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == ["reader@example.org"]
    assert b"Subject: Reset your password" in envelope.content


def test_mail_is_queued_only_with_its_change(app, make_user):
    user = make_user()
    mail.queue(user.email, "Hello", "accounts/verify_email", user=user, verify_url="https://x")
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(mail.OutboxMessage.id))) == 0


def test_failure_is_retried_with_backoff_then_given_up(app, make_user):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there
    user = make_user()
    message = mail.queue(user.email, "Hello", "accounts/verify_email", user=user, verify_url="https://x")
    db.session.commit()
    now = utcnow()
    assert mail.deliver_pending(now=now)["retry"] == 1
    assert message.status == "pending" and message.next_attempt_at > now
    assert mail.deliver_pending(now=now)["retry"] == 0  # not due yet
    for _ in range(mail.MAX_ATTEMPTS):
        mail.deliver_pending(now=message.next_attempt_at + timedelta(seconds=1))
    assert message.status == "failed" and message.attempts == mail.MAX_ATTEMPTS
    assert message.last_error


def test_claimed_message_is_not_sent_again(app, smtp_server, make_user):
    _use(app, smtp_server)
    user = make_user()
    message = mail.queue(user.email, "Hello", "accounts/verify_email", user=user, verify_url="https://x")
    db.session.commit()
    message.status = "sending"  # another worker is sending it right now
    db.session.commit()
    assert mail.deliver_pending()["sent"] == 0
    assert smtp_server.messages == []


def test_development_writes_mail_to_the_log(app, make_user, caplog):
    user = make_user()
    mail.queue(user.email, "Hello there", "accounts/verify_email", user=user, verify_url="https://x/verify")
    db.session.commit()
    with caplog.at_level("INFO", logger="champions.mail"):
        assert mail.deliver_pending()["sent"] == 1
    assert "Hello there" in caplog.text


def test_a_message_stuck_in_sending_is_marked_unknown_not_resent(app, smtp_server, make_user):
    _use(app, smtp_server)
    user = make_user()
    message = mail.queue(user.email, "Hello", "accounts/verify_email", user=user, verify_url="https://x")
    db.session.commit()
    message.status, message.claimed_at = "sending", utcnow() - timedelta(hours=1)
    db.session.commit()
    assert mail.deliver_pending()["unknown"] == 1
    assert message.status == "unknown" and smtp_server.messages == []


def test_one_broken_message_does_not_stop_the_others(app, smtp_server, make_user):
    _use(app, smtp_server)
    user = make_user()
    broken = mail.queue(
        user.email,
        "Bad",
        "accounts/verify_email",
        headers={"X-Bad": "line\nbreak"},
        user=user,
        verify_url="x",
    )
    mail.queue(user.email, "Good", "accounts/verify_email", user=user, verify_url="https://x")
    db.session.commit()
    counts = mail.deliver_pending()
    assert counts["sent"] == 1 and counts["retry"] == 1
    assert broken.status == "pending" and broken.last_error
