"""Request size: a small limit, a larger one only where files are uploaded; too big gets a styled 413."""

import io

import pytest
from werkzeug.test import EnvironBuilder

from champions.accounts.models import Role

MB = 1024 * 1024
UPLOAD_VIEWS = {"casestudies.create", "casestudies.edit"}


def _post(client, url: str, data: dict):
    # Build the request ourselves so the big body the test client spools to disk is closed.
    environ = EnvironBuilder(path=url, method="POST", data=data).get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


def _case_study(**extra) -> dict:
    return {
        "title": "Peer group",
        "summary": "A peer group.",
        "challenge": "Isolation.",
        "visibility": "public",
        "action": "draft",
        **extra,
    }


def test_the_default_limit_is_small(app):
    assert app.config["MAX_CONTENT_LENGTH"] <= MB
    assert app.config["UPLOAD_MAX_CONTENT_LENGTH"] >= 50 * MB


def test_every_form_but_the_uploads_refuses_a_big_body_with_the_styled_page(app, client, as_role):
    as_role(Role.ADMIN)
    post_rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert post_rules
    for rule in post_rules:
        if rule.endpoint in UPLOAD_VIEWS:
            continue
        url = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
        response = client.post(url, data={"body": "x" * (MB + 1)})
        assert response.status_code == 413, url
        assert "That was too big to send" in response.get_data(as_text=True), url


def test_sign_in_refuses_a_big_file_body(client):
    body = {"email": "a@example.org", "file": (io.BytesIO(b"0" * 2 * MB), "a")}
    response = _post(client, "/account/sign-in", body)
    assert response.status_code == 413
    assert "That was too big to send" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/case-studies/new", "/case-studies/1/edit"])
def test_the_upload_views_take_a_larger_body(client, as_role, url):
    as_role(Role.ADMIN)
    big = b"%PDF-1.4\n" + b"0" * (3 * MB)
    response = _post(client, url, _case_study(files=[(io.BytesIO(big), "report.pdf")]))
    assert response.status_code in {302, 404}, response.status_code  # edit: no case study 1, but not a 413


def test_an_upload_over_the_upload_limit_gets_the_styled_page(client, as_role):
    as_role(Role.CHAMPION)
    files = [(io.BytesIO(b"%PDF-" + b"0" * (12 * MB)), f"part{n}.pdf") for n in range(5)]
    response = _post(client, "/case-studies/new", _case_study(files=files))
    assert response.status_code == 413
    assert "That was too big to send" in response.get_data(as_text=True)
