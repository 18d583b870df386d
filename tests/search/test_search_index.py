"""The index follows every write made through the features' services, and can be rebuilt."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from champions.accounts import services as accounts
from champions.accounts.models import Role
from champions.casestudies import services as casestudies
from champions.clock import utcnow
from champions.directory import services as directory
from champions.discussions import services as discussions
from champions.discussions.models import Post
from champions.events import services as events
from champions.extensions import db
from champions.resources import services as resources
from champions.search.models import SearchDocument
from champions.search.services import rebuild_index

REVIEWED = {key: True for key in casestudies.CHECKLIST}


@pytest.fixture
def member(as_role):
    return as_role(Role.MEMBER)


def test_champion_listing_editing_and_unlisting(member, make_profile, search, coordinator):
    profile = make_profile(name="Isla Mackay", bio="Kelpie therapy pioneer.")
    assert search("kelpie")[1] == [f"/champions/{profile.id}"]
    profile.bio = "Now working on sleep."
    db.session.commit()
    assert search("kelpie")[1] == [] and search("sleep")[1] == [f"/champions/{profile.id}"]
    directory.set_listing(profile, False, profile.user)
    assert search("sleep")[1] == []
    directory.set_listing(profile, True, profile.user)
    assert search("sleep")[1] == [f"/champions/{profile.id}"]
    directory.revoke(coordinator, profile, "Moved on")
    assert search("sleep")[1] == []


def test_deactivating_a_champion_account_removes_the_profile(member, make_profile, search, coordinator):
    profile = make_profile(name="Isla Mackay")
    accounts.set_active(coordinator, profile.user, False)
    assert search("Mackay")[1] == []
    accounts.set_active(coordinator, profile.user, True)
    assert search("Mackay")[1] == [f"/champions/{profile.id}"]


def test_posts_created_edited_hidden_restored_and_deleted(member, make_thread, search, coordinator):
    thread = make_thread(title="Rotas", body="Opening post.")
    post = discussions.reply(thread, thread.author, "Selkies at the harbour.", form_key="k1")
    assert search("selkies")[1] == [f"/discussions/p/{post.id}"]
    discussions.edit_post(post, "Kelpies at the harbour.", "")
    assert search("selkies")[1] == [] and search("kelpies")[1] == [f"/discussions/p/{post.id}"]
    discussions.hide_post(coordinator, post)
    assert search("kelpies")[1] == []
    discussions.restore_post(coordinator, post)
    assert search("kelpies")[1] == [f"/discussions/p/{post.id}"]
    discussions.delete_post(post)
    assert search("kelpies")[1] == []


def test_moving_a_thread_and_renaming_it_reach_its_posts(
    member, make_thread, make_category, search, coordinator
):
    thread = make_thread(title="Rotas", body="Night shifts.")
    elsewhere = make_category("Wellbeing corner")
    discussions.move_thread(coordinator, thread, elsewhere)
    body, _ = search("rotas", kind="threads")
    assert "Wellbeing corner" in body
    thread.title = "Shift patterns"
    db.session.commit()
    body, links = search("night", kind="posts")
    assert "Shift patterns" in body and "Rotas" not in body


def test_case_study_publish_edit_and_unpublish(member, make_case_study, make_user, search):
    draft = make_case_study(status="draft", title="Kelpie garden")
    assert search("kelpie")[1] == []
    coordinator = make_user(role=Role.COORDINATOR)
    casestudies.submit(draft, draft.author)
    casestudies.publish(draft, coordinator, REVIEWED)
    assert search("kelpie")[1] == [f"/case-studies/{draft.id}"]
    casestudies.update(draft, draft.author, {**casestudies.content_of(draft), "title": "Selkie garden"}, [])
    assert search("kelpie")[1] == [f"/case-studies/{draft.id}"], "the published text stays until review"
    casestudies.publish(draft, coordinator, REVIEWED)
    assert search("kelpie")[1] == [] and search("selkie")[1] == [f"/case-studies/{draft.id}"]
    casestudies.unpublish(draft, coordinator)
    assert search("selkie")[1] == []


def test_events_publish_edit_and_cancel(member, make_event, search, coordinator):
    event = make_event(title="Kelpie learning day", publish=False)
    assert search("kelpie")[1] == []
    events.publish_event(coordinator, event)
    assert search("kelpie")[1] == [f"/events/{event.id}"]
    event.title = "Selkie learning day"
    db.session.commit()
    assert search("kelpie")[1] == [] and search("selkie")[1] == [f"/events/{event.id}"]
    events.cancel_event(coordinator, event)
    assert "Cancelled" in search("selkie", kind="events")[0]


def test_resources_create_edit_and_delete(member, search, coordinator):
    values = {"title": "Kelpie guide", "provider": "NES", "format": "guide", "url": "https://example.org/k"}
    resource = resources.create_resource(coordinator, values)
    assert search("kelpie")[1] == ["https://example.org/k"]
    resources.update_resource(coordinator, resource, {**values, "title": "Selkie guide"})
    assert search("kelpie")[1] == [] and search("selkie")[1] == ["https://example.org/k"]
    resources.delete_resource(coordinator, resource)
    assert search("selkie")[1] == []


def _documents() -> list[tuple]:
    rows = db.session.execute(
        select(
            SearchDocument.kind,
            SearchDocument.object_id,
            SearchDocument.title,
            SearchDocument.body,
            SearchDocument.audience,
            SearchDocument.context,
        ).order_by(SearchDocument.kind, SearchDocument.object_id)
    )
    return [tuple(row) for row in rows]


def test_rebuild_gives_the_same_index_as_the_hooks(
    make_profile, make_thread, make_case_study, make_event, make_resource, search, as_role
):
    make_profile(name="Kelpie Champion")
    make_thread(title="Kelpie thread", body="Kelpie post", replies=2)
    make_case_study(title="Kelpie case")
    make_event(title="Kelpie event", starts_at=utcnow() + timedelta(days=3))
    make_resource(title="Kelpie resource")
    kept_in_step = _documents()
    rebuild_index()
    assert _documents() == kept_in_step and len(kept_in_step) == 8
    as_role(Role.MEMBER)
    assert len(search("kelpie")[1]) == 6, "the full-text index was rebuilt too (replies say Reply n)"


def test_search_reindex_command(app, make_resource):
    make_resource(title="Kelpie resource")
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search-reindex"])
    assert result.exit_code == 0 and "rebuilt" in result.output
    assert db.session.scalar(select(func.count()).select_from(SearchDocument)) == 1


def test_one_flush_of_many_new_posts_is_indexed(make_thread, as_role, search):
    thread = make_thread(title="Rotas", body="First.")
    db.session.add_all(
        Post(thread=thread, author=thread.author, body=f"Kelpie {n}", body_html="", form_key=f"bulk{n}")
        for n in range(12_000)
    )
    db.session.commit()
    as_role(Role.MEMBER)
    assert "Discussion posts (more than 500)" in search("kelpie")[0]
