"""Search shows each kind exactly as its feature would: per role, never more."""

import pytest

from champions.accounts import services as accounts
from champions.accounts.models import Role
from champions.discussions import services as discussions
from champions.events import services as events
from search.conftest import ROLES


@pytest.fixture
def world(make_profile, make_user, make_thread, make_case_study, make_event, make_resource, coordinator):
    """One of everything mentioning 'zebrafish', shown or not."""
    listed = make_profile(name="Zebrafish Listed")
    make_profile(name="Zebrafish Unlisted", listed=False)
    make_profile(name="Zebrafish Pending", status="pending")
    make_profile(name="Zebrafish Revoked", status="revoked")
    gone = make_profile(name="Zebrafish Deactivated")
    accounts.set_active(coordinator, gone.user, False)
    thread = make_thread(title="Zebrafish thread", body="Opening words about zebrafish.")
    author = make_user(name="Secret Author Name")
    anonymous = discussions.reply(
        thread, author, "An anonymous zebrafish reply.", anonymous=True, form_key="a"
    )
    hidden = discussions.reply(thread, author, "A hidden zebrafish reply.", form_key="b")
    discussions.hide_post(coordinator, hidden)
    deleted = discussions.reply(thread, author, "A deleted zebrafish reply.", form_key="c")
    discussions.delete_post(deleted)
    public_case = make_case_study(title="Zebrafish public case", visibility="public")
    members_case = make_case_study(title="Zebrafish members case", visibility="members")
    for status in ("draft", "submitted", "unpublished", "archived"):
        make_case_study(status=status, title=f"Zebrafish {status} case")
    published = make_event(title="Zebrafish published event")
    cancelled = make_event(title="Zebrafish cancelled event")
    events.cancel_event(coordinator, cancelled)
    make_event(title="Zebrafish draft event", publish=False)
    resource = make_resource(title="Zebrafish resource", url="https://example.org/zebrafish")
    public = {
        f"/champions/{listed.id}",
        f"/case-studies/{public_case.id}",
        f"/events/{published.id}",
        f"/events/{cancelled.id}",
        "https://example.org/zebrafish",
    }
    members = {
        f"/discussions/t/{thread.id}",
        f"/discussions/p/{thread.posts[0].id}",
        f"/discussions/p/{anonymous.id}",
        f"/case-studies/{members_case.id}",
    }
    return {"public": public, "members": members, "resource": resource}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name.lower() if r else "anonymous")
def test_each_role_finds_exactly_what_the_features_show_them(world, as_role, search, role):
    as_role(role)
    expected = world["public"] | (world["members"] if role else set())
    found = set()
    for kind in ("", "champions", "threads", "posts", "case-studies", "events", "resources"):
        body, links = search("zebrafish", kind=kind)
        found |= set(links)
        for never in (
            "Unlisted",
            "Pending",
            "Revoked",
            "Deactivated",
            "hidden zebrafish",
            "deleted zebrafish",
            "draft case",
            "submitted case",
            "unpublished case",
            "archived case",
            "draft event",
            "Secret Author Name",
        ):
            assert never not in body
    assert found == expected


def test_signed_out_people_are_not_offered_the_discussions(world, search):
    body, links = search("zebrafish", kind="posts")
    assert "Discussion posts" not in body and not [link for link in links if "/discussions/" in link]
    assert "to search the discussions" in body


def test_cancelled_events_say_so(world, search):
    body, _ = search("zebrafish", kind="events")
    assert "Cancelled" in body


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR])
def test_anonymous_posts_never_show_their_author(make_thread, make_user, as_role, search, role):
    author = make_user(name="Fionnuala Quietly")
    make_thread(title="Sleep", body="Shift work and sleep.", author=author, anonymous=True)
    as_role(role)
    body, links = search("sleep")
    assert len(links) == 2 and "Fionnuala" not in body
