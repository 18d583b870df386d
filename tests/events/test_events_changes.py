"""Moving an event's date, time or place tells everyone registered or waiting (#12 defect 14)."""

from datetime import timedelta

from champions.events import services


def _values(event, **changes) -> dict:
    values = {
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "format": event.format,
        "venue": event.venue,
        "address": event.address,
        "joining_link": event.joining_link,
        "description": event.description,
    }
    values.update(changes)
    return values


def test_moving_the_date_emails_everyone_registered_or_waiting(make_event, make_user, coordinator, outbox):
    event = make_event(capacity=1)
    booked, waiting, left = make_user(), make_user(), make_user()
    services.register(event, booked)
    services.register(event, waiting)
    gone = services.register(event, left)
    services.cancel_registration(gone)
    later = event.starts_at + timedelta(days=2)
    services.update_event(
        coordinator, event, _values(event, starts_at=later, ends_at=later + timedelta(hours=2))
    )
    for person in (booked, waiting):
        [message] = outbox.messages(person.email)
        assert message.subject == f"Changed: {event.title}"
        assert "Date and time" in message.body and later.strftime("%Y") in message.body
        assert "secret-room" not in message.body
    assert outbox.messages(left.email) == []


def test_moving_the_place_or_joining_details_says_what_changed(make_event, make_user, coordinator, outbox):
    event = make_event()
    person = make_user()
    services.register(event, person)
    services.update_event(
        coordinator, event, _values(event, joining_link="https://meet.example.org/new-room")
    )
    [message] = outbox.messages(person.email)
    assert "Joining details" in message.body and "Date and time" not in message.body
    services.update_event(coordinator, event, _values(event, format="in-person", venue="Leith Hall"))
    assert "Place" in outbox.messages(person.email)[-1].body


def test_other_changes_email_nobody(make_event, make_user, coordinator, outbox):
    event = make_event()
    services.register(event, make_user())
    services.update_event(coordinator, event, _values(event, description="New words."))
    services.update_event(coordinator, event, _values(event))
    assert outbox.messages() == []
