"""Feedback, pledges, reminders and follow-ups: each sent once, with one-click signed answers."""

from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from champions import mail
from champions.clock import utcnow
from champions.events import services
from champions.events.models import Feedback, Pledge, Registration, ReminderSent
from champions.events.services import followups
from champions.extensions import db

BASE = "https://portal.example.test"


@pytest.fixture
def past_event(make_event, make_user):
    """An event that ended yesterday, with one confirmed attendee; returns (event, person)."""

    def make(**values):
        event = make_event(starts_at=utcnow().replace(microsecond=0) + timedelta(days=3), **values)
        person = make_user()
        services.register(event, person)
        event.starts_at -= timedelta(days=5)
        event.ends_at -= timedelta(days=5)
        db.session.commit()
        return event, person

    return make


def feedback_form(**overrides):
    data = {
        "rating": "4",
        "barriers": "Not enough time",
        "enablers": "Leaders who listen",
        "pledges": ["disseminate", "wellbeing"],
        "own_pledge": "Start a peer group",
    }
    data.update(overrides)
    return data


def test_feedback_with_pledges(client, sign_in, past_event):
    event, person = past_event()
    sign_in(person)
    assert "Tell us how it went" in client.get(f"/events/{event.id}").get_data(as_text=True)
    response = client.post(f"/events/{event.id}/feedback", data=feedback_form())
    assert response.headers["Location"] == f"/events/{event.id}"
    feedback = db.session.scalar(db.select(Feedback))
    assert feedback.user_id == person.id and feedback.rating == 4
    assert [(p.kind, p.text) for p in feedback.pledges] == [
        ("disseminate", ""),
        ("wellbeing", ""),
        ("own", "Start a peer group"),
    ]
    # Only once.
    response = client.post(f"/events/{event.id}/feedback", data=feedback_form(), follow_redirects=True)
    assert "already given feedback" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Feedback.id))) == 1


def test_anonymous_feedback_keeps_no_link(client, sign_in, past_event):
    event, person = past_event()
    sign_in(person)
    client.post(f"/events/{event.id}/feedback", data=feedback_form(anonymous="y"))
    feedback = db.session.scalar(db.select(Feedback))
    assert feedback.user_id is None and all(p.user_id is None for p in feedback.pledges)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"rating": ""}, "Choose how useful the event was"),
        ({"rating": "11"}, "Choose how useful the event was"),
        ({"pledges": ["fly-to-the-moon"]}, "Choose actions from the list"),
        ({"barriers": "x" * 10_000}, "can be up to 3,000 characters"),
    ],
)
def test_feedback_bad_input(client, sign_in, past_event, overrides, message):
    event, person = past_event()
    sign_in(person)
    response = client.post(f"/events/{event.id}/feedback", data=feedback_form(**overrides))
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Feedback)) is None


def test_feedback_refused_before_the_end_and_for_non_attendees(client, sign_in, make_user, make_event):
    event = make_event()
    person = make_user()
    services.register(event, person)
    sign_in(person)
    response = client.post(f"/events/{event.id}/feedback", data=feedback_form(), follow_redirects=True)
    assert "once the event has ended" in response.get_data(as_text=True)
    client.post("/account/sign-out")
    sign_in(make_user())
    response = client.get(f"/events/{event.id}/feedback", follow_redirects=True)
    assert "for people who had a place" in response.get_data(as_text=True)


def test_reminders_7_and_1_days_before_never_twice(make_event, make_user, outbox):
    event = make_event(starts_at=utcnow().replace(microsecond=0) + timedelta(days=10))
    person, waiting = make_user(), make_user()
    event.capacity = 1
    services.register(event, person)
    services.register(event, waiting)
    now = utcnow()
    assert services.send_reminders(now) == 0
    assert services.send_reminders(now + timedelta(days=3, hours=1)) == 1
    assert services.send_reminders(now + timedelta(days=3, hours=2)) == 0
    assert services.send_reminders(now + timedelta(days=9, hours=1)) == 1
    assert services.send_reminders(now + timedelta(days=9, hours=5)) == 0
    assert [m.subject for m in outbox.messages(person.email)] == [f"Reminder: {event.title}"] * 2
    assert outbox.messages(waiting.email) == []
    assert sorted(r.days_before for r in db.session.scalars(db.select(ReminderSent))) == [1, 7]
    assert "secret-room" not in outbox.messages(person.email)[0].body


def test_followups_at_30_and_90_days_with_one_click_answers(client, sign_in, past_event, outbox):
    event, person = past_event()
    sign_in(person)
    client.post(f"/events/{event.id}/feedback", data=feedback_form(pledges=["disseminate"], own_pledge=""))
    client.post("/account/sign-out")
    now = utcnow()
    assert services.send_followups(now + timedelta(days=29)) == 0
    assert services.send_followups(now + timedelta(days=31)) == 1
    assert services.send_followups(now + timedelta(days=32)) == 0
    [message] = outbox.messages(person.email)
    assert "Disseminate information to staff" in message.body
    links = outbox.links(person.email)
    in_progress = next(
        link
        for link in links
        if "/events/pledges/" in link and services.read_token(link.rsplit("/", 1)[1])[1] == "in-progress"
    )
    response = client.post(in_progress.removeprefix(BASE))
    assert response.status_code == 200 and "In progress" in response.get_data(as_text=True)
    pledge = db.session.scalar(db.select(Pledge))
    assert pledge.progress == "in-progress"
    assert services.send_followups(now + timedelta(days=91)) == 1
    done = [
        link
        for link in outbox.links(person.email)
        if services.read_token(link.rsplit("/", 1)[1])[1] == "done"
    ]
    client.post(done[-1].removeprefix(BASE))
    assert pledge.progress == "done"
    assert services.send_followups(now + timedelta(days=200)) == 0


