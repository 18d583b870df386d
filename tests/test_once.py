"""One-time form keys (champions/once.py): the same form sent again acts once and lands on the same page;
a fresh page gives a fresh key, so a second event on purpose is still possible."""

import re
import uuid

from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.events import services as events
from champions.events.models import Event
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.once import FormSubmission
from champions.resources.models import Resource
from tests.events.test_events_forms import event_form


def _key(html: str) -> str:
    return re.search(r'name="form_key"[^>]*value="([^"]+)"', html).group(1)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_new_event_form_sent_twice_makes_one_event(client, as_role):
    as_role(Role.COORDINATOR)
    key = _key(client.get("/events/new").get_data(as_text=True))
    first = client.post("/events/new", data=event_form(form_key=key))
    second = client.post("/events/new", data=event_form(form_key=key))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(Event) == 1


def test_a_fresh_page_gives_a_fresh_key(client, as_role):
    as_role(Role.COORDINATOR)
    keys = {_key(client.get("/events/new").get_data(as_text=True)) for _ in range(2)}
    assert len(keys) == 2
    for key in keys:
        client.post("/events/new", data=event_form(form_key=key))
    assert _count(Event) == 2


def test_an_odd_or_missing_key_still_acts_once_per_submission(client, as_role):
    as_role(Role.COORDINATOR)
    for key in ("", "not-a-uuid", "x" * 500, "\u2028"):
        assert client.post("/events/new", data=event_form(form_key=key)).status_code == 302
    assert _count(Event) == 4


def test_a_form_with_errors_keeps_its_key(client, as_role):
    as_role(Role.COORDINATOR)
    key = str(uuid.uuid4())
    html = client.post("/events/new", data=event_form(form_key=key, title="")).get_data(as_text=True)
    assert _key(html) == key and _count(FormSubmission) == 0


def test_the_new_resource_form_sent_twice_adds_one(client, as_role):
    as_role(Role.COORDINATOR)
    key = _key(client.get("/resources/new").get_data(as_text=True))
    data = {
        "title": "A guide",
        "provider": "NHS Education for Scotland",
        "format": "guide",
        "url": "https://example.org/guide",
        "form_key": key,
    }
    before = _count(Resource)
    responses = [client.post("/resources/new", data=data) for _ in range(2)]
    assert [r.status_code for r in responses] == [302, 302]
    assert _count(Resource) == before + 1


def test_an_email_to_attendees_sent_twice_goes_once(client, as_role, make_user):
    as_role(Role.COORDINATOR)
    client.post("/events/new", data=event_form())
    event = db.session.scalar(select(Event))
    events.publish_event(event.created_by, event)
    events.register(event, make_user(email="attendee@example.org"))
    key = _key(client.get(f"/events/{event.id}/email").get_data(as_text=True))
    data = {"subject": "Room change", "body": "We meet in room 2.", "form_key": key}
    before = _count(OutboxMessage)
    first = client.post(f"/events/{event.id}/email", data=data)
    second = client.post(f"/events/{event.id}/email", data=data, follow_redirects=True)
    assert first.headers["Location"].endswith(f"/events/{event.id}/attendees")
    assert "This message was sent already" in second.get_data(as_text=True)
    sent = db.session.scalars(select(OutboxMessage.subject).offset(before)).all()
    assert sent.count("Room change") == 1
