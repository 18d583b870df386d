"""Two edit forms of one event: the older save is refused kindly, with the organiser's text kept."""

import re

from champions.events import services
from champions.events.models import Event
from champions.extensions import db
from tests.events.test_events_forms import event_form

STALE = "changed by someone else"


def version_in(page: str) -> str:
    [version] = re.findall(r'name="version" type="hidden" value="(\d+)"', page)
    return version


def test_an_older_event_form_does_not_overwrite_a_newer_save(client, coordinator, sign_in, make_event):
    event = make_event()
    sign_in(coordinator)
    older = version_in(client.get(f"/events/{event.id}/edit").get_data(as_text=True))
    newer = version_in(client.get(f"/events/{event.id}/edit").get_data(as_text=True))
    saved = client.post(f"/events/{event.id}/edit", data=event_form(title="The newer title", version=newer))
    assert saved.headers["Location"] == f"/events/{event.id}"

    refused = client.post(
        f"/events/{event.id}/edit",
        data=event_form(title="The older title", description="Words typed in the older tab", version=older),
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert STALE in page and "The older title" in page and "Words typed in the older tab" in page
    assert "The newer title" in page  # what the current version says
    assert db.session.get(Event, event.id).title == "The newer title"

    again = client.post(
        f"/events/{event.id}/edit", data=event_form(title="The older title", version=version_in(page))
    )
    assert again.headers["Location"] == f"/events/{event.id}"
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "The older title"


def test_an_event_form_that_names_no_version_is_refused(client, coordinator, sign_in, make_event):
    event = make_event()
    sign_in(coordinator)
    for version in (None, "", "abc", "1" * 40, "-1"):
        data = event_form(title="Typed without a version")
        if version is not None:
            data["version"] = version
        response = client.post(f"/events/{event.id}/edit", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and STALE in page and "Typed without a version" in page
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "Trauma-informed practice workshop"


def test_the_same_save_sent_twice_lands_calmly(client, coordinator, sign_in, make_event):
    event = make_event()
    sign_in(coordinator)
    version = version_in(client.get(f"/events/{event.id}/edit").get_data(as_text=True))
    data = event_form(title="Sent twice", version=version)
    assert client.post(f"/events/{event.id}/edit", data=data).headers["Location"] == f"/events/{event.id}"
    assert client.post(f"/events/{event.id}/edit", data=data).headers["Location"] == f"/events/{event.id}"


def test_replies_and_registrations_do_not_make_an_open_form_stale(
    client, coordinator, sign_in, make_event, make_user
):
    event = make_event()
    sign_in(coordinator)
    version = version_in(client.get(f"/events/{event.id}/edit").get_data(as_text=True))
    services.register(event, make_user())
    response = client.post(f"/events/{event.id}/edit", data=event_form(title="Still mine", version=version))
    assert response.headers["Location"] == f"/events/{event.id}"
