"""Events carry implementation domain tags: chosen on the form, shown on the page, and a listing filter."""

from datetime import timedelta

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.events.models import Event
from champions.extensions import db
from champions.reference.models import ImplementationDomain

from .test_events_forms import event_form


def _domain(slug: str) -> ImplementationDomain:
    return db.session.scalar(db.select(ImplementationDomain).where(ImplementationDomain.slug == slug))


def test_an_organiser_tags_an_event_and_it_shows(client, as_role):
    as_role(Role.COORDINATOR)
    response = client.post("/events/new", data=event_form(domains=["finance", "policy"]))
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert [d.slug for d in event.domains] == ["policy", "finance"]
    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="finance" checked' in edit and 'value="evaluation" checked' not in edit
    bad = client.post("/events/new", data=event_form(title="Other", domains=["astrology"]))
    assert "Choose implementation domains from the list" in bad.get_data(as_text=True)


def test_the_listing_filters_by_domain(client, make_event):
    soon = utcnow().replace(microsecond=0) + timedelta(days=5)
    make_event(title="Money matters", domains=[_domain("finance")], starts_at=soon)
    make_event(title="Leading well", domains=[_domain("governance-and-leadership")], starts_at=soon)
    page = client.get("/events?domain=finance").get_data(as_text=True)
    assert "Money matters" in page and "Leading well" not in page
    event = db.session.scalar(db.select(Event).where(Event.title == "Money matters"))
    assert "Implementation domains" in client.get(f"/events/{event.id}").get_data(as_text=True)
