"""A second identical feedback is a calm no-op (issue #12 item 5): one feedback and one set of pledges."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from champions.clock import utcnow
from champions.events import services
from champions.events.models import Feedback, Pledge
from champions.extensions import db

VALUES = {
    "rating": 4,
    "barriers": "Time",
    "enablers": "Leaders",
    "pledges": ["disseminate"],
    "own_pledge": "Start a peer group",
    "anonymous": True,
}


def test_feedback_read_before_the_first_was_saved_is_stored_once(make_event, make_user):
    event = make_event(starts_at=utcnow().replace(microsecond=0) + timedelta(days=3))
    person = make_user()
    registration = services.register(event, person)
    event.starts_at -= timedelta(days=5)
    event.ends_at -= timedelta(days=5)
    db.session.commit()
    services.give_feedback(event, registration, VALUES)
    # A twin request read the registration before the first feedback was saved.
    set_committed_value(registration, "feedback_given", False)
    with pytest.raises(services.FeedbackNotAllowed, match="already given feedback"):
        services.give_feedback(event, registration, VALUES)
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 1
    assert db.session.scalar(select(func.count()).select_from(Pledge)) == 2
