"""The events listing's ids kept a minute per process (issue #18): cards always read afresh, never a draft,
and the organiser who publishes or cancels sees the list change at once."""

import time

import pytest

from champions.events import services
from champions.events.models import Event
from champions.extensions import db

KEPT = pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60})


def _listing(client, query: str = "") -> str:
    return client.get("/events" + query).get_data(as_text=True)


@KEPT
def test_a_kept_listing_reads_only_the_cards_and_shows_each_as_it_is_now(client, make_event, count_queries):
    first = make_event(title="Kelpie first")
    make_event(title="Kelpie second")
    assert "2 events" in _listing(client)
    with count_queries() as statements:
        page = _listing(client)
    assert "brought up to date every minute" in page
    assert len(statements) == 1, [s[:80] for s in statements]  # the cards; no ids, no count
    db.session.get(Event, first.id).title = "Kelpie renamed"  # as another process would leave it
    db.session.commit()
    page = _listing(client)
    assert "Kelpie renamed" in page and "Kelpie first" not in page


@KEPT
def test_a_new_event_is_listed_within_the_minute_or_at_once_when_published_here(
    client, make_event, coordinator, monkeypatch
):
    make_event(title="Kelpie first")
    assert "1 event" in _listing(client)
    later = make_event(title="Kelpie later", publish=False)
    db.session.get(Event, later.id).status = "published"  # as another process would leave it
    db.session.commit()
    assert "Kelpie later" not in _listing(client)  # the kept ids lag, up to a minute
    moved_on = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: moved_on)
    assert "Kelpie later" in _listing(client)
    third = make_event(title="Kelpie third")  # published through the service: this process forgets
    assert "Kelpie third" in _listing(client)
    services.cancel_event(coordinator, third, "Snow")
    assert "Cancelled" in _listing(client).split("Kelpie third")[1][:600]


@KEPT
def test_filters_keep_their_own_lists(client, make_event):
    make_event(title="Kelpie training")
    make_event(title="Kelpie webinar", event_type="webinar")
    assert "Kelpie webinar" not in _listing(client, "?type=training")
    assert "Kelpie webinar" in _listing(client)
    assert "Kelpie training" not in _listing(client, "?type=webinar")
