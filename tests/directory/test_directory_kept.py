"""The directory's listed ids kept a minute per process (issue #18): flat with the data, never a stale row."""

import time

import pytest

from champions.accounts.models import Role
from champions.directory import services
from champions.extensions import db

KEPT = pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60})


def _page(client, url: str) -> str:
    return client.get(url).get_data(as_text=True)


@KEPT
def test_a_kept_listing_is_one_statement_and_a_champion_who_leaves_goes_at_once(
    client, make_profile, count_queries
):
    leaving = make_profile(name="Fife Leaving", areas=("fife",))
    make_profile(name="Fife Staying", areas=("fife",))
    assert "2 champions" in _page(client, "/champions?area=fife")  # the ids are worked out and kept
    with count_queries() as queries:
        page = _page(client, "/champions?area=fife")
    assert "Fife Leaving" in page and "Fife Staying" in page
    assert len(queries) == 1, [q[:80] for q in queries]  # the cards; no count, no sort of the area
    assert "brought up to date every minute" in page
    leaving.listing_consent_at = None  # as another process would leave it: nothing forgotten here
    db.session.commit()
    page = _page(client, "/champions?area=fife")
    assert "Fife Leaving" not in page and "Fife Staying" in page
    assert "1 champion" in page  # a short page is the last one: its rows are the total


@KEPT
def test_a_new_champion_shows_within_the_minute_or_at_once_through_the_service(
    client, make_user, make_profile, monkeypatch
):
    make_profile(name="Fife First", areas=("fife",))
    assert "Fife First" in _page(client, "/champions?area=fife")
    make_profile(name="Fife Second", areas=("fife",))  # straight into the database
    assert "Fife Second" not in _page(client, "/champions?area=fife")  # kept for up to a minute
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert "Fife Second" in _page(client, "/champions?area=fife")
    third = make_profile(name="Fife Third", areas=("fife",), listed=False)
    assert "Fife Third" not in _page(client, "/champions?area=fife")
    services.set_listing(third, True, third.user)  # the service forgets this process's kept ids
    assert "Fife Third" in _page(client, "/champions?area=fife")


@KEPT
def test_each_set_of_filters_keeps_its_own_ids(client, make_profile):
    make_profile(name="Fife Health", areas=("fife",), sectors=("health",))
    make_profile(name="Fife Education", areas=("fife",), sectors=("education",))
    make_profile(name="Angus Health", areas=("angus",), sectors=("health",))
    assert "Fife Education" not in _page(client, "/champions?area=fife&sector=health")
    page = _page(client, "/champions?area=fife")
    assert "Fife Health" in page and "Fife Education" in page and "Angus Health" not in page
    page = _page(client, "/champions?sector=health")
    assert "Fife Health" in page and "Angus Health" in page and "Fife Education" not in page


@KEPT
def test_words_are_never_kept(client, make_profile, count_queries):
    make_profile(name="Kelpie Champion", areas=("fife",))
    _page(client, "/champions?q=kelpie")
    make_profile(name="Kelpie Second", areas=("fife",))
    with count_queries() as queries:
        page = _page(client, "/champions?q=kelpie")
    assert "Kelpie Second" in page and "2 champions" in page
    assert len(queries) == 2  # a count, then the cards, each time
    assert "brought up to date every minute" not in page


@KEPT
def test_home_shares_the_places_kept_ids_and_drops_a_revoked_champion_at_once(
    client, make_user, make_profile, area, sign_in, count_queries
):
    revoked = make_profile(name="Fife Revoked", areas=("fife",))
    make_profile(name="Fife Local", areas=("fife",))
    sign_in(make_user(council_area=area("fife")))
    client.get("/")
    with count_queries() as queries:
        page = _page(client, "/")
    assert "Fife Revoked" in page and "Fife Local" in page
    assert len(queries) == 2, [q[:80] for q in queries]  # the person, then the cards
    revoked.status = "revoked"  # as another process would leave it
    db.session.commit()
    page = _page(client, "/")
    assert "Fife Revoked" not in page and "Fife Local" in page
    assert "Fife Revoked" not in _page(client, "/champions/local")


@KEPT
def test_a_champion_approved_by_a_coordinator_is_listed_at_once_in_that_process(
    client, make_user, make_profile, as_role
):
    make_profile(name="Fife Listed", areas=("fife",))
    waiting = make_profile(name="Fife Waiting", areas=("fife",), status="pending")
    assert "Fife Waiting" not in _page(client, "/champions?area=fife")
    services.approve(make_user(role=Role.COORDINATOR), waiting)
    assert "Fife Waiting" in _page(client, "/champions?area=fife")
