"""CSRF, rate limits and bad input on every foundation form: never a 500."""

import pytest

from champions.accounts.models import Role
from champions.extensions import db

CSRF_FORMS = ["/account/register", "/account/sign-in", "/account/reset-password", "/account/sign-out"]


@pytest.mark.app_config({"WTF_CSRF_ENABLED": True})
@pytest.mark.parametrize("url", CSRF_FORMS)
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_post_without_valid_csrf_token_gets_400_page(client, url, token):
    data = {"email": "a@example.org", "password": "x"}
    if token:
        data["csrf_token"] = token
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "This form needs to be sent again" in response.get_data(as_text=True)


def test_every_post_route_needs_csrf(app, client, as_role):
    as_role(Role.ADMIN)
    app.config["WTF_CSRF_ENABLED"] = True
    csrf = app.extensions["csrf"]

    def exempt(rule) -> bool:
        # Only one-click unsubscribe links are exempt: their signed token is the proof.
        view = app.view_functions[rule.endpoint]
        return f"{view.__module__}.{view.__name__}" in csrf._exempt_views

    post_rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods and not exempt(r)]
    assert post_rules
    assert all("unsubscribe" in r.rule for r in app.url_map.iter_rules() if exempt(r))
    for rule in post_rules:
        url = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
        response = client.post(url, data={"role": "40", "active": "0"})
        assert response.status_code == 400, url
        assert "This form needs to be sent again" in response.get_data(as_text=True), url


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_sign_in_failures_are_throttled_per_ip(client, make_user):
    user = make_user()
    for n in range(10):
        response = client.post("/account/sign-in", data={"email": f"x{n}@example.org", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/account/sign-in", data={"email": user.email, "password": "wrong"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_sign_in_failures_are_throttled_per_account_across_ips(client, make_user):
    user = make_user()
    for n in range(10):
        client.post(
            "/account/sign-in",
            data={"email": user.email, "password": "wrong"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        )
    response = client.post(
        "/account/sign-in",
        data={"email": user.email, "password": "correct horse battery staple 42"},
        environ_base={"REMOTE_ADDR": "10.0.1.1"},
    )
    assert response.status_code == 429


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_successful_sign_ins_are_not_counted(client, make_user, sign_in):
    user = make_user()
    for _ in range(12):
        sign_in(user)
        client.post("/account/sign-out")


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_limits_are_kept_in_the_shared_database(app, client):
    for _ in range(10):
        client.post("/account/sign-in", data={"email": "a@example.org", "password": "wrong"})
    # A second app (another worker) sees the same counters.
    from champions import create_app

    other_worker = create_app({**app.config, "RATELIMIT_ENABLED": True})
    with other_worker.app_context():
        response = other_worker.test_client().post(
            "/account/sign-in", data={"email": "a@example.org", "password": "wrong"}
        )
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 429


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_password_reset_is_rate_limited(client):
    statuses = [
        client.post("/account/reset-password", data={"email": "z@example.org"}).status_code for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


ODD_VALUES = [
    "",
    "   ",
    "x" * 10_000,
    "not-an-email",
    "Zoë O'Neill-Ó Súilleabháin",
    "\u202eevil\u202c",
    "\x00null",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "😀" * 50,
    "a@b",
    "\ufffd\ufeff",
]


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize(
    "url, fields",
    [
        ("/account/register", ["name", "email", "organisation", "workplace", "password"]),
        ("/account/sign-in", ["email", "password", "remember"]),
        ("/account/reset-password", ["email"]),
        ("/account/reset-password/not-a-token", ["password"]),
    ],
)
def test_public_forms_never_fail_on_bad_input(client, url, fields, value):
    for field in fields:
        response = client.post(url, data={f: (value if f == field else "ok value") for f in fields})
        assert response.status_code in {200, 302, 400}, (field, response.status_code)


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize(
    "url, fields",
    [
        ("/account/profile", ["name", "organisation", "workplace"]),
        ("/account/password", ["current_password", "password"]),
    ],
)
def test_account_forms_never_fail_on_bad_input(client, make_user, sign_in, url, fields, value):
    user = make_user()
    sign_in(user)
    for field in fields:
        response = client.post(url, data={f: (value if f == field else "ok value") for f in fields})
        assert response.status_code in {200, 302, 400}, (field, response.status_code)
    assert user.name.startswith("Test Person") or user.name == "ok value"


def test_register_errors_are_shown_next_to_fields_and_in_summary(client):
    body = client.post("/account/register", data={"email": "nope"}).get_data(as_text=True)
    assert "There is a problem" in body
    assert "Enter your name" in body and "Enter an email address in the correct format" in body
    assert 'href="#name"' in body


def test_control_characters_are_refused_in_names(client):
    body = client.post(
        "/account/register",
        data={
            "name": "Isla\u202eBrown",
            "email": "a@example.org",
            "organisation": "Org",
            "workplace": "area:fife",
            "password": "granite lighthouse porridge 1987",
        },
    ).get_data(as_text=True)
    assert "hidden or formatting characters" in body


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
@pytest.mark.parametrize("url", ["/account/sign-in", "/account/reset-password", "/account/register"])
def test_long_and_odd_emails_with_the_limiter_on(client, url):
    for email in ["x" * 300 + "@example.org", "a" * 250 + "@b.org", "Zoe\u0308@example.org", "\u202e@x.org"]:
        response = client.post(url, data={"email": email, "password": "wrong"})
        assert response.status_code in {200, 302}, email


def test_huge_ids_are_404_not_500(client, as_role):
    as_role(Role.ADMIN)
    for url in ("/admin/users/3000000000", "/admin/users/99999999999999999999"):
        assert client.get(url).status_code == 404


@pytest.mark.fresh_app
def test_error_page_after_a_database_error_still_renders_for_a_signed_in_user(app, client, as_role):
    from sqlalchemy import text

    @app.route("/__broken")
    def broken():
        db.session.execute(text("SELECT * FROM no_such_table"))

    as_role(Role.MEMBER)
    response = client.get("/__broken")
    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.get_data(as_text=True)
