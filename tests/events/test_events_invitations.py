"""After an event, people marked as attended are invited once to give feedback (#12 defect 14)."""

from datetime import timedelta

from champions.clock import utcnow
from champions.events import services
from champions.events.models import Registration
from champions.extensions import db

BASE = "http://localhost"


def _ended_event(make_event, make_user, coordinator, ended_ago=timedelta(hours=2)):
    """An event that ended a while ago; returns (event, attended person, absent person)."""
    event = make_event()
    came, absent = make_user(), make_user()
    for person in (came, absent):
        services.register(event, person)
    length = event.ends_at - event.starts_at
    event.ends_at = utcnow().replace(microsecond=0) - ended_ago
    event.starts_at = event.ends_at - length
    db.session.commit()
    [registration] = db.session.scalars(db.select(Registration).where(Registration.user_id == came.id))
    services.mark_attendance(coordinator, event, {registration.id})
    return event, came, absent


def test_send_followups_invites_each_attendee_once(app, make_event, make_user, coordinator, outbox):
    event, came, absent = _ended_event(make_event, make_user, coordinator)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-followups"])
    assert first.exit_code == 0 and "Queued 1 feedback invitation." in first.output
    [message] = outbox.messages(came.email)
    assert message.subject == f"Tell us how it went: {event.title}"
    assert f"/events/{event.id}/feedback" in message.body
    assert outbox.messages(absent.email) == []
    again = runner.invoke(args=["send-followups"])
    assert "Queued 0 feedback invitations" in again.output
    assert len(outbox.messages(came.email)) == 1


def test_no_invitation_before_the_end_after_feedback_or_long_after(
    make_event, make_user, coordinator, outbox
):
    running, came, _ = _ended_event(make_event, make_user, coordinator, ended_ago=timedelta(hours=-1))
    assert services.send_feedback_invitations() == 0
    assert services.send_feedback_invitations(utcnow() + timedelta(hours=2)) == 1
    old, _, _ = _ended_event(make_event, make_user, coordinator, ended_ago=timedelta(days=60))
    answered, person, _ = _ended_event(make_event, make_user, coordinator)
    registration = db.session.scalar(db.select(Registration).where(Registration.user_id == person.id))
    registration.feedback_given = True
    db.session.commit()
    assert services.send_feedback_invitations(utcnow() + timedelta(hours=2)) == 0
