"""The library's listed ids kept a minute per process (issue #18): per audience, never a stale card."""

import time

import pytest

from champions.accounts.models import Role
from champions.casestudies.models import CaseStudy
from champions.extensions import db

KEPT = pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60})


def _page(client, query: str = "") -> str:
    return client.get("/case-studies" + query).get_data(as_text=True)


@KEPT
def test_a_kept_library_page_is_one_statement_and_a_withdrawn_case_study_goes_at_once(
    client, make_case_study, count_queries
):
    going = make_case_study(title="Kelpie going")
    make_case_study(title="Kelpie staying")
    assert "2 case studies" in _page(client, "?q=kelpie")
    with count_queries() as statements:
        page = _page(client, "?q=kelpie")
    assert "Kelpie going" in page and "brought up to date every minute" in page
    listing = [s for s in statements if "FROM topics" not in s]
    assert len(listing) == 1, [s[:80] for s in listing]  # the cards; no search, no count
    going.status = "unpublished"  # as another process would leave it: nothing forgotten here
    db.session.commit()
    page = _page(client, "?q=kelpie")
    assert "Kelpie going" not in page and "Kelpie staying" in page and "1 case study" in page


@KEPT
def test_a_new_case_study_shows_within_the_minute_or_at_once_when_published_here(
    client, make_case_study, monkeypatch
):
    make_case_study(title="Kelpie first")
    second = make_case_study(title="Kelpie second", status="unpublished")
    assert "Kelpie second" not in _page(client, "?q=kelpie")
    db.session.get(CaseStudy, second.id).status = "published"  # as another process would leave it
    db.session.commit()
    assert "Kelpie second" not in _page(client, "?q=kelpie")  # the kept ids lag, up to a minute
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert "Kelpie second" in _page(client, "?q=kelpie")
    make_case_study(title="Kelpie third")  # published through the service: this process forgets at once
    assert "Kelpie third" in _page(client, "?q=kelpie")


@KEPT
def test_visitors_and_members_keep_their_own_lists(client, make_case_study, as_role):
    make_case_study(title="Kelpie public", visibility="public")
    make_case_study(title="Kelpie members", visibility="members")
    assert "Kelpie members" not in _page(client, "?q=kelpie")
    as_role(Role.MEMBER)
    page = _page(client, "?q=kelpie")
    assert "Kelpie members" in page and "2 case studies" in page
    client.post("/account/sign-out")
    page = _page(client, "?q=kelpie")
    assert "Kelpie members" not in page and "1 case study" in page


@KEPT
def test_a_case_study_turned_members_only_leaves_a_visitors_kept_list_at_once(client, make_case_study):
    turning = make_case_study(title="Kelpie turning", visibility="public")
    make_case_study(title="Kelpie public")
    assert "Kelpie turning" in _page(client, "?q=kelpie")
    turning.visibility = "members"
    db.session.commit()
    assert "Kelpie turning" not in _page(client, "?q=kelpie")


@KEPT
def test_sorted_by_saves_is_worked_out_each_time(client, make_case_study):
    make_case_study(title="Kelpie first")
    assert "Kelpie first" in _page(client, "?q=kelpie&sort=saved")
    make_case_study(title="Kelpie second")
    page = _page(client, "?q=kelpie&sort=saved")
    assert "Kelpie second" in page and "brought up to date every minute" not in page
