"""Event data in the export: places and the needs told to organisers, feedback and pledges with answers."""

import json
from datetime import timedelta

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.events import services as events
from champions.events.models import Event, Registration
from champions.extensions import db


def _past_event(organiser) -> Event:
    now = utcnow()
    event = Event(
        title="Deep dive: trauma-informed housing",
        event_type="deep-dive",
        format="online",
        status="published",
        starts_at=now - timedelta(days=40),
        ends_at=now - timedelta(days=40, hours=-2),
        created_by=organiser,
    )
    db.session.add(event)
    db.session.commit()
    return event


def test_feedback_pledges_and_answers_are_in_the_export_and_anonymous_feedback_is_not(
    app, client, make_user, sign_in, export_zip
):
    organiser = make_user(role=Role.COORDINATOR, email="organiser@example.org")
    person, other = make_user(), make_user(email="someone.else@example.org")
    event = _past_event(organiser)
    mine = Registration(event=event, user=person, status="confirmed", needs="Step-free access, please")
    theirs = Registration(event=event, user=other, status="confirmed", needs="Their own private need")
    db.session.add_all([mine, theirs])
    db.session.commit()
    values = {"rating": 5, "barriers": "Time", "enablers": "My manager", "pledges": ["wellbeing"]}
    feedback = events.give_feedback(
        event, mine, {**values, "own_pledge": "Run a team huddle", "anonymous": False}
    )
    events.give_feedback(event, theirs, {**values, "own_pledge": "Their own pledge", "anonymous": False})
    events.record_answer(feedback.pledges[0], "done")
    sign_in(person)

    archive = export_zip(person)
    data = json.loads(archive.read("data.json"))
    [registration] = data["events"]["registrations"]
    assert registration["needs_told_to_organisers"] == "Step-free access, please"
    [given] = data["events"]["feedback"]
    assert (given["rating"], given["barriers"], given["enablers"]) == (5, "Time", "My manager")
    assert [(p["action"], p["progress"]) for p in given["pledges"]] == [
        ("Support staff wellbeing", "done"),
        ("Run a team huddle", None),
    ]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for private in (
        b"Their own private need",
        b"Their own pledge",
        b"someone.else@example.org",
        b"organiser@",
    ):
        assert private not in everything


def test_an_organiser_finds_the_events_they_organise_but_not_their_registrants(
    app, client, make_user, sign_in, export_zip
):
    organiser = make_user(role=Role.COORDINATOR)
    attendee = make_user(email="attendee@example.org")
    event = _past_event(organiser)
    db.session.add(Registration(event=event, user=attendee, status="confirmed", needs="A private need"))
    db.session.commit()
    sign_in(organiser)
    archive = export_zip(organiser)
    data = json.loads(archive.read("data.json"))
    assert [e["event"] for e in data["events"]["events_organised"]] == [event.title]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"attendee@example.org" not in everything and b"A private need" not in everything
