"""Registration: capacity, waitlist, promotion, idempotence, closed events and concurrency."""

import threading
from datetime import timedelta

import pytest
from flask import Flask

from champions.accounts.models import User
from champions.clock import utcnow
from champions.events import services
from champions.events.models import Event, Registration
from champions.extensions import db


def statuses(event):
    return [
        r.status
        for r in db.session.scalars(
            db.select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
        )
    ]


def test_register_with_needs_and_sector(client, make_user, sign_in, make_event):
    event = make_event(capacity=2)
    member = make_user()
    sign_in(member)
    assert "Register for this event" in client.get(f"/events/{event.id}").get_data(as_text=True)
    response = client.post(
        f"/events/{event.id}/register", data={"needs": "Vegan, please", "sector": "housing"}
    )
    assert response.headers["Location"] == f"/events/{event.id}"
    [registration] = db.session.scalars(db.select(Registration)).all()
    assert registration.is_confirmed and registration.needs == "Vegan, please"
    assert registration.sector.slug == "housing"
    # Registering twice is harmless: still one row, still confirmed.
    client.post(f"/events/{event.id}/register", data={"needs": "Vegan"})
    assert statuses(event) == ["confirmed"]
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Place confirmed" in page and "https://meet.example.org/secret-room" in page
    account = client.get("/account")
    assert account.status_code == 200


def test_bad_sector_is_refused(client, make_user, sign_in, make_event):
    event = make_event()
    sign_in(make_user())
    response = client.post(f"/events/{event.id}/register", data={"sector": "nope", "needs": "x" * 10_000})
    page = response.get_data(as_text=True)
    assert "Choose a sector from the list" in page and "can be up to 2,000 characters" in page
    assert statuses(event) == []


def test_full_event_waitlists_and_cancellation_promotes(make_user, make_event, outbox, client, sign_in):
    event = make_event(capacity=2)
    people = [make_user() for _ in range(4)]
    for person in people:
        services.register(event, person)
    assert statuses(event) == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    sign_in(people[0])
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "https://meet.example.org/secret-room" in page
    client.post("/account/sign-out")
    sign_in(people[2])
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "On the waiting list" in page and "secret-room" not in page
    client.post("/account/sign-out")
    sign_in(people[0])
    assert client.get(f"/events/{event.id}/cancel-registration").status_code == 200
    client.post(f"/events/{event.id}/cancel-registration")
    assert statuses(event) == ["cancelled", "confirmed", "confirmed", "waitlisted"]
    [message] = outbox.messages(people[2].email)
    assert "A place has come up" in message.subject and f"/events/{event.id}" in message.body
    assert outbox.messages(people[3].email) == []
    # Cancelling from the waitlist promotes no one.
    services.cancel_registration(db.session.get(Registration, 4))
    assert statuses(event) == ["cancelled", "confirmed", "confirmed", "cancelled"]
    # Re-registering after cancelling works, and waits if full.
    assert services.register(event, people[0]).is_waitlisted


@pytest.mark.parametrize(
    "change, message",
    [
        ({"status": "cancelled"}, "This event has been cancelled"),
        ({"starts_at": -1}, "already started or taken place"),
        ({"registration_deadline": -1}, "registration deadline for this event has passed"),
    ],
)
def test_closed_events_refuse_clearly(client, make_user, sign_in, make_event, change, message):
    event = make_event()
    now = utcnow()
    for key, value in change.items():
        if value == -1:
            value = now - timedelta(hours=1)
            if key == "starts_at":
                event.ends_at = now + timedelta(hours=1)
        setattr(event, key, value)
    db.session.commit()
    sign_in(make_user())
    response = client.post(f"/events/{event.id}/register", data={}, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert statuses(event) == []
    with pytest.raises(services.RegistrationClosed):
        services.register(event, make_user())


def test_joining_link_hidden_from_others(client, make_user, sign_in, make_event):
    event = make_event()
    assert "secret-room" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    sign_in(make_user())
    assert "secret-room" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Shown here to people with a confirmed place" in client.get(f"/events/{event.id}").get_data(
        as_text=True
    )


def test_account_section_lists_my_events(app, make_user, make_event):
    event = make_event(title="My upcoming event")
    member = make_user()
    services.register(event, member)
    mine = services.registrations_for(member)
    assert [r.event.title for r in mine] == ["My upcoming event"]
    organised = services.events_organised_by(event.created_by_id)
    assert organised == [event]
    with app.test_request_context():
        sections = app.jinja_env.get_template("events/_sections.html").module
        assert "My upcoming event" in str(sections.account_section(mine))
        assert "My upcoming event" in str(sections.profile_section(organised))
        assert "not registered for any upcoming events" in str(sections.account_section([]))


@pytest.mark.postgres
@pytest.mark.app_config({"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 25, "max_overflow": 0}})
def test_capacity_holds_under_concurrent_registrations(app: Flask, make_user, make_event):
    event = make_event(capacity=5)
    people = [make_user() for _ in range(20)]
    event_id, user_ids = event.id, [p.id for p in people]
    db.session.remove()
    barrier = threading.Barrier(len(user_ids))
    errors = []

    def attempt(user_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)  # all start together, before any of them has a connection
                the_event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
                services.register(the_event, user)
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    found = statuses(db.session.get(type(event), event_id))
    assert found.count("confirmed") == 5
    assert found.count("waitlisted") == 15


def test_raising_capacity_promotes_the_waiting_list(make_user, make_event, coordinator, outbox):
    event = make_event(capacity=1)
    people = [make_user() for _ in range(3)]
    for person in people:
        services.register(event, person)
    services.update_event(coordinator, event, {"capacity": 2})
    assert statuses(event) == ["confirmed", "confirmed", "waitlisted"]
    assert [m.subject for m in outbox.messages(people[1].email)] == [f"A place has come up: {event.title}"]
    services.update_event(coordinator, event, {"capacity": None})
    assert statuses(event) == ["confirmed"] * 3


def test_a_full_event_offers_the_waiting_list_before_you_submit(client, make_user, sign_in, make_event):
    event = make_event(capacity=1)
    services.register(event, make_user())
    sign_in(make_user())
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "<h1" in page and "Join the waiting list</h1>" in page
    assert "The event is full" in page and "waited longest" in page
    assert ">Join the waiting list</button>" in page
    assert "Register for this event" not in page


def test_an_event_with_places_still_says_register(client, make_user, sign_in, make_event):
    event = make_event(capacity=2)
    sign_in(make_user())
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "Register for this event</h1>" in page and ">Register</button>" in page
    assert "waiting list" not in page
