"""A second identical submit is a calm no-op (issue #12 item 5): reports, categories, deletes, moderation.

Each test sends the same thing twice in a row, or replays a request that read the state before the
first one changed it (as a twin request sent at the same moment does). tests/test_every_post_twice.py
sends them concurrently against a real server.
"""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.discussions import services
from champions.discussions.models import Category, Post, Report
from champions.extensions import db
from champions.mail import OutboxMessage


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_reporting_a_post_twice_stores_one_report(client, as_role, make_thread):
    thread = make_thread()
    as_role(Role.MEMBER)
    post = thread.posts[0]
    first = client.post(f"/discussions/p/{post.id}/report", data={"reason": "This names a child."})
    second = client.post(f"/discussions/p/{post.id}/report", data={"reason": "This names a child."})
    assert second.status_code == first.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(Report) == 1


def test_a_closed_report_does_not_stop_a_new_one(make_thread, make_user):
    post = make_thread().posts[0]
    reporter, coordinator = make_user(), make_user(role=Role.COORDINATOR)
    services.dismiss_report(coordinator, services.report_post(post, reporter, "Please look"))
    services.report_post(post, reporter, "It is back")
    assert _count(Report) == 2


def test_the_same_new_category_twice_makes_one(client, as_role):
    as_role(Role.COORDINATOR)
    before = _count(Category)
    data = {"name": "Peer support", "description": "", "position": "5"}
    first = client.post("/discussions/categories/new", data=data)
    second = client.post("/discussions/categories/new", data=data)
    assert second.status_code == first.status_code == 302
    assert _count(Category) == before + 1


def test_deleting_ones_post_twice_lands_on_the_same_page(client, as_role, make_thread):
    person = as_role(Role.MEMBER)
    thread = make_thread()
    post = services.reply(
        thread, person, "I will take this back.", form_key="c0ffee00-0000-4000-8000-000000000001"
    )
    first = client.post(f"/discussions/p/{post.id}/delete")
    second = client.post(f"/discussions/p/{post.id}/delete")
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]


def test_hiding_a_post_read_before_another_hid_it_tells_the_author_once(make_thread, make_user):
    post = make_thread().posts[0]
    coordinator = make_user(role=Role.COORDINATOR)
    services.hide_post(coordinator, post, "Names a child")
    set_committed_value(post, "hidden_at", None)  # as a twin request read it, before the first hid it
    services.hide_post(coordinator, post, "Names a child")
    assert _count(OutboxMessage, OutboxMessage.subject == "One of your posts has been hidden") == 1
    assert _count(AuditEntry, AuditEntry.action == "discussions.post.hide") == 1
    assert db.session.get(Post, post.id).hidden_at is not None


def test_locking_and_pinning_read_before_the_first_change_record_it_once(make_thread, make_user):
    thread = make_thread()
    coordinator = make_user(role=Role.COORDINATOR)
    services.lock_thread(coordinator, thread, True)
    services.pin_thread(coordinator, thread, True)
    set_committed_value(thread, "is_locked", False)
    set_committed_value(thread, "is_pinned", False)
    services.lock_thread(coordinator, thread, True)
    services.pin_thread(coordinator, thread, True)
    assert _count(AuditEntry, AuditEntry.action == "discussions.thread.lock") == 1
    assert _count(AuditEntry, AuditEntry.action == "discussions.thread.pin") == 1


def test_dismissing_a_report_read_before_another_closed_it_is_refused_kindly(make_thread, make_user):
    post = make_thread().posts[0]
    coordinator = make_user(role=Role.COORDINATOR)
    report = services.report_post(post, make_user(), "Please look")
    services.dismiss_report(coordinator, report)
    set_committed_value(report, "resolved_at", None)
    with pytest.raises(services.ReportMissing):
        services.dismiss_report(coordinator, report)
    assert _count(AuditEntry, AuditEntry.action == "discussions.report.dismiss") == 1


def test_moving_a_thread_read_before_another_moved_it_counts_it_once(make_thread, make_category, make_user):
    thread = make_thread()
    old, new = thread.category, make_category()
    coordinator = make_user(role=Role.COORDINATOR)
    services.move_thread(coordinator, thread, new)
    set_committed_value(thread, "category_id", old.id)
    services.move_thread(coordinator, thread, new)
    db.session.expire_all()
    assert (old.thread_count, new.thread_count) == (0, 1)
    assert _count(AuditEntry, AuditEntry.action == "discussions.thread.move") == 1
