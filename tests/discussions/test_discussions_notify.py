"""Following, mail settings, each-post mail, daily digests, mentions and unsubscribing."""

from datetime import date, datetime
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from champions import mail
from champions.accounts.models import Role
from champions.clock import LONDON
from champions.discussions import queries, services
from champions.discussions.commands import send_digests_command
from champions.discussions.models import DigestRun, EmailMode
from champions.extensions import db


def _each(user):
    services.save_settings(user, EmailMode.EACH, True)
    return user


def _passer_by(make_user, **kw):
    """Someone who replies without following (so only the reader under test hears)."""
    user = make_user(**kw)
    services.save_settings(user, EmailMode.DIGEST, False)
    return user


def test_settings_default_to_a_daily_digest_and_can_be_changed(client, as_role):
    user = as_role(Role.MEMBER)
    assert queries.settings_for(user).email_mode == "digest" and queries.settings_for(user).auto_follow
    html = client.get("/discussions/settings").get_data(as_text=True)
    assert 'value="digest" checked' in html
    response = client.post("/discussions/settings", data={"email_mode": "each"})
    assert response.headers["Location"] == "/discussions/settings"
    assert queries.settings_for(user).email_mode == "each" and not queries.settings_for(user).auto_follow
    bad = client.post("/discussions/settings", data={"email_mode": "hourly"})
    assert bad.status_code == 200 and "Error: " in bad.get_data(as_text=True)


def test_auto_follow_can_be_turned_off(make_user, make_thread, form_key):
    thread = make_thread()
    quiet = make_user()
    services.save_settings(quiet, EmailMode.DIGEST, False)
    services.reply(thread, quiet, "Hello", form_key=form_key())
    assert not queries.is_following_thread(quiet, thread)
    keen = make_user()
    services.reply(thread, keen, "Hello", form_key=form_key())
    assert queries.is_following_thread(keen, thread)


def test_follow_and_unfollow_buttons(client, as_role, make_thread):
    thread = make_thread()
    user = as_role(Role.MEMBER)
    client.post(f"/discussions/t/{thread.id}/follow")
    assert queries.is_following_thread(user, thread)
    client.post(f"/discussions/t/{thread.id}/follow", data={"follow": "no"})
    assert not queries.is_following_thread(user, thread)
    client.post(f"/discussions/{thread.category.slug}/follow")
    assert queries.is_following_category(user, thread.category)
    client.post(f"/discussions/{thread.category.slug}/follow", data={"follow": "no"})
    assert not queries.is_following_category(user, thread.category)


def test_a_reply_emails_followers_who_chose_each_post(make_user, make_thread, outbox, form_key):
    starter = _each(make_user(email="starter@example.org"))
    thread = make_thread(author=starter, title="Night shifts")
    services.reply(thread, make_user(name="Ali Reid"), "A reply", form_key=form_key())
    [message] = outbox.messages("starter@example.org")
    assert message.subject == "New post in: Night shifts"
    assert "Ali Reid replied" in message.body
    assert message.headers["List-Unsubscribe"].startswith(
        "<https://portal.example.test/discussions/unsubscribe/"
    )
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    services.reply(thread, starter, "My own reply", form_key=form_key())
    assert len(outbox.messages("starter@example.org")) == 1  # never about your own post


def test_anonymous_posts_stay_anonymous_in_mail(make_user, make_thread, outbox, form_key):
    starter = _each(make_user(email="starter@example.org"))
    thread = make_thread(author=starter)
    services.reply(thread, make_user(name="Hidden Name"), "Quiet", anonymous=True, form_key=form_key())
    [message] = outbox.messages("starter@example.org")
    assert "A member of the network replied" in message.body and "Hidden Name" not in message.body


def test_category_followers_hear_about_new_threads(make_user, make_category, make_thread, outbox):
    category = make_category()
    follower = _each(make_user(email="follower@example.org"))
    services.follow_category(follower, category)
    make_thread(category=category, title="A new one")
    [message] = outbox.messages("follower@example.org")
    assert "started a new thread" in message.body


def test_mentions_notify(make_user, make_thread, outbox, form_key):
    fiona = _each(make_user(name="Fiona Robertson", email="fiona@example.org"))
    _each(make_user(name="Mary Jane Watson", email="mj@example.org"))
    assert services.handle_for(fiona) == "Fiona-Robertson"
    thread = make_thread()
    services.reply(
        thread,
        make_user(),
        "Thanks @fiona-robertson. And @Mary-Jane-Watson! (not me@example.org)",
        form_key=form_key(),
    )
    [message] = outbox.messages("fiona@example.org")
    assert message.subject.startswith("You were mentioned in:")
    assert len(outbox.messages("mj@example.org")) == 1


def test_content_note_posts_are_not_copied_into_mail(make_user, make_thread, outbox, form_key):
    starter = _each(make_user(email="starter@example.org"))
    thread = make_thread(author=starter)
    services.reply(thread, make_user(), "Detail", content_note="mentions suicide", form_key=form_key())
    [message] = outbox.messages("starter@example.org")
    assert "content note: mentions suicide" in message.body and "Detail" not in message.body


