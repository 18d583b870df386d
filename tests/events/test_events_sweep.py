"""Every events and resources page, as every role, for every kind of event: never a 500."""

from datetime import timedelta

import pytest

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.events import services
from champions.extensions import db

PAGES = [
    "/events",
    "/events/past",
    "/events.ics",
    "/resources",
    "/resources?level=trauma-skilled",
    "/events/new",
    "/resources/new",
]
EVENT_PAGES = [
    "",
    "/event.ics",
    "/register",
    "/cancel-registration",
    "/feedback",
    "/edit",
    "/attendees",
    "/attendees.csv",
    "/email",
    "/cancel",
    "/report",
    "/report.md",
]


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.CHAMPION, Role.COORDINATOR, Role.ADMIN])
def test_no_page_fails(client, as_role, make_event, make_user, coordinator, role):
    user = as_role(role)
    upcoming = make_event(capacity=1)
    draft = make_event(publish=False)
    cancelled = make_event()
    services.cancel_event(coordinator, cancelled)
    past = make_event(starts_at=utcnow().replace(microsecond=0) + timedelta(days=1))
    if user:
        services.register(past, user)
        services.register(upcoming, user)
    past.starts_at -= timedelta(days=3)
    past.ends_at -= timedelta(days=3)
    db.session.commit()
    urls = PAGES + [
        f"/events/{e.id}{suffix}" for e in (upcoming, draft, cancelled, past) for suffix in EVENT_PAGES
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert response.status_code in (200, 302, 400, 403, 404), (url, response.status_code)
