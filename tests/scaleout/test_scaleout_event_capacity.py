"""Event capacity under concurrent registrations, on SQLite as well as PostgreSQL.

Several threads (as a threaded server, or gunicorn workers on one SQLite file, would) register
at once; the event never gets more confirmed places than its capacity.
"""

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from champions.accounts.models import Role, User
from champions.clock import utcnow
from champions.events import services
from champions.events.models import Event, EventFormat, EventType, Registration
from champions.events.services import registrations
from champions.extensions import db

CAPACITY = 3
PEOPLE = 12


def test_capacity_holds_when_many_register_at_once(app, make_user):
    organiser = make_user(role=Role.COORDINATOR)
    starts = utcnow().replace(microsecond=0) + timedelta(days=5)
    event = services.create_event(
        organiser,
        {
            "title": "A workshop with three places",
            "description": "",
            "event_type": EventType.TRAINING.value,
            "format": EventFormat.ONLINE.value,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "joining_link": "https://meet.example.org/room",
            "capacity": CAPACITY,
        },
    )
    services.publish_event(organiser, event)
    event_id, user_ids = event.id, [make_user().id for _ in range(PEOPLE)]
    db.session.remove()
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def register(user_id: int) -> None:
        with app.app_context():
            try:
                the_event, person = db.session.get(Event, event_id), db.session.get(User, user_id)
                barrier.wait(timeout=20)
                registrations.register(the_event, person)
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    found = db.session.scalars(select(Registration.status).where(Registration.event_id == event_id))
    statuses = Counter(found)
    assert statuses == {"confirmed": CAPACITY, "waitlisted": PEOPLE - CAPACITY}
