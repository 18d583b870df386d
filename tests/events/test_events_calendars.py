"""Calendar files parse back as RFC 5545, with stable UIDs, UTC times, status, and no leaked links."""

from datetime import UTC, datetime

from icalendar import Calendar

from champions.events import services


def parse(response):
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def vevents(calendar):
    return [c for c in calendar.walk("VEVENT")]


def test_event_ics_has_utc_times_and_stable_uid(client, make_event):
    event = make_event(starts_at=datetime(2027, 3, 28, 8, 0))  # 09:00 BST, the day the clocks change
    response = client.get(f"/events/{event.id}/event.ics")
    assert "attachment" in response.headers["Content-Disposition"]
    [item] = vevents(parse(response))
    assert str(item["uid"]) == f"event-{event.id}@portal.example.test"
    assert item.decoded("dtstart") == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert item.decoded("dtend") == datetime(2027, 3, 28, 10, 0, tzinfo=UTC)
    assert str(item["status"]) == "CONFIRMED"
    assert "secret-room" not in response.get_data(as_text=True)
    again = vevents(parse(client.get(f"/events/{event.id}/event.ics")))[0]
    assert str(again["uid"]) == str(item["uid"])


def test_joining_link_only_for_confirmed_attendees_and_organisers(
    client, make_user, sign_in, make_event, coordinator
):
    event = make_event(capacity=1)
    first, second = make_user(), make_user()
    services.register(event, first)
    services.register(event, second)  # waitlisted
    sign_in(second)
    assert "secret-room" not in client.get(f"/events/{event.id}/event.ics").get_data(as_text=True)
    client.post("/account/sign-out")
    sign_in(first)
    [item] = vevents(parse(client.get(f"/events/{event.id}/event.ics")))
    assert "https://meet.example.org/secret-room" in str(item["description"])
    client.post("/account/sign-out")
    sign_in(coordinator)
    assert "secret-room" in client.get(f"/events/{event.id}/event.ics").get_data(as_text=True)
    # The feed never carries it, whoever asks.
    assert "secret-room" not in client.get("/events.ics").get_data(as_text=True)


def test_feed_lists_upcoming_public_events_and_cancellations(client, make_event, coordinator):
    upcoming = make_event(title="Upcoming one")
    cancelled = make_event(title="Called off")
    services.cancel_event(coordinator, cancelled)
    make_event(title="Just a draft", publish=False)
    make_event(title="Long gone", starts_at=datetime(2025, 1, 1, 10, 0))
    calendar = parse(client.get("/events.ics"))
    items = {str(i["summary"]): i for i in vevents(calendar)}
    assert set(items) == {"Upcoming one", "Called off"}
    assert str(items["Called off"]["status"]) == "CANCELLED"
    assert str(items["Upcoming one"]["uid"]) == f"event-{upcoming.id}@portal.example.test"
    assert str(calendar["version"]) == "2.0" and "prodid" in calendar


def test_cancelled_event_ics_says_so(client, make_event, coordinator):
    event = make_event()
    services.cancel_event(coordinator, event)
    [item] = vevents(parse(client.get(f"/events/{event.id}/event.ics")))
    assert str(item["status"]) == "CANCELLED"


def test_calendars_keep_their_etag_while_the_clock_moves_on_and_stamp_the_last_change(
    client, make_event, move_clock
):
    event = make_event()
    paths = ["/events.ics", f"/events/{event.id}/event.ics"]
    first = {path: client.get(path) for path in paths}
    [item] = vevents(parse(first["/events.ics"]))
    assert item.decoded("dtstamp") == event.updated_at.replace(microsecond=0, tzinfo=UTC)
    move_clock(5)
    for path, response in first.items():
        again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304, path
