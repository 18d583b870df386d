"""Factories for the events and resources tests."""

from datetime import timedelta

import pytest

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.events import services
from champions.events.models import EventFormat, EventType
from champions.extensions import db
from champions.resources.models import Resource


@pytest.fixture
def coordinator(make_user):
    return make_user(role=Role.COORDINATOR, name="Morag Coordinator")


@pytest.fixture
def make_event(coordinator):
    def make(owner=None, publish=True, **values):
        starts = values.pop("starts_at", utcnow().replace(microsecond=0) + timedelta(days=10))
        data = {
            "title": "Trauma-informed practice workshop",
            "description": "A **calm** session.",
            "event_type": EventType.TRAINING.value,
            "format": EventFormat.ONLINE.value,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "joining_link": "https://meet.example.org/secret-room",
        }
        data.update(values)
        event = services.create_event(owner or coordinator, data)
        if publish:
            services.publish_event(owner or coordinator, event)
        return event

    return make


@pytest.fixture
def make_resource(app):
    def make(**values):
        data = {
            "title": "Trauma-informed practice",
            "provider": "NHS Education for Scotland",
            "format": "e-learning",
            "url": "https://www.nes.scot.nhs.uk/",
            "description": "Level 1",
        }
        data.update(values)
        resource = Resource(**data)
        db.session.add(resource)
        db.session.commit()
        return resource

    return make
