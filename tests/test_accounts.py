"""Registration, verification, sign-in, sessions, passwords and profile."""

import pytest

from champions.accounts import passwords, services
from champions.accounts.models import User
from champions.extensions import db

GOOD_PASSWORD = "granite lighthouse porridge 1987"


def register(client, headers=None, **overrides):
    data = {
        "name": "Isla Brown",
        "email": "isla.brown@example.org",
        "organisation": "Fife Council",
        "workplace": "area:fife",
        "password": GOOD_PASSWORD,
    }
    data.update(overrides)
    return client.post("/account/register", data=data, headers=headers)


def test_register_verify_and_sign_in(client, outbox):
    response = register(client)
    assert response.headers["Location"] == "/account/register/check-your-email"
    user = db.session.scalar(db.select(User).where(User.email == "isla.brown@example.org"))
    assert user.email_verified_at is None
    assert user.password_hash.startswith("scrypt:")
    assert user.organisation.name == "Fife Council" and user.council_area.name == "Fife"
    assert user.organisation.places == "Fife; NHS Fife"  # a new organisation takes the area and its board

    # Unverified accounts cannot sign in yet; trying sends a fresh link.
    failed = client.post("/account/sign-in", data={"email": user.email, "password": GOOD_PASSWORD})
    assert failed.headers["Location"] == "/account/register/check-your-email"
    assert client.get("/account").status_code == 302

    first_link, link = outbox.links(user.email)
    assert link.startswith("https://portal.example.test/account/verify/")
    path = link.removeprefix("https://portal.example.test")
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.headers["Location"] == "/account/sign-in"
    assert user.email_verified_at is not None

    response = client.post(
        "/account/sign-in", data={"email": "ISLA.brown@example.org ", "password": GOOD_PASSWORD}
    )
    assert response.headers["Location"] == "/"
    assert "Isla Brown" in client.get("/account").get_data(as_text=True)


def test_opening_the_verification_link_asks_before_confirming(client, outbox):
    register(client)
    user = db.session.scalar(db.select(User).where(User.email == "isla.brown@example.org"))
    path = outbox.links(user.email)[-1].removeprefix("https://portal.example.test")
    page = client.get(path)
    assert page.status_code == 200 and 'method="post"' in page.get_data(as_text=True)
    assert user.email_verified_at is None  # a mail scanner following the link confirms nothing
    assert client.post(path).headers["Location"] == "/account/sign-in"
    assert user.email_verified_at is not None
    assert client.post(path).headers["Location"] == "/account/sign-in"  # a second press is calm


def test_register_with_existing_email_looks_the_same(client, make_user, outbox):
    existing = make_user(email="taken@example.org")
    response = register(client, email="taken@example.org")
    assert response.headers["Location"] == "/account/register/check-your-email"
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    [message] = outbox.messages("taken@example.org")
    assert "already have an account" in message.body
    assert existing.password_hash != GOOD_PASSWORD


def test_links_use_base_url_not_host_header(client, outbox):
    register(client, email="host@example.org", headers={"Host": "evil.example.com"})
    client.post(
        "/account/reset-password", data={"email": "host@example.org"}, headers={"Host": "evil.example.com"}
    )
    assert all(link.startswith("https://portal.example.test/") for link in outbox.links("host@example.org"))


