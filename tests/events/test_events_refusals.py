"""Each named refusal an events service raises reaches the person as a calm message, never a 500."""

from datetime import timedelta

from champions.clock import utcnow
from champions.events import services
from champions.events.models import Feedback, Pledge, Registration
from champions.events.services import feedback as feedback_services
from champions.events.services import registrations as registration_services
from champions.extensions import db


def test_registration_closed_by_the_service_is_a_kind_message(
    client, make_user, sign_in, make_event, monkeypatch
):
    event = make_event(registration_deadline=utcnow() + timedelta(hours=1))
    sign_in(make_user())
    # The deadline passes between the page's check and the service's own.
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(registration_services, "utcnow", lambda: later)
    response = client.post(f"/events/{event.id}/register", data={})
    assert response.headers["Location"] == f"/events/{event.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The registration deadline for this event has passed." in page
    assert db.session.scalars(db.select(Registration)).all() == []


def test_feedback_refused_by_the_service_is_a_kind_message(
    client, make_user, sign_in, make_event, monkeypatch
):
    event = make_event(starts_at=utcnow().replace(microsecond=0) + timedelta(days=3))
    person = make_user()
    services.register(event, person)
    event.starts_at -= timedelta(days=5)
    event.ends_at -= timedelta(days=5)
    db.session.commit()
    sign_in(person)
    # The service's clock says the event has not ended, as if its dates changed meanwhile.
    earlier = event.ends_at - timedelta(hours=1)
    monkeypatch.setattr(feedback_services, "utcnow", lambda: earlier)
    response = client.post(f"/events/{event.id}/feedback", data={"rating": "4"})
    assert response.headers["Location"] == f"/events/{event.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You can give feedback once the event has ended." in page
    assert db.session.scalars(db.select(Feedback)).all() == []


def test_a_link_to_a_pledge_that_is_gone_is_a_kind_page(client, make_user, make_event):
    event = make_event()
    feedback = Feedback(event_id=event.id, rating=4)
    feedback.pledges.append(Pledge(kind="wellbeing", user_id=make_user().id))
    db.session.add(feedback)
    db.session.commit()
    pledge = feedback.pledges[0]
    token = services.pledge_token(pledge, "done")
    db.session.delete(pledge)
    db.session.commit()
    response = client.get(f"/events/pledges/{token}")
    assert response.status_code == 400
    assert "This link no longer works" in response.get_data(as_text=True)
