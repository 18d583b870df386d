"""Closing an account (issue #13, item 2): the owner confirms with their password, everything that names
them is erased in one transaction, and their posts stay as "A former member" unless they choose otherwise."""

import pytest
from sqlalchemy import func, select

from champions import audit
from champions.accounts.models import Role, User
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.discussions.models import Category, Post, Thread
from champions.events.models import Registration
from champions.extensions import db
from champions.lifecycle import services
from tests.conftest import TEST_PASSWORD
from tests.lifecycle.conftest import traces

ROLES = [Role.MEMBER, Role.CHAMPION, Role.COORDINATOR, Role.ADMIN]


def _person(make_user, role: Role) -> User:
    return make_user(
        role=role, name=f"Quillon Marchbanks {role.label}", email=f"quillon.{role.name.lower()}@example.org"
    )


def _close(client, password=TEST_PASSWORD, delete_posts=False):
    data = {"password": password}
    if delete_posts:
        data["delete_posts"] = "y"
    return client.post("/account/close", data=data)


def test_the_account_page_links_to_a_kind_page_that_explains_before_and_after(client, as_role):
    as_role(Role.MEMBER)
    assert "/account/close" in client.get("/account").get_data(as_text=True)
    html = client.get("/account/close").get_data(as_text=True)
    assert "What we erase" in html and "What stays" in html and "After you close it" in html
    assert "A former member" in html and 'autocomplete="current-password"' in html


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name.lower())
def test_closing_leaves_no_trace_of_their_name_or_email_in_any_table(
    client, make_user, sign_in, footprint, role
):
    make_user(role=Role.ADMIN, name="Another Admin")  # so that an admin may close theirs
    user = _person(make_user, role)
    name, email = user.name, user.email
    made = footprint(user)
    assert traces(name, email), "the footprint should name them before closing"
    sign_in(user)

    response = _close(client)

    assert response.headers["Location"].endswith("/account/closed")
    assert "Your account is closed" in client.get("/account/closed").get_data(as_text=True)
    db.session.expire_all()
    assert traces(name, email) == []
    closed = db.session.get(User, user.id)
    assert closed.is_closed and not closed.active and closed.name == services.FORMER_MEMBER
    assert "@" not in closed.email and closed.organisation_id is None
    # Their sessions ended: the same client is signed out and cannot sign in again.
    assert "/account/sign-in" in client.get("/account").headers["Location"]
    signed = client.post("/account/sign-in", data={"email": email, "password": TEST_PASSWORD})
    assert signed.status_code == 200
    # Posts and case studies stay, shown as a former member.
    sign_in(made.other)
    assert db.session.scalar(select(func.count(Post.id)).where(Post.author_id == user.id)) == 3
    thread = client.get(f"/discussions/t/{made.thread_replied}").get_data(as_text=True)
    assert "A former member" in thread and "My last word" in thread
    assert "A former member" in client.get(f"/case-studies/{made.case_study}").get_data(as_text=True)
    # They left the directory; their needs, feedback and pledges are gone; the future place is given up.
    assert db.session.scalar(select(func.count(ChampionProfile.id))) == 0
    assert [r.needs for r in db.session.scalars(select(Registration))] == [""]
    entry = db.session.scalar(select(audit.AuditEntry).where(audit.AuditEntry.action == "account.close"))
    assert entry.target_id == user.id and entry.actor_id == user.id


def test_the_email_can_register_again_as_a_new_person(client, make_user, sign_in):
    user = _person(make_user, Role.MEMBER)
    email = user.email
    sign_in(user)
    _close(client)
    response = client.post(
        "/account/register",
        data={
            "name": "Quillon Anew",
            "email": email,
            "password": "a new long passphrase for me 77",
            "organisation": "Fife Council",
            "workplace": "area:fife",
        },
    )
    assert response.status_code == 302
    again = db.session.scalar(select(User).where(User.email == email))
    assert again is not None and again.id != user.id and again.closed_at is None


