"""Roles, the admin pages and the audit log."""

import pytest

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.extensions import db

ADMIN_URLS = ["/admin", "/admin/audit", "/admin/users/{id}"]


@pytest.mark.parametrize("url", ADMIN_URLS)
@pytest.mark.parametrize(
    "role, expected",
    [
        (None, 302),
        (Role.MEMBER, 403),
        (Role.CHAMPION, 403),
        (Role.COORDINATOR, 403),
        (Role.ADMIN, 200),
    ],
)
def test_admin_pages_need_the_admin_role(client, as_role, make_user, url, role, expected):
    target = make_user()
    as_role(role)
    response = client.get(url.format(id=target.id))
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/account/sign-in?next=")


def test_admin_changes_role_audited_and_sessions_end(app, client, as_role, make_user, sign_in):
    target = make_user()
    other = app.test_client()
    other.post(
        "/account/sign-in", data={"email": target.email, "password": "correct horse battery staple 42"}
    )
    admin = as_role(Role.ADMIN)
    response = client.post(f"/admin/users/{target.id}", data={"role": Role.COORDINATOR.value})
    assert response.headers["Location"] == f"/admin/users/{target.id}"
    assert target.role == Role.COORDINATOR
    entry = db.session.scalar(db.select(AuditEntry))
    assert (entry.actor_id, entry.action, entry.target_id) == (admin.id, "role.change", target.id)
    assert entry.detail == "Member to Coordinator"
    assert other.get("/account").status_code == 302  # the old session no longer works
    assert "role.change" in client.get("/admin/audit").get_data(as_text=True)


def test_coordinator_cannot_change_roles(client, as_role, make_user):
    target = make_user()
    as_role(Role.COORDINATOR)
    assert client.post(f"/admin/users/{target.id}", data={"role": Role.ADMIN.value}).status_code == 403
    assert target.role == Role.MEMBER


def test_last_admin_cannot_be_demoted(client, as_role):
    admin = as_role(Role.ADMIN)
    client.post(f"/admin/users/{admin.id}", data={"role": Role.MEMBER.value})
    assert admin.role == Role.ADMIN


def test_deactivate_account(client, as_role, make_user):
    target = make_user()
    as_role(Role.ADMIN)
    asked = client.post(f"/admin/users/{target.id}/active", data={"active": "0"})
    assert asked.status_code == 200 and "Deactivate" in asked.get_data(as_text=True)
    assert target.active is True  # nothing happens before the admin confirms
    client.post(f"/admin/users/{target.id}/active", data={"active": "0", "confirmed": "yes"})
    assert target.active is False
    assert db.session.scalar(db.select(AuditEntry.action)) == "account.deactivate"


@pytest.mark.parametrize("bad", ["999", "abc", "-1", "40000", ""])
def test_bad_role_values(client, as_role, make_user, bad):
    target = make_user()
    as_role(Role.ADMIN)
    response = client.post(f"/admin/users/{target.id}", data={"role": bad})
    assert response.status_code == 200
    assert target.role == Role.MEMBER


def test_unknown_user_is_404(client, as_role):
    as_role(Role.ADMIN)
    assert client.get("/admin/users/987654").status_code == 404
    assert client.post("/admin/users/987654/active", data={"active": "0"}).status_code == 404


@pytest.mark.parametrize("query", ["x" * 10_000, "%_'\";--", "Zoë \u202e ﷽"])
def test_admin_search_odd_input(client, as_role, query):
    as_role(Role.ADMIN)
    assert client.get("/admin", query_string={"q": query, "page": "abc"}).status_code == 200