def test_digest_is_sent_once_a_day(app, make_user, make_thread, outbox, form_key):
    reader = make_user(email="reader@example.org")
    thread = make_thread(author=reader, title="Supervision")
    services.reply(thread, _passer_by(make_user, name="Ali Reid"), "One", form_key=form_key())
    services.reply(thread, _passer_by(make_user, name="Bea Shaw"), "Two", form_key=form_key())
    assert outbox.messages("reader@example.org") == []
    assert services.send_digests(date(2026, 11, 26)) == 1
    assert services.send_digests(date(2026, 11, 26)) == 0
    [digest] = outbox.messages("reader@example.org")
    assert "Reply from Ali Reid" in digest.body and "Reply from Bea Shaw" in digest.body
    assert "List-Unsubscribe" in digest.headers
    # A new reply later the same day waits for tomorrow.
    services.reply(thread, make_user(), "Three", form_key=form_key())
    assert services.send_digests(date(2026, 11, 26)) == 0
    assert services.send_digests(date(2026, 11, 27)) == 1
    assert db.session.scalar(select(db.func.count(DigestRun.id))) == 2


def test_send_digests_command_is_idempotent(app, make_user, make_thread, outbox, form_key):
    reader = make_user(email="reader@example.org")
    thread = make_thread(author=reader)
    services.reply(thread, make_user(), "News", form_key=form_key())
    runner = app.test_cli_runner()
    assert "Queued 1 digest." in runner.invoke(send_digests_command).output
    assert "Queued 0 digests." in runner.invoke(send_digests_command).output
    assert len(outbox.messages("reader@example.org")) == 1


def test_a_digest_day_is_a_day_in_scotland(app, make_user, make_thread, form_key, place_clock):
    place_clock(datetime(2027, 7, 1, 0, 30, tzinfo=LONDON))  # still 30 June in UTC
    thread = make_thread(author=make_user())
    services.reply(thread, make_user(), "News", form_key=form_key())
    assert services.send_digests() == 1
    assert db.session.scalar(select(DigestRun.day)) == date(2027, 7, 1)


def test_off_means_no_mail_and_hidden_posts_drop_out_of_digests(make_user, make_thread, outbox, form_key):
    quiet = make_user(email="quiet@example.org")
    services.save_settings(quiet, EmailMode.OFF, True)
    reader = make_user(email="reader@example.org")
    thread = make_thread(author=quiet)
    services.follow_thread(reader, thread)
    post = services.reply(thread, make_user(), "Later hidden", form_key=form_key())
    services.hide_post(make_user(role=Role.COORDINATOR), post)
    assert services.send_digests() == 0
    assert outbox.messages("quiet@example.org") == [] and outbox.messages("reader@example.org") == []


def test_one_click_unsubscribe(client, make_user, make_thread, outbox, form_key):
    reader = _each(make_user(email="reader@example.org"))
    thread = make_thread(author=reader)
    services.reply(thread, make_user(), "Hi", form_key=form_key())
    link = next(x for x in outbox.links("reader@example.org") if "/unsubscribe/" in x)
    path = link.removeprefix("https://portal.example.test")
    page = client.get(path)
    assert page.status_code == 200 and "Stop discussion emails" in page.get_data(as_text=True)
    assert queries.settings_for(reader).email_mode == "each"  # a GET (a link scanner) changes nothing
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert queries.settings_for(reader).email_mode == "off"


@pytest.mark.parametrize("token", ["nonsense", "eyJ1aWQiOjF9.forged", "x" * 500])
def test_a_bad_unsubscribe_token_is_refused_kindly(client, token):
    response = client.post(f"/discussions/unsubscribe/{token}")
    assert response.status_code == 400 and "This link does not work" in response.get_data(as_text=True)


def test_reply_notification_and_digest_over_real_smtp(app, smtp_server, make_user, make_thread, form_key):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    each = _each(make_user(email="each@example.org"))
    daily = make_user(email="daily@example.org")
    thread = make_thread(author=each, title="Reflective practice")
    services.follow_thread(daily, thread)
    services.reply(thread, make_user(name="Ali Reid"), "A thought", form_key=form_key())
    services.send_digests()
    assert mail.deliver_pending()["sent"] == 2
    received = {
        e.rcpt_tos[0]: message_from_bytes(e.content, policy=policy.default) for e in smtp_server.messages
    }
    assert received["each@example.org"]["Subject"] == "New post in: Reflective practice"
    assert "Ali Reid replied" in received["each@example.org"].get_content()
    assert received["daily@example.org"]["Subject"] == "Your daily summary from the discussions"
    assert "Reply from Ali Reid" in received["daily@example.org"].get_content()
    for message in received.values():
        assert message["List-Unsubscribe"].startswith("<https://portal.example.test/discussions/unsubscribe/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
