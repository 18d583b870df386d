"""Counts in words: "1 person", "2 people", "0 people", never "the 1 people"."""

from datetime import timedelta

import pytest
from flask import render_template_string

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.events import services
from champions.events.models import EventFormat, EventType
from champions.extensions import db
from champions.small_numbers import plural


@pytest.mark.parametrize(
    "count, words",
    [(0, "0 people"), (1, "1 person"), (2, "2 people")],
)
def test_people(app, count, words):
    assert plural(count, "person") == words
    assert render_template_string("{{ n|plural('person') }}", n=count) == words


@pytest.mark.parametrize(
    "count, singular, plural_form, words",
    [
        (0, "reply", "replies", "0 replies"),
        (1, "reply", "replies", "1 reply"),
        (2, "place", "", "2 places"),
        (1, "case study", "case studies", "1 case study"),
        (2, "case study", "case studies", "2 case studies"),
    ],
)
def test_other_nouns(app, count, singular, plural_form, words):
    assert plural(count, singular, plural_form) == words


@pytest.fixture
def event_for(make_user):
    def make(people: int):
        coordinator = make_user(role=Role.COORDINATOR)
        starts = utcnow().replace(microsecond=0) + timedelta(days=10)
        event = services.create_event(
            coordinator,
            {
                "title": "Network meeting",
                "description": "",
                "event_type": EventType.TRAINING.value,
                "format": EventFormat.ONLINE.value,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=1),
                "joining_link": "",
            },
        )
        services.publish_event(coordinator, event)
        for _ in range(people):
            services.register(event, make_user())
        return event, coordinator

    return make


@pytest.mark.parametrize(
    "people, words",
    [
        (0, "No one has a place or is waiting yet, so the message was not sent."),
        (1, "Your message is on its way to 1 person."),
        (2, "Your message is on its way to 2 people."),
    ],
)
def test_emailing_everyone_says_how_many(client, sign_in, event_for, people, words):
    event, coordinator = event_for(people)
    sign_in(coordinator)
    response = client.post(
        f"/events/{event.id}/email", data={"subject": "Room", "body": "Room 2."}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert words in page and "1 people" not in page


@pytest.mark.parametrize(
    "people, words",
    [
        (0, "The event is cancelled. No one had registered, so there is no one to tell."),
        (1, "The event is cancelled. We are emailing the 1 person who registered."),
        (2, "The event is cancelled. We are emailing the 2 people who registered."),
    ],
)
def test_cancelling_says_how_many_are_told(client, sign_in, event_for, people, words):
    event, coordinator = event_for(people)
    sign_in(coordinator)
    response = client.post(f"/events/{event.id}/cancel", data={"reason": ""}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert words in page and "1 people" not in page


def test_the_events_list_says_1_event_and_1_place_left(client, event_for):
    event, _coordinator = event_for(1)
    event.capacity = 2
    page = client.get("/events").get_data(as_text=True)
    assert "1 event." in page and "1 place left" in page


def test_the_audit_log_says_1_recipient(client, sign_in, event_for):
    event, coordinator = event_for(1)
    sign_in(coordinator)
    client.post(f"/events/{event.id}/email", data={"subject": "Room", "body": "Room 2."})
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "event.email"))
    assert entry.detail == "Room; 1 recipient"