def test_stop_link_ends_followups(client, past_event, sign_in):
    event, person = past_event()
    sign_in(person)
    client.post(f"/events/{event.id}/feedback", data=feedback_form(pledges=["wellbeing"], own_pledge=""))
    pledge = db.session.scalar(db.select(Pledge))
    client.post(f"/events/pledges/{services.pledge_token(pledge, 'stop')}")
    assert pledge.followups_stopped
    assert services.send_followups(utcnow() + timedelta(days=40)) == 0


def test_opening_an_answer_link_only_asks_for_confirmation(client, past_event, sign_in):
    event, person = past_event()
    sign_in(person)
    client.post(f"/events/{event.id}/feedback", data=feedback_form(pledges=["wellbeing"], own_pledge=""))
    client.post("/account/sign-out")
    pledge = db.session.scalar(db.select(Pledge))
    response = client.get(f"/events/pledges/{services.pledge_token(pledge, 'done')}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'method="post"' in page and "Done" in page
    db.session.refresh(pledge)
    assert pledge.progress is None and pledge.progress_at is None
    stop = client.get(f"/events/pledges/{services.pledge_token(pledge, 'stop')}")
    assert stop.status_code == 200 and 'method="post"' in stop.get_data(as_text=True)
    db.session.refresh(pledge)
    assert not pledge.followups_stopped


def test_posting_an_answer_twice_is_harmless(client, past_event, sign_in):
    event, person = past_event()
    sign_in(person)
    client.post(f"/events/{event.id}/feedback", data=feedback_form(pledges=["wellbeing"], own_pledge=""))
    client.post("/account/sign-out")
    pledge = db.session.scalar(db.select(Pledge))
    url = f"/events/pledges/{services.pledge_token(pledge, 'done')}"
    first = client.post(url)
    assert first.status_code == 200 and "We have noted your answer" in first.get_data(as_text=True)
    db.session.refresh(pledge)
    answered_at = pledge.progress_at
    second = client.post(url)
    assert second.status_code == 200
    db.session.refresh(pledge)
    assert pledge.progress == "done" and pledge.progress_at == answered_at


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "a" * 3000,
        "é",
        "..",
        "eyJwIjoxLCJhIjoiZG9uZSJ9.tampered.signature",
    ],
)
def test_bad_tokens_get_a_kind_page(client, token):
    response = client.get(f"/events/pledges/{token}")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "This link no longer works" in response.get_data(as_text=True)


def test_tampered_and_expired_tokens(client, app, past_event, sign_in, monkeypatch):
    event, person = past_event()
    sign_in(person)
    client.post(f"/events/{event.id}/feedback", data=feedback_form(pledges=["wellbeing"], own_pledge=""))
    pledge = db.session.scalar(db.select(Pledge))
    token = services.pledge_token(pledge, "done")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/events/pledges/{tampered}").status_code == 400
    forged = URLSafeTimedSerializer("wrong-key", salt="events.pledge").dumps({"p": pledge.id, "a": "done"})
    assert client.get(f"/events/pledges/{forged}").status_code == 400
    odd = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="events.pledge").dumps(
        {"p": "x", "a": "done"}
    )
    assert client.get(f"/events/pledges/{odd}").status_code == 400
    monkeypatch.setattr(followups, "TOKEN_MAX_AGE", -1)
    response = client.get(f"/events/pledges/{token}")
    assert response.status_code == 400 and "This link no longer works" in response.get_data(as_text=True)
    assert pledge.progress is None


def test_reminder_and_followup_delivered_over_smtp(
    app, smtp_server, wait_for, past_event, make_event, make_user, sign_in, client
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    upcoming = make_event(starts_at=utcnow().replace(microsecond=0) + timedelta(hours=20))
    person = make_user(email="reminded@example.org")
    services.register(upcoming, person)
    assert services.send_reminders() == 1
    event, attendee = past_event()
    services.give_feedback(
        event,
        db.session.scalars(db.select(Registration).where(Registration.user_id == attendee.id)).one(),
        {
            "rating": 5,
            "barriers": "",
            "enablers": "",
            "pledges": ["culture-change"],
            "own_pledge": "",
            "anonymous": False,
        },
    )
    assert services.send_followups(utcnow() + timedelta(days=31)) == 1
    assert mail.deliver_pending()["sent"] == 2
    assert wait_for(lambda: len(smtp_server.messages) == 2)
    bodies = {m.rcpt_tos[0]: m.content.decode() for m in smtp_server.messages}
    assert "Reminder:" in bodies["reminded@example.org"]
    assert "/events/pledges/" in bodies[attendee.email]