@pytest.mark.parametrize(
    "password, message",
    [
        ("short", "at least 12 characters"),
        ("password1234", "easy for someone to guess"),
        ("traumachampions2026", "easy for someone to guess"),
        ("islabrown1987", "easy for someone to guess"),
        ("x" * 257, "up to 256 characters"),
    ],
)
def test_weak_passwords_are_refused(client, password, message):
    response = register(client, password=password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_long_passwords_are_not_truncated(make_user, client, sign_in):
    long_password = "river " * 21 + "stone"  # 131 characters
    user = make_user(password_hash=passwords.hash_password(long_password))
    assert passwords.check_password(user.password_hash, long_password)
    assert not passwords.check_password(user.password_hash, long_password[:128])
    sign_in(user, password=long_password)


def test_registration_domain_allow_list(app, client):
    app.config["REGISTRATION_EMAIL_DOMAINS"] = ["gov.scot", "nhs.scot"]
    refused = register(client, email="someone@gmail.com")
    assert "Please use your work email address" in refused.get_data(as_text=True)
    accepted = register(client, email="someone@fife.gov.scot")
    assert accepted.status_code == 302


def test_sign_in_failure_message_does_not_reveal_accounts(client, make_user):
    make_user(email="known@example.org")
    known = client.post(
        "/account/sign-in", data={"email": "known@example.org", "password": "wrong password here"}
    )
    unknown = client.post(
        "/account/sign-in", data={"email": "nobody@example.org", "password": "wrong password here"}
    )
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: r.get_data(as_text=True).replace("nobody@example.org", "known@example.org")  # noqa: E731
    assert strip(known) == strip(unknown)


def test_reset_password_flow_is_single_use(client, make_user, outbox):
    user = make_user(email="reset@example.org")
    for address in ("reset@example.org", "nobody@example.org"):
        response = client.post("/account/reset-password", data={"email": address})
        assert f"If {address} has an account" in response.get_data(as_text=True)
    [link] = outbox.links("reset@example.org")
    [no_account] = outbox.messages("nobody@example.org")
    assert "There is no account with this address" in no_account.body
    path = link.removeprefix("https://portal.example.test")
    response = client.post(path, data={"password": "a fresh new password for me"})
    assert response.headers["Location"] == "/account/sign-in"
    assert passwords.check_password(user.password_hash, "a fresh new password for me")
    again = client.post(path, data={"password": "another fresh new password"})
    assert again.status_code == 400
    assert "no longer works" in again.get_data(as_text=True)


@pytest.mark.parametrize("token", ["nonsense", "a" * 500, "eyJ1aWQiOjF9.bad.sig"])
def test_tampered_tokens_get_a_kind_page(client, token):
    for path in (f"/account/verify/{token}", f"/account/reset-password/{token}"):
        response = client.get(path)
        assert response.status_code == 400
        assert "This link no longer works" in response.get_data(as_text=True)
    response = client.post(f"/account/verify/{token}")
    assert response.status_code == 400 and "This link no longer works" in response.get_data(as_text=True)


def test_sign_out_invalidates_copied_cookie(app, client, make_user, sign_in):
    user = make_user()
    sign_in(user, remember=True)
    stolen = app.test_client()
    for cookie in client._cookies.values():
        stolen.set_cookie(cookie.key, cookie.value)
    assert stolen.get("/account").status_code == 200
    client.post("/account/sign-out")
    assert client.get("/account").headers["Location"].startswith("/account/sign-in")
    assert stolen.get("/account").headers["Location"].startswith("/account/sign-in")


def test_change_password_ends_other_sessions(app, client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    other = app.test_client()
    other.post("/account/sign-in", data={"email": user.email, "password": "correct horse battery staple 42"})
    assert other.get("/account").status_code == 200
    wrong = client.post(
        "/account/password",
        data={"current_password": "not it at all", "password": "a new long passphrase here"},
    )
    assert "not your current password" in wrong.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "current_password": "correct horse battery staple 42",
            "password": "a new long passphrase here",
        },
    )
    assert response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_deactivated_user_is_signed_out(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    user.active = False
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_edit_profile(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    response = client.post(
        "/account/profile",
        data={
            "name": "New Name",
            "organisation": "NHS Tayside",
            "workplace": "board:nhs-tayside",
            "version": 1,
        },
    )
    assert response.headers["Location"] == "/account"
    assert user.name == "New Name" and user.health_board.name == "NHS Tayside" and user.council_area is None


def test_profile_form_cannot_raise_role(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    client.post(
        "/account/profile",
        data={
            "name": "Sneaky",
            "organisation": "X",
            "workplace": "area:fife",
            "role": "40",
            "is_admin": "1",
            "version": 1,
        },
    )
    assert user.role == 10


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/events", "/events"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com", "/"),
        ("/\\evil.example.com", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirect_is_local_only(client, make_user, target, expected):
    user = make_user()
    response = client.post(
        "/account/sign-in",
        query_string={"next": target},
        data={"email": user.email, "password": "correct horse battery staple 42"},
    )
    assert response.headers["Location"] == expected


def test_personal_pages_are_not_cached(client, make_user, sign_in):
    sign_in(make_user())
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_services_reject_unknown_workplace(app):
    assert services.resolve_workplace("area:atlantis") == (None, None)
    assert services.resolve_workplace("garbage") == (None, None)


def test_sign_in_does_the_same_hashing_work_for_unknown_addresses(client, make_user, monkeypatch):
    calls = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    make_user(email="known@example.org")
    client.post("/account/sign-in", data={"email": "known@example.org", "password": "wrong password"})
    client.post("/account/sign-in", data={"email": "unknown@example.org", "password": "wrong password"})
    assert len(calls) == 2 and all(h.startswith("scrypt:") for h in calls)


def test_register_does_the_same_hashing_work_for_existing_addresses(client, make_user, monkeypatch):
    calls = []
    real = passwords.generate_password_hash
    monkeypatch.setattr(passwords, "generate_password_hash", lambda p, **kw: calls.append(p) or real(p, **kw))
    make_user(email="taken@example.org")
    register(client, email="taken@example.org")
    register(client, email="fresh@example.org")
    assert len(calls) == 2


@pytest.mark.parametrize("length", [72, 73, 128, 256])
def test_long_passwords_work_through_every_form(client, make_user, sign_in, outbox, length):
    password = ("granite lighthouse porridge " * 10)[:length]
    assert register(client, email="long@example.org", password=password).status_code == 302
    user = make_user()
    sign_in(user)
    response = client.post(
        "/account/password",
        data={"current_password": "correct horse battery staple 42", "password": password},
    )
    assert response.headers["Location"] == "/account"
    assert passwords.check_password(user.password_hash, password)


def test_concurrent_registration_of_one_address_is_kind(app, client, make_user, monkeypatch):
    # Simulate the race: the address is free when checked, taken when saved.
    make_user(email="race@example.org")
    answers = iter([None])  # free when first checked, taken from then on
    real = services.user_by_email
    monkeypatch.setattr(services, "user_by_email", lambda email: next(answers, real(email)))
    response = register(client, email="race@example.org")
    assert response.headers["Location"] == "/account/register/check-your-email"


def test_the_first_sign_in_ever_is_not_welcomed_back(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    first = client.get("/").get_data(as_text=True)
    assert f"Welcome, {user.name}." in first and "Welcome back" not in first
    client.post("/account/sign-out")
    sign_in(user)
    assert f"Welcome back, {user.name}." in client.get("/").get_data(as_text=True)
