"""Sign-in limits: each attempt is counted before its password is checked; strangers cannot lock out owners.

The concurrency tests send real HTTP requests from many threads to a threaded server running the
test app, on whichever engine the suite runs on (SQLite, or PostgreSQL with TEST_DATABASE_URL).
"""

import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from werkzeug.serving import make_server

from champions.accounts import passwords

LIMITED = pytest.mark.app_config({"RATELIMIT_ENABLED": True})


@pytest.fixture
def live_url(app):
    """Serve the test app over HTTP from a threaded server, as `flask run` would."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def password_checks(monkeypatch):
    """Count how many times a password is checked against its hash."""
    lock = threading.Lock()
    checks = []
    real = passwords.check_password

    def counting(password_hash, password):
        with lock:
            checks.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "check_password", counting)
    return checks


def _post_sign_in(base_url: str, email: str, password: str) -> int:
    data = urllib.parse.urlencode({"email": email, "password": password}).encode()
    request = urllib.request.Request(f"{base_url}/account/sign-in", data=data, method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@LIMITED
@pytest.mark.parametrize("attempts", [30, 40])
def test_simultaneous_wrong_passwords_get_at_most_ten_checks(live_url, make_user, password_checks, attempts):
    email = make_user().email
    with ThreadPoolExecutor(max_workers=attempts) as pool:
        statuses = list(pool.map(lambda n: _post_sign_in(live_url, email, f"wrong {n}"), range(attempts)))
    assert 500 not in statuses
    assert len(password_checks) <= 10
    assert statuses.count(200) == len(password_checks)
    assert statuses.count(429) == attempts - len(password_checks)


@LIMITED
def test_simultaneous_wrong_passwords_for_many_accounts_from_one_address_are_limited(
    live_url, make_user, password_checks
):
    emails = [make_user().email for _ in range(3)]
    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(lambda n: _post_sign_in(live_url, emails[n % 3], "wrong"), range(30)))
    assert 500 not in statuses
    assert len(password_checks) <= 10


def _attempt(client, email: str, password: str, address: str):
    return client.post(
        "/account/sign-in", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


@LIMITED
def test_a_stranger_cannot_lock_the_owner_out(app, client, make_user, sign_in):
    owner = make_user()
    sign_in(owner)  # the owner's browser has signed in here before
    client.post("/account/sign-out")
    stranger = app.test_client()
    for n in range(40):
        _attempt(stranger, owner.email, "wrong", f"10.9.{n // 10}.{n}")
    assert _attempt(stranger, owner.email, "wrong", "10.9.9.9").status_code == 429
    response = _attempt(client, owner.email, "correct horse battery staple 42", "10.1.1.1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@LIMITED
def test_a_stranger_at_the_owners_address_cannot_lock_the_owner_out(app, client, make_user, sign_in):
    owner = make_user()
    sign_in(owner)
    client.post("/account/sign-out")
    stranger = app.test_client()
    for _ in range(15):
        _attempt(stranger, owner.email, "wrong", "127.0.0.1")
    response = _attempt(client, owner.email, "correct horse battery staple 42", "127.0.0.1")
    assert response.status_code == 302


@LIMITED
def test_a_device_known_for_one_account_is_not_trusted_for_another(app, client, make_user, sign_in):
    owner, other = make_user(), make_user()
    sign_in(owner)
    client.post("/account/sign-out")
    for n in range(10):
        _attempt(app.test_client(), other.email, "wrong", f"10.8.0.{n}")
    assert _attempt(client, other.email, "wrong", "10.8.1.1").status_code == 429


@LIMITED
def test_a_known_device_still_gets_only_ten_wrong_passwords(client, make_user, sign_in):
    owner = make_user()
    sign_in(owner)
    client.post("/account/sign-out")
    statuses = [_attempt(client, owner.email, "wrong", f"10.7.0.{n}").status_code for n in range(11)]
    assert statuses == [200] * 10 + [429]


@LIMITED
def test_one_address_is_limited_over_an_hour_as_well(app, client, make_user, monkeypatch):
    users = [make_user() for _ in range(31)]
    clock = [1_000_000.0]
    monkeypatch.setattr("time.time", lambda: clock[0])
    statuses = []
    for user in users:
        clock[0] += 40  # 31 attempts over about 20 minutes: never 10 within 5 minutes
        statuses.append(_attempt(client, user.email, "wrong", "10.6.0.1").status_code)
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_the_device_cookie_is_http_only_and_listed_on_the_cookies_page(client, make_user, sign_in):
    response = sign_in(make_user())
    (device,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("device=")]
    assert "HttpOnly" in device and "SameSite=Lax" in device
    assert "<code>device</code>" in client.get("/cookies").get_data(as_text=True)


def _signed_in_cookie(base_url: str, email: str) -> str:
    """Sign in over HTTP and return the Cookie header that carries the session."""
    data = urllib.parse.urlencode({"email": email, "password": "correct horse battery staple 42"}).encode()
    request = urllib.request.Request(f"{base_url}/account/sign-in", data=data, method="POST")
    try:
        urllib.request.build_opener(_NoRedirect).open(request, timeout=60)
    except urllib.error.HTTPError as error:
        assert error.code == 302
        cookies = error.headers.get_all("Set-Cookie")
    return "; ".join(cookie.split(";", 1)[0] for cookie in cookies)


def _post_change_password(base_url: str, cookie: str, current: str) -> int:
    data = urllib.parse.urlencode({"current_password": current, "password": "granite lighthouse porridge"})
    request = urllib.request.Request(
        f"{base_url}/account/password", data=data.encode(), method="POST", headers={"Cookie": cookie}
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@LIMITED
@pytest.mark.parametrize("attempts", [30])
def test_simultaneous_wrong_current_passwords_get_at_most_ten_checks(
    live_url, make_user, password_checks, attempts
):
    cookie = _signed_in_cookie(live_url, make_user().email)
    password_checks.clear()
    with ThreadPoolExecutor(max_workers=attempts) as pool:
        statuses = list(
            pool.map(lambda n: _post_change_password(live_url, cookie, f"wrong {n}"), range(attempts))
        )
    assert 500 not in statuses
    assert len(password_checks) <= 10
    assert statuses.count(200) == len(password_checks)
    assert statuses.count(429) == attempts - len(password_checks)


@LIMITED
def test_the_change_password_limit_counts_only_wrong_passwords(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    form = {"current_password": "wrong", "password": "granite lighthouse porridge"}
    statuses = [client.post("/account/password", data=form).status_code for _ in range(9)]
    assert statuses == [200] * 9
    right = {**form, "current_password": "correct horse battery staple 42"}
    assert client.post("/account/password", data=right).headers["Location"] == "/account"
    right["current_password"], right["password"] = right["password"], "another granite lighthouse"
    assert client.post("/account/password", data=right).headers["Location"] == "/account"
    assert client.post("/account/password", data=form).status_code == 200
    assert client.post("/account/password", data=form).status_code == 429


@LIMITED
def test_a_request_holding_its_database_connection_can_still_count(app, caplog, monkeypatch):
    """The counters use a pool of their own: a request never waits for a second connection from its own pool.

    With one pool, a threaded server's requests each held a connection (loading the signed-in user) and then
    waited for another to count an attempt; with as many requests as the pool holds, none could go on, and
    each waited the pool's 30 seconds before a 500. Here the app's pool is one connection, and it is held.
    """
    from sqlalchemy import create_engine, select

    from champions.accounts.services import PASSWORD_CHANGE_LIMIT, hit_limit
    from champions.extensions import db

    with app.test_request_context():
        one = create_engine(db.engine.url, pool_size=1, max_overflow=0, pool_timeout=1)
        monkeypatch.setitem(db.engines, None, one)
        try:
            with one.connect() as held, caplog.at_level("WARNING"):
                held.execute(select(1))
                assert hit_limit(PASSWORD_CHANGE_LIMIT, "held-connection-test", scope="password-change")
        finally:
            one.dispose()
    assert "unreachable" not in caplog.text


def test_on_sqlite_a_count_waits_for_the_writer_before_it_as_long_as_for_a_pooled_connection(app):
    """Thirty sign-ins at once on SQLite queue ninety counts for the one writer. Python's driver waits 5
    seconds for it, which a loaded machine used up: a count that gave up was kept in the process's memory
    instead, and an eleventh wrong password was checked. The app's writes wait as long."""
    from champions.extensions import db
    from champions.ratelimit_storage import counter_engine

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    for engine in (db.engine, counter_engine(db.engine)):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
