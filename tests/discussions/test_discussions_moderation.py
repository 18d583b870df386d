"""Reports, the coordinators' queue, hide and restore, lock, pin, move and categories: all audited."""

from sqlalchemy import select

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.discussions import services
from champions.discussions.models import Category, Report
from champions.extensions import db


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_report_hide_restore(client, sign_in, make_user, make_thread, outbox):
    author = make_user(email="author@example.org")
    thread = make_thread(author=author, title="Budgets", body="Something unkind")
    post = thread.posts[0]
    reporter = make_user()
    sign_in(reporter)
    assert client.post(f"/discussions/p/{post.id}/report", data={"reason": ""}).status_code == 200
    response = client.post(f"/discussions/p/{post.id}/report", data={"reason": "It names someone"})
    assert response.headers["Location"].endswith(f"#post-{post.id}")
    client.post("/account/sign-out")
    coordinator = make_user(role=Role.COORDINATOR)
    sign_in(coordinator)
    assert "Reports to review (1)" in client.get("/discussions").get_data(as_text=True)
    queue = client.get("/discussions/moderation").get_data(as_text=True)
    assert "It names someone" in queue and "Something unkind" in queue
    client.post(f"/discussions/p/{post.id}/hide", data={"reason": "It could identify a colleague"})
    assert post.hidden_at is not None
    assert db.session.scalar(select(Report)).outcome == "hidden"
    [message] = outbox.messages("author@example.org")
    assert "has hidden one of your posts" in message.body and "It could identify a colleague" in message.body
    assert "not a judgement of you" in message.body
    assert "There are no reports to review" in client.get("/discussions/moderation").get_data(as_text=True)
    client.post("/account/sign-out")
    sign_in(reporter)
    html = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert "hidden by the coordinators" in html and "Something unkind" not in html
    client.post("/account/sign-out")
    sign_in(coordinator)
    client.post(f"/discussions/p/{post.id}/restore")
    assert post.hidden_at is None
    assert _actions() == ["discussions.post.hide", "discussions.post.restore"]


def test_dismiss_a_report(client, as_role, make_user, make_thread):
    thread = make_thread()
    report = services.report_post(thread.posts[0], make_user(), "Not sure about this")
    as_role(Role.COORDINATOR)
    client.post(f"/discussions/reports/{report.id}/dismiss")
    assert report.resolved_at and report.outcome == "no action"
    response = client.post(f"/discussions/reports/{report.id}/dismiss")
    assert response.headers["Location"] == "/discussions/moderation"
    assert _actions() == ["discussions.report.dismiss"]


def test_lock_pin_and_move(client, as_role, make_thread, make_category):
    thread = make_thread()
    other = make_category(name="Leadership")
    as_role(Role.COORDINATOR)
    client.post(f"/discussions/t/{thread.id}/lock")
    assert thread.is_locked
    client.post(f"/discussions/t/{thread.id}/lock", data={"locked": "no"})
    assert not thread.is_locked
    client.post(f"/discussions/t/{thread.id}/pin")
    assert thread.is_pinned
    client.post(f"/discussions/t/{thread.id}/move", data={"category": str(other.id)})
    assert thread.category == other
    client.post(f"/discussions/t/{thread.id}/move", data={"category": "999999"})
    client.post(f"/discussions/t/{thread.id}/move", data={"category": "abc"})
    assert thread.category == other
    assert _actions() == [
        "discussions.thread.lock",
        "discussions.thread.unlock",
        "discussions.thread.pin",
        "discussions.thread.move",
    ]


def test_pinned_threads_come_first(client, as_role, make_category, make_thread, make_user):
    category = make_category()
    pinned = make_thread(category=category, title="House rules")
    make_thread(category=category, title="Newer thread")
    services.pin_thread(make_user(role=Role.COORDINATOR), pinned, True)
    as_role(Role.MEMBER)
    html = client.get(f"/discussions/{category.slug}").get_data(as_text=True)
    assert html.index("House rules") < html.index("Newer thread")


def test_coordinators_manage_categories(client, as_role):
    as_role(Role.COORDINATOR)
    response = client.post(
        "/discussions/categories/new",
        data={"name": "Staff wellbeing", "description": "Go gently", "position": "5"},
    )
    assert response.headers["Location"] == "/discussions/categories"
    category = db.session.scalar(select(Category))
    assert category.slug == "staff-wellbeing"
    client.post("/discussions/categories/new", data={"name": "Settings", "position": "6"})
    assert db.session.scalar(select(Category).where(Category.name == "Settings")).slug == "settings-topic"
    client.post(
        f"/discussions/categories/{category.id}/edit",
        data={"name": "Wellbeing", "description": "", "position": "1", "version": category.version},
    )
    assert category.name == "Wellbeing" and category.slug == "staff-wellbeing"
    bad = client.post("/discussions/categories/new", data={"name": "", "position": "many"})
    assert bad.status_code == 200 and "Enter a name" in bad.get_data(as_text=True)
    assert _actions() == [
        "discussions.category.create",
        "discussions.category.create",
        "discussions.category.edit",
    ]