def test_choosing_to_delete_posts_removes_them_and_keeps_replies_in_place(
    client, make_user, sign_in, footprint
):
    user = _person(make_user, Role.CHAMPION)
    made = footprint(user)
    sign_in(user)

    _close(client, delete_posts=True)

    sign_in(made.other)
    db.session.expire_all()
    assert db.session.get(Thread, made.thread_alone) is None  # nobody else was in it
    posts = list(
        db.session.scalars(select(Post).where(Post.thread_id == made.thread_replied).order_by(Post.id))
    )
    # Their opening post had a reply after it: it stays, emptied; their last word had none: it went.
    assert [(p.author_id == user.id, p.deleted_at is not None, p.body) for p in posts] == [
        (True, True, ""),
        (False, False, "Thank you"),
    ]
    thread = db.session.get(Thread, made.thread_replied)
    assert thread.post_count == 2 and thread.last_post_at == posts[-1].created_at
    category = db.session.scalar(select(Category))
    assert (category.thread_count, category.post_count) == (1, 2)
    html = client.get(f"/discussions/t/{made.thread_replied}").get_data(as_text=True)
    assert "This post was removed by its author" in html and "My last word" not in html


def test_a_wrong_or_empty_password_closes_nothing(client, as_role):
    user = as_role(Role.MEMBER)
    wrong = _close(client, password="not my password at all")
    assert wrong.status_code == 200 and "That is not your password" in wrong.get_data(as_text=True)
    empty = _close(client, password="")
    assert empty.status_code == 200 and "Enter your password" in empty.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).closed_at is None
    assert client.get("/account").status_code == 200


def test_the_last_admin_cannot_close_their_account(client, as_role):
    admin = as_role(Role.ADMIN)
    response = _close(client)
    assert response.headers["Location"].endswith("/account")
    assert "needs at least one admin" in client.get("/account").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).closed_at is None


def test_closing_twice_is_harmless(make_user):
    user = _person(make_user, Role.MEMBER)
    services.close_own_account(user, TEST_PASSWORD, delete_posts=False)
    first = (user.email, user.closed_at, user.session_version)
    services.close_own_account(user, "anything", delete_posts=True)
    db.session.expire_all()
    again = db.session.get(User, user.id)
    assert (again.email, again.closed_at, again.session_version) == first
    assert db.session.scalar(select(func.count()).where(audit.AuditEntry.action == "account.close")) == 1


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    assert "/account/sign-in" in client.get("/account/close").headers["Location"]


def test_closing_without_the_csrf_token_is_refused(app, client, as_role):
    user = as_role(Role.MEMBER)
    app.config["WTF_CSRF_ENABLED"] = True
    assert _close(client).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).closed_at is None


def test_an_admin_closes_an_account_on_request_with_a_reason(client, make_user, as_role, footprint):
    admin = as_role(Role.ADMIN)
    user = _person(make_user, Role.CHAMPION)
    name, email = user.name, user.email
    footprint(user)
    assert "Close this account on request" in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    page = client.get(f"/admin/users/{user.id}/close")
    assert page.status_code == 200 and "Reason" in page.get_data(as_text=True)
    assert client.post(f"/admin/users/{user.id}/close", data={"reason": ""}).status_code == 200

    response = client.post(
        f"/admin/users/{user.id}/close", data={"reason": f"{name} asked by email on 3 May ({email})"}
    )

    assert response.headers["Location"].endswith(f"/admin/users/{user.id}")
    db.session.expire_all()
    assert traces(name, email) == []
    entry = db.session.scalar(select(audit.AuditEntry).where(audit.AuditEntry.action == "account.close"))
    assert entry.actor_id == admin.id and "asked by email on 3 May" in entry.detail


def test_members_and_coordinators_cannot_close_someone_else(client, make_user, as_role):
    user = _person(make_user, Role.MEMBER)
    as_role(Role.COORDINATOR)
    assert client.get(f"/admin/users/{user.id}/close").status_code == 403
    assert client.post(f"/admin/users/{user.id}/close", data={"reason": "x"}).status_code == 403
    assert client.get("/admin/users/999999/close").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, user.id).closed_at is None


def test_a_closed_champion_leaves_the_directory_and_coverage_at_once(client, make_user, as_role, footprint):
    user = _person(make_user, Role.CHAMPION)
    footprint(user)
    viewer = as_role(Role.MEMBER)
    assert user.name in client.get("/champions").get_data(as_text=True)
    services.close_on_request(viewer, user, "asked")
    assert user.name not in client.get("/champions").get_data(as_text=True)
    assert db.session.scalar(select(func.count(ChampionProfile.id))) == 0
    assert utcnow() >= db.session.get(User, user.id).closed_at
