"""Subjects composed from an event title fit the outbox's subject column on every engine (#12 defect 4)."""

from datetime import timedelta

from champions.clock import utcnow
from champions.events import services
from champions.events.models import Event
from champions.extensions import db
from champions.mail import OutboxMessage

LONGEST = 200  # the event form's limit on a title
SUBJECT_COLUMN = OutboxMessage.subject.property.columns[0].type.length


def _subjects() -> list[str]:
    db.session.rollback()
    return db.session.scalars(db.select(OutboxMessage.subject)).all()


def test_a_long_title_is_shortened_with_an_ellipsis_inside_the_subject():
    subject = Event(title="T" * LONGEST).subject("Cancelled: ")
    assert len(subject) == SUBJECT_COLUMN
    assert subject.startswith("Cancelled: TTT") and subject.endswith("…")
    assert Event(title="Short title").subject("Reminder: ") == "Reminder: Short title"


def test_send_reminders_queues_for_every_event_when_one_title_is_the_longest(app, make_event, make_user):
    soon = utcnow().replace(microsecond=0) + timedelta(hours=20)
    long_event = make_event(title="L" * LONGEST, starts_at=soon)
    plain_event = make_event(title="Plain", starts_at=soon)
    for event in (long_event, plain_event):
        services.register(event, make_user())
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Queued 2 event reminders" in result.output
    subjects = _subjects()
    assert sorted(subjects)[-1] == "Reminder: Plain"
    assert len(subjects) == 2 and all(len(s) <= SUBJECT_COLUMN for s in subjects)


def test_a_freed_seat_with_the_longest_title_promotes_the_next_person(make_event, make_user):
    event = make_event(title="P" * LONGEST, capacity=1)
    first, waiting = make_user(), make_user()
    held = services.register(event, first)
    services.register(event, waiting)
    services.cancel_registration(held)
    subjects = _subjects()
    assert any(s.startswith("A place has come up: PPP") for s in subjects)
    assert all(len(s) <= SUBJECT_COLUMN for s in subjects)
