"""Organisers: attendee list with needs, CSV export safe from injection, attendance, emails, cancelling."""

import csv
import io

import pytest

from champions.accounts.models import Role
from champions.events import services
from champions.events.models import Registration
from champions.extensions import db
from champions.spreadsheet import safe_cell as csv_safe


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Plain", "Plain"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_attendees_csv_and_attendance(client, make_user, sign_in, make_event, coordinator):
    event = make_event(capacity=1)
    evil = make_user(name="=cmd|' /C calc'!A0")
    other = make_user(name="Ailsa Grant")
    services.register(event, evil, needs="@needs a hearing loop")
    services.register(event, other, needs="-")
    sign_in(coordinator)
    page = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert "hearing loop" in page and "Waiting list" in page
    response = client.get(f"/events/{event.id}/attendees.csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "Name"
    assert rows[1][0] == "'=cmd|' /C calc'!A0" and rows[1][7] == "'@needs a hearing loop"
    assert rows[2][7] == "'-"
    first, second = db.session.scalars(db.select(Registration).order_by(Registration.id)).all()
    response = client.post(
        f"/events/{event.id}/attendance", data={"attended": [str(first.id), str(second.id), "x"]}
    )
    assert response.headers["Location"] == f"/events/{event.id}/attendees"
    assert first.attended and not second.attended  # only confirmed people can attend


def test_email_everyone_and_cancel(client, make_user, sign_in, make_event, coordinator, outbox):
    event = make_event(capacity=1)
    people = [make_user() for _ in range(3)]
    for person in people:
        services.register(event, person)
    services.cancel_registration(
        db.session.scalars(db.select(Registration).where(Registration.user_id == people[2].id)).one()
    )
    sign_in(coordinator)
    response = client.post(f"/events/{event.id}/email", data={"subject": "", "body": ""})
    assert "Enter a subject" in response.get_data(as_text=True)
    client.post(f"/events/{event.id}/email", data={"subject": "Room change", "body": "We are in room 2."})
    assert [m.subject for m in outbox.messages(people[0].email)] == ["Room change"]
    assert [m.subject for m in outbox.messages(people[1].email)] == ["Room change"]
    assert outbox.messages(people[2].email) == []
    response = client.post(f"/events/{event.id}/cancel", data={"reason": "The speaker is unwell."})
    assert response.headers["Location"] == f"/events/{event.id}"
    assert event.is_cancelled
    for person in people[:2]:
        assert outbox.messages(person.email)[-1].subject == f"Cancelled: {event.title}"
        assert "The speaker is unwell." in outbox.messages(person.email)[-1].body
    assert "This event has been cancelled" in client.get(f"/events/{event.id}").get_data(as_text=True)
    # Cancelling twice does nothing more.
    count = len(outbox.messages())
    client.post(f"/events/{event.id}/cancel", data={})
    assert len(outbox.messages()) == count


def test_organiser_sees_tools_members_do_not(client, make_user, sign_in, make_event, coordinator):
    event = make_event()
    sign_in(make_user())
    assert "For organisers" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    client.post("/account/sign-out")
    sign_in(coordinator)
    assert "For organisers" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_a_demoted_creator_no_longer_manages_their_events(client, make_user, sign_in, make_event):
    creator = make_user(role=Role.COORDINATOR)
    event = make_event(owner=creator)
    services.register(event, make_user(), "Step-free access, please")
    sign_in(creator)
    assert client.get(f"/events/{event.id}/attendees").status_code == 200
    creator.role = Role.MEMBER.value
    db.session.commit()
    for path in ("edit", "attendees", "email", "cancel"):
        assert client.get(f"/events/{event.id}/{path}").status_code == 403, path
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Attendees and needs" not in page and "secret-room" not in page


def test_a_named_co_organiser_still_manages_whatever_their_role(client, make_user, sign_in, make_event):
    helper = make_user()
    event = make_event()
    event.co_organisers.append(helper)
    db.session.commit()
    sign_in(helper)
    assert client.get(f"/events/{event.id}/attendees").status_code == 200
