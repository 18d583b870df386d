"""The data-protection officer (an admin) finds a person and takes a copy of their data, audited."""

import json

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.extensions import db
from champions.privacy.services import exports
from tests.privacy.conftest import link_token


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.CHAMPION, Role.COORDINATOR])
def test_only_admins_reach_the_officer_pages(client, as_role, make_user, role):
    person = make_user()
    as_role(role)
    for url in ("/admin/privacy", f"/admin/privacy/people/{person.id}"):
        response = client.get(url)
        assert response.status_code == (302 if role is None else 403)
    assert client.post(f"/admin/privacy/people/{person.id}", data={"reason": "x"}).status_code in (302, 403)
    assert exports.queries.exports_of(person) == []


def test_the_officer_finds_a_person_and_downloads_their_export(client, as_role, make_user):
    person = make_user(name="Rhona Sinclair", email="rhona@example.org")
    officer = as_role(Role.ADMIN)
    assert 'href="/admin/privacy"' in client.get("/admin").get_data(as_text=True)
    found = client.get("/admin/privacy?q=rhona").get_data(as_text=True)
    assert f"/admin/privacy/people/{person.id}" in found
    page = client.get(f"/admin/privacy/people/{person.id}")
    assert page.status_code == 200

    empty = client.post(f"/admin/privacy/people/{person.id}", data={"reason": "  "})
    assert empty.status_code == 200 and "Say why you need a copy" in empty.get_data(as_text=True)
    assert exports.queries.exports_of(person) == []

    reason = "Subject access request received 1 December"
    response = client.post(f"/admin/privacy/people/{person.id}", data={"reason": reason})
    assert response.headers["Location"] == f"/admin/privacy/people/{person.id}"
    requested = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.export.request"))
    assert (requested.actor_id, requested.target_id, requested.detail) == (officer.id, person.id, reason)

    exports.build_pending()
    token = link_token(officer.email)  # the link goes to the officer who asked, not to the person
    assert "Rhona Sinclair" in client.get(f"/account/data/{token}").get_data(as_text=True)
    download = client.post(f"/account/data/{token}")
    assert download.mimetype == "application/zip"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.export.download"))
    assert (entry.actor_id, entry.target_id) == (officer.id, person.id)


def test_the_persons_copy_shows_the_officers_request_without_naming_them(
    client, as_role, make_user, sign_in, export_zip
):
    person = make_user()
    officer = as_role(Role.ADMIN)
    client.post(f"/admin/privacy/people/{person.id}", data={"reason": "Their written request"})
    exports.build_pending()
    client.post("/account/sign-out")
    sign_in(person)
    archive = export_zip(person)
    data = json.loads(archive.read("data.json"))
    request = next(
        e for e in data["audit_entries"] if e["action"] == "privacy.export.request" and e["by"] != "you"
    )
    assert request["by"] == "a member of staff" and request["detail"] == "Their written request"
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert officer.email.encode() not in everything and officer.name.encode() not in everything


def test_an_unknown_person_is_404(client, as_role):
    as_role(Role.ADMIN)
    assert client.get("/admin/privacy/people/999999").status_code == 404
