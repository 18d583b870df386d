"""The app shell: settings, security headers, error pages, health check, demo data, migrations."""

import subprocess
import sys
from pathlib import Path

import pytest
from flask_migrate import check

from champions import create_app, demo
from champions.accounts.models import Role, User
from champions.config import ConfigError
from champions.extensions import db

ROOT = Path(__file__).resolve().parent.parent
STABLE_URLS = [
    "/",
    "/account/register",
    "/account/sign-in",
    "/account/sign-out",
    "/account/reset-password",
    "/champions",
    "/discussions",
    "/case-studies",
    "/events",
    "/resources",
    "/healthz",
    "/accessibility",
    "/privacy",
    "/cookies",
]


@pytest.mark.parametrize("url", STABLE_URLS)
def test_stable_urls_answer(client, url):
    assert client.get(url).status_code == 200


def test_healthz_is_json(client):
    response = client.get("/healthz")
    assert response.json == {"status": "ok", "database": "ok"}


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
        assert part in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in headers  # development only over http


PRODUCTION_ENV = {
    "APP_ENV": "production",
    "SECRET_KEY": "a" * 64,
    "MAIL_SERVER": "smtp.example.org",
    "BASE_URL": "https://champions.example.org",
}


@pytest.mark.parametrize(
    "setting, value, problem",
    [
        ("SECRET_KEY", "", "SECRET_KEY"),
        ("SECRET_KEY", "change-me", "SECRET_KEY"),
        ("MAIL_SERVER", "", "MAIL_SERVER"),
        ("BASE_URL", "http://champions.example.org", "BASE_URL"),
        ("FLASK_DEBUG", "1", "FLASK_DEBUG"),
        ("APP_ENV", "", "SECRET_KEY"),  # unset means production: it fails closed
    ],
)
def test_production_refuses_unsafe_settings(monkeypatch, setting, value, problem):
    for name, default in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, default)
    monkeypatch.setenv(setting, value)
    if setting == "APP_ENV":
        monkeypatch.delenv("APP_ENV")
        monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(ConfigError, match=problem):
        create_app()


def test_production_settings(monkeypatch, database_url):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    assert app.debug is False
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    with app.app_context():
        response = app.test_client().get("/accessibility")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    "code, words",
    [
        (404, "Page not found"),
        (403, "You do not have access"),
        (400, "Something went wrong"),
        (413, "too big"),
        (429, "Too many attempts"),
        (500, "Sorry, there is a problem"),
    ],
)
@pytest.mark.fresh_app
def test_error_pages_are_styled(app, client, code, words):
    @app.route(f"/__fail/{code}")
    def fail():
        if code == 500:
            raise RuntimeError("boom")
        from flask import abort

        abort(code)

    response = client.get(f"/__fail/{code}")
    assert response.status_code == code
    body = response.get_data(as_text=True)
    assert words in body and "ds_site-header" in body


def test_unknown_page_is_404(client):
    assert client.get("/no/such/page").status_code == 404


def test_models_and_migrations_agree(app):
    check()  # raises when autogenerate would find differences


def test_seed_demo_creates_the_four_accounts_once(app):
    assert demo.seed_demo() is True
    emails = set(db.session.scalars(db.select(User.email)))
    assert {
        "admin@example.org",
        "coordinator@example.org",
        "champion@example.org",
        "member@example.org",
    } <= emails
    roles = {u.email: u.role_enum for u in db.session.scalars(db.select(User))}
    assert roles["admin@example.org"] is Role.ADMIN
    assert roles["champion@example.org"] is Role.CHAMPION
    assert demo.seed_demo() is False


def test_seed_demo_refuses_a_real_database(app, make_user):
    make_user()
    with pytest.raises(demo.NotADemoDatabase):
        demo.seed_demo()


def test_demo_accounts_can_sign_in(app, client):
    demo.seed_demo()
    for email in (
        "admin@example.org",
        "coordinator@example.org",
        "champion@example.org",
        "member@example.org",
    ):
        response = client.post("/account/sign-in", data={"email": email, "password": demo.DEMO_PASSWORD})
        assert response.headers["Location"] == "/", email
        client.post("/account/sign-out")


def test_flask_cli_works_through_wsgi(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    for command in ("seed-demo", "send-mail", "db"):
        assert command in result.stdout
