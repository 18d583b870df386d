"""Asking for an export and its one-time link: GET asks, POST downloads once; spent links are kind 410s."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.extensions import db
from champions.privacy.models import DataExport
from champions.privacy.services import exports
from tests.privacy.conftest import link_token


def _ready_link(client, user) -> str:
    client.post("/account/data")
    exports.build_pending()
    return f"/account/data/{link_token(user.email)}"


def test_the_account_page_links_to_the_download_and_the_consents(client, as_role):
    as_role(Role.MEMBER)
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account/data"' in page and 'href="/account/consents"' in page
    assert "Ask for a copy of my data" in client.get("/account/data").get_data(as_text=True)


def test_asking_queues_one_export_and_the_build_emails_a_link(client, as_role):
    user = as_role(Role.MEMBER)
    assert client.post("/account/data").headers["Location"] == "/account/data"
    client.post("/account/data")  # a second press while the first is on its way adds nothing
    assert db.session.scalar(select(func.count(DataExport.id))) == 1
    assert exports.build_pending() == {"expired": 0, "built": 1, "failed": 0}
    assert exports.build_pending() == {"expired": 0, "built": 0, "failed": 0}
    assert link_token(user.email)
    assert "Ready" in client.get("/account/data").get_data(as_text=True)


def test_the_link_asks_on_get_and_downloads_once_on_post(client, as_role):
    user = as_role(Role.MEMBER)
    link = _ready_link(client, user)
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200 and "Download (ZIP" in page.get_data(as_text=True)
    export = db.session.scalar(select(DataExport))
    assert export.status == "ready" and export.used_at is None
    response = client.post(link)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    db.session.expire_all()
    assert export.status == "used" and export.data is None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.export.download"))
    again = client.post(link)
    assert again.status_code == 410 and "no longer works" in again.get_data(as_text=True)
    assert client.get(link).status_code == 410


def test_an_expired_link_is_a_kind_410_and_the_copy_is_dropped(client, as_role):
    user = as_role(Role.MEMBER)
    link = _ready_link(client, user)
    export = db.session.scalar(select(DataExport))
    export.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link).status_code == 410
    assert client.post(link).status_code == 410
    assert exports.build_pending()["expired"] == 1
    db.session.expire_all()
    assert export.status == "expired" and export.data is None


def test_someone_elses_link_and_a_made_up_one_are_404(client, as_role, make_user, sign_in):
    owner = as_role(Role.MEMBER)
    link = _ready_link(client, owner)
    client.post("/account/sign-out")
    sign_in(make_user(role=Role.ADMIN))
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert client.get("/account/data/not-a-real-token").status_code == 404
    assert db.session.scalar(select(DataExport)).status == "ready"


def test_a_signed_out_visitor_is_asked_to_sign_in(client, as_role):
    user = as_role(Role.MEMBER)
    link = _ready_link(client, user)
    client.post("/account/sign-out")
    response = client.get(link)
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


@pytest.mark.app_config({"WTF_CSRF_ENABLED": True})
def test_posts_without_a_csrf_token_are_refused(client, make_user, app):
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    assert client.post("/account/data").status_code == 400
    assert client.post("/account/consents/withdraw", data={"kind": "directory-listing"}).status_code == 400
    assert db.session.scalar(select(func.count(DataExport.id))) == 0


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_asking_is_rate_limited(client, as_role):
    as_role(Role.MEMBER)
    statuses = [client.post("/account/data").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_build_exports_command_reports_counts(app, client, as_role):
    as_role(Role.MEMBER)
    client.post("/account/data")
    result = app.test_cli_runner().invoke(args=["build-exports"])
    assert result.exit_code == 0, result.output
    assert "Built 1 export(s); 0 expired" in result.output
    quiet = app.test_cli_runner().invoke(args=["build-exports", "--quiet"])
    assert quiet.output == ""


def test_a_build_that_stopped_is_tried_again_later(client, as_role):
    user = as_role(Role.MEMBER)
    client.post("/account/data")
    export = db.session.scalar(select(DataExport))
    export.status, export.claimed_at = "building", utcnow() - timedelta(minutes=10)
    db.session.commit()
    assert exports.build_pending()["built"] == 0  # maybe still building elsewhere
    export.claimed_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    assert exports.build_pending()["built"] == 1
    assert link_token(user.email)


def test_a_build_that_fails_stays_queued_and_the_others_are_built(client, as_role, make_user, monkeypatch):
    first = as_role(Role.MEMBER)
    client.post("/account/data")
    second = make_user()
    exports.request_export(second, second)
    real = exports.write_zip
    monkeypatch.setattr(exports, "write_zip", lambda user: real(user) if user.id == second.id else 1 / 0)
    assert exports.build_pending() == {"expired": 0, "built": 1, "failed": 1}
    statuses = dict(db.session.execute(select(DataExport.subject_id, DataExport.status)).all())
    assert statuses == {first.id: "queued", second.id: "ready"}
