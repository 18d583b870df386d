"""Your sessions (issue #17 part 4): each signed-in browser has a server-side record that can be ended."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from champions.accounts import services, sessions
from champions.accounts.models import UserSession
from champions.clock import utcnow
from champions.extensions import db

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36 Edg/131.0.0.0"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Mobile Safari/537.36"
)
PASSWORD = "correct horse battery staple 42"


def signed_in(app, user, user_agent: str = FIREFOX_WINDOWS):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    response = client.post("/account/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def records(user) -> list[UserSession]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id))
    )


@pytest.mark.parametrize(
    "user_agent, words",
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on an iPhone"),
        (EDGE_WINDOWS, "Edge on Windows"),
        (CHROME_ANDROID, "Chrome on Android"),
        ("curl/8.5.0", "An unknown browser or app"),
        ("", "An unknown browser or app"),
    ],
)
def test_the_device_is_named_in_plain_words(user_agent, words):
    assert sessions.describe_device(user_agent) == words


def test_the_account_page_lists_active_sessions(app, make_user):
    user = make_user()
    phone = signed_in(app, user, SAFARI_IPHONE)
    laptop = signed_in(app, user, FIREFOX_WINDOWS)
    html = laptop.get("/account").get_data(as_text=True)
    assert "Where you are signed in" in html
    assert "Safari on an iPhone" in html and "Firefox on Windows" in html
    assert "(this device)" in html and "Password" in html
    assert phone.get("/account").status_code == 200


def test_ending_a_session_refuses_its_cookie(app, make_user):
    user = make_user()
    phone = signed_in(app, user, SAFARI_IPHONE)
    laptop = signed_in(app, user, FIREFOX_WINDOWS)
    phone_record, laptop_record = records(user)
    response = laptop.post(f"/account/sessions/{phone_record.id}/end")
    assert response.headers["Location"] == "/account#sessions"
    assert phone.get("/account").headers["Location"].startswith("/account/sign-in")
    assert laptop.get("/account").status_code == 200
    assert records(user)[0].ended_at is not None and records(user)[1].ended_at is None


def test_an_ended_session_refuses_its_remember_me_cookie_too(app, make_user):
    user = make_user()
    phone = app.test_client()
    phone.post("/account/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = phone.get_cookie("remember_token").value
    (record,) = records(user)
    sessions.end(user, record.id)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert fresh.get("/account").headers["Location"].startswith("/account/sign-in")


def test_ending_all_others_keeps_this_one(app, make_user):
    user = make_user()
    others = [signed_in(app, user) for _ in range(2)]
    mine = signed_in(app, user)
    response = mine.post("/account/sessions/end-others")
    assert response.headers["Location"] == "/account#sessions"
    for other in others:
        assert other.get("/account").headers["Location"].startswith("/account/sign-in")
    assert mine.get("/account").status_code == 200
    assert "Sign out of every other session" not in mine.get("/account").get_data(as_text=True)


def test_ending_this_session_signs_you_out(app, make_user):
    user = make_user()
    mine = signed_in(app, user)
    (record,) = records(user)
    assert mine.post(f"/account/sessions/{record.id}/end").headers["Location"] == "/"
    assert mine.get("/account").headers["Location"].startswith("/account/sign-in")


def test_nobody_ends_another_persons_session(app, make_user):
    owner, stranger = make_user(), make_user()
    theirs = signed_in(app, owner)
    (record,) = records(owner)
    signed_in(app, stranger).post(f"/account/sessions/{record.id}/end")
    assert theirs.get("/account").status_code == 200


def test_signing_out_ends_only_this_device(app, make_user):
    user = make_user()
    phone, laptop = signed_in(app, user), signed_in(app, user)
    laptop.post("/account/sign-out")
    assert laptop.get("/account").headers["Location"].startswith("/account/sign-in")
    assert phone.get("/account").status_code == 200


def test_a_password_change_keeps_this_session_and_lists_only_it(app, make_user):
    user = make_user()
    phone, laptop = signed_in(app, user), signed_in(app, user)
    changed = laptop.post(
        "/account/password", data={"current_password": PASSWORD, "password": "a new long passphrase here"}
    )
    assert changed.headers["Location"] == "/account"
    assert phone.get("/account").headers["Location"].startswith("/account/sign-in")
    html = laptop.get("/account").get_data(as_text=True)
    assert html.count("Firefox on Windows") == 1


def test_an_id_without_a_session_record_is_refused(app, make_user):
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = f"{user.id}:{user.session_version}", True
    assert client.get("/account").headers["Location"].startswith("/account/sign-in")
    assert services.load_user(f"{user.id}:{user.session_version}:999") is None
    assert services.load_user("x:y:z") is None


def test_last_used_moves_on_at_most_every_few_minutes(app, make_user, count_queries):
    user = make_user()
    client = signed_in(app, user)
    (record,) = records(user)
    first_seen = record.last_seen_at
    client.get("/account")
    assert records(user)[0].last_seen_at == first_seen  # within a few minutes: no write

    record.last_seen_at = utcnow() - timedelta(minutes=6)
    db.session.commit()
    client.get("/account")
    assert records(user)[0].last_seen_at > utcnow() - timedelta(minutes=1)


def test_a_session_unused_for_longer_than_remember_me_lasts_ends(app, make_user):
    user = make_user()
    client = signed_in(app, user)
    (record,) = records(user)
    record.last_seen_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert client.get("/account").headers["Location"].startswith("/account/sign-in")


def test_a_role_change_ends_every_session(app, make_user):
    user = make_user()
    client = signed_in(app, user)
    services.end_sessions(user)
    db.session.commit()
    assert client.get("/account").headers["Location"].startswith("/account/sign-in")


@pytest.mark.app_config({"SECOND_FACTOR_REQUIRED": True})
def test_a_coordinators_second_factor_is_read_with_the_session_not_after_it(app, make_user, count_queries):
    """Every page checks that a coordinator has a second factor: it comes with the user, in one statement."""
    from champions.accounts.models import Role, SecondFactor

    coordinator = make_user(role=Role.COORDINATOR)
    client = signed_in(app, coordinator)  # no factor yet: the session starts, the pages wait for one
    assert client.get("/manage").headers["Location"].startswith("/account/second-factor")
    db.session.add(SecondFactor(user_id=coordinator.id, secret="JBSWY3DPEHPK3PXP"))
    db.session.commit()
    with count_queries() as statements:
        assert client.get("/manage").status_code == 200
    reading_the_factor = [s for s in statements if "second_factors" in s]
    assert len(reading_the_factor) == 1 and "user_sessions" in reading_the_factor[0]
