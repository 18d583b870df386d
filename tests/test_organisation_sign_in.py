"""Organisation sign-in (OpenID Connect) against a real provider: `oidc-provider` from npm on 127.0.0.1.

The test client is the portal; a requests session is the browser at the provider, whose sign-in form
the test posts. Under CI=true a missing node or package fails these tests instead of skipping them.
"""

import json
import os
import re
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pyotp
import pytest
import requests
from sqlalchemy import select

from champions.accounts import organisation_sign_in
from champions.accounts.models import SecondFactor, User, UserIdentity
from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.extensions import db
from champions.lifecycle.services import erasure
from champions.privacy.queries import export

ROOT = Path(__file__).resolve().parents[1]
PORTAL = "https://portal.example.test"
CALLBACK = f"{PORTAL}/account/sign-in/organisation/nhs/callback"
ACCOUNTS = {
    "nia": {"email": "nia.new@nhs.scot", "email_verified": True, "name": "Nia New"},
    "ewan": {"email": "ewan.existing@nhs.scot", "email_verified": True, "name": "Ewan Existing"},
    "una": {"email": "una@nhs.scot", "email_verified": False, "name": "Una Unverified"},
    "otto": {"email": "otto@elsewhere.example", "email_verified": True, "name": "Otto Outside"},
}


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_issuer(tmp_path_factory):
    """Start the provider once for the session; fail under CI=true when it cannot run, else skip."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider" / "package.json").exists():
        message = "needs node and the oidc-provider package (npm ci)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    settings = tmp_path_factory.mktemp("oidc") / "settings.json"
    client = {
        "client_id": "portal",
        "client_secret": "portal-secret-for-tests",
        "redirect_uris": [CALLBACK],
        "post_logout_redirect_uris": [f"{PORTAL}/"],
    }
    settings.write_text(json.dumps({"clients": [client], "accounts": ACCOUNTS}))
    port = _port()
    process = subprocess.Popen(
        [node, str(ROOT / "tests" / "oidc" / "provider.mjs"), str(port), str(settings)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "ready", "the test provider did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture
def issuer_host():
    """The host the portal is told the provider's issuer is on (parametrize it to configure another)."""
    return "127.0.0.1"


@pytest.fixture
def config_overrides(request, issuer_host):
    marker = request.node.get_closest_marker("app_config")
    settings = dict(marker.args[0]) if marker else {}
    if "OIDC_PROVIDERS" in settings:
        return settings
    provider = {
        "slug": "nhs",
        "issuer": request.getfixturevalue("oidc_issuer").replace("127.0.0.1", issuer_host),
        "client_id": "portal",
        "client_secret": "portal-secret-for-tests",
        "name": "NHS Scotland account",
        "domains": ["nhs.scot"],
    }
    return {**settings, "OIDC_PROVIDERS": [provider]}


@pytest.fixture
def misbehaving(oidc_issuer):
    """Make the test provider misbehave in one way (see provider.mjs) for one test, and behave after it."""

    def misbehave(mode: str) -> None:
        requests.post(f"{oidc_issuer}/test/misbehave", data={"mode": mode}, timeout=10).raise_for_status()

    yield misbehave
    misbehave("")


def _callback(client, login: str, mfa: bool = False, cancel: bool = False, start: str = "") -> str:
    """Start at the portal, sign in at the provider, and return the portal callback URL it sends back."""
    response = client.get(start or "/account/sign-in/organisation/nhs")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    url = response.headers["Location"]
    with requests.Session() as browser:
        return _follow(browser, url, login, mfa, cancel)


def _follow(browser: requests.Session, url: str, login: str, mfa: bool, cancel: bool) -> str:
    for _ in range(10):
        if url.startswith(PORTAL):
            parts = urlsplit(url)
            return f"{parts.path}?{parts.query}"
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code == 200:  # the provider's sign-in form
            action = urljoin(url, re.search(r'action="([^"]+)"', answer.text).group(1))
            form = {"login": login, **({"mfa": "1"} if mfa else {}), **({"cancel": "1"} if cancel else {})}
            answer = browser.post(action, data=form, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), answer.text[:300]
        url = urljoin(url, answer.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _audits(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _complete_profile(client) -> None:
    """Save the organisation and workplace a new account is asked for before anything else."""
    data = {"name": "Nia New", "organisation": "NHS Fife", "workplace": "area:fife", "version": "1"}
    assert client.post("/account/profile", data=data).status_code == 302


def _assert_refused(client, response, words: str, reason: str, status: int = 400) -> None:
    """A kind page with these words, an audit entry naming the reason, no account made, nobody signed in."""
    assert response.status_code == status and words in response.get_data(as_text=True)
    assert [e.detail for e in _audits("organisation_sign_in.refused")][-1] == f"nhs: {reason}"
    assert db.session.scalar(select(User)) is None and not _signed_in(client)


def test_first_sign_in_creates_an_account_and_asks_for_the_profile(client):
    response = client.get(_callback(client, "nia"))
    assert response.headers["Location"] == "/account/profile?next=/"
    user = db.session.scalar(select(User).where(User.email == "nia.new@nhs.scot"))
    assert user.name == "Nia New" and user.is_active and not user.has_password
    identity = db.session.scalar(select(UserIdentity).where(UserIdentity.user_id == user.id))
    assert (identity.provider, identity.subject) == ("nhs", "nia")
    assert _audits("organisation_sign_in.link")
    assert "organisation and where you work" in client.get("/account/profile").get_data(as_text=True)


def test_an_existing_email_is_linked_only_after_the_password(client, make_user, sign_in):
    user = make_user(email="ewan.existing@nhs.scot")
    page = client.get(_callback(client, "ewan"))
    assert page.status_code == 200
    assert "Sign in with your password once to link your NHS Scotland account" in page.get_data(as_text=True)
    assert not _signed_in(client)
    assert db.session.scalar(select(UserIdentity)) is None
    sign_in(user)
    identity = db.session.scalar(select(UserIdentity))
    assert (identity.user_id, identity.subject) == (user.id, "ewan")
    assert _audits("organisation_sign_in.link")
    client.post("/account/sign-out")
    assert client.get(_callback(client, "ewan")).headers["Location"] == "/"
    assert _signed_in(client)
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    ("login", "words"),
    [("una", "has not confirmed your email"), ("otto", "email addresses ending in nhs.scot")],
)
def test_unverified_or_outside_emails_are_refused(client, login, words):
    response = client.get(_callback(client, login))
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None and not _signed_in(client)
    assert _audits("organisation_sign_in.refused")


def test_a_tampered_or_replayed_state_is_refused(client):
    callback = _callback(client, "nia")
    tampered = re.sub(r"state=[^&]+", "state=tampered", callback)
    assert "took too long" in client.get(tampered).get_data(as_text=True)
    assert client.get(callback).status_code == 302  # the real one still works once
    client.post("/account/sign-out")
    assert client.get(callback).status_code == 400  # and never again
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_a_wrong_nonce_is_refused(client):
    callback = _callback(client, "nia")
    with client.session_transaction() as session:
        key = next(k for k in session if k.startswith("_state_nhs_"))
        saved = session[key]
        saved["data"]["nonce"] = "not-the-nonce-sent"
        session[key] = saved
    response = client.get(callback)
    assert response.status_code == 400 and "could not check the answer" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None and not _signed_in(client)


def test_a_cancelled_sign_in_is_a_kind_page(client):
    response = client.get(_callback(client, "nia", cancel=True))
    assert response.status_code == 400 and "did not sign you in" in response.get_data(as_text=True)


def test_the_second_sign_in_finds_the_person_by_subject(client):
    client.get(_callback(client, "nia"))
    client.post("/account/sign-out")
    user = db.session.scalar(select(User))
    user.email = "changed@nhs.scot"  # the subject, not the email, says who it is
    db.session.commit()
    assert client.get(_callback(client, "nia")).headers["Location"] == "/"
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
    assert db.session.scalar(select(UserIdentity)).last_used_at is not None


def test_unlinking_needs_another_way_in(client, make_user, sign_in):
    client.get(_callback(client, "nia"))
    _complete_profile(client)
    identity = db.session.scalar(select(UserIdentity))
    assert (
        "only way you have to sign in"
        in client.get(f"/account/organisation-sign-in/{identity.id}/unlink").text
    )
    assert client.post(f"/account/organisation-sign-in/{identity.id}/unlink").status_code == 400
    assert db.session.get(UserIdentity, identity.id) is not None
    client.post("/account/sign-out")
    user = make_user(email="ewan.existing@nhs.scot")
    client.get(_callback(client, "ewan"))
    sign_in(user)
    linked = db.session.scalar(select(UserIdentity).where(UserIdentity.user_id == user.id))
    assert "NHS Scotland account" in client.get("/account").get_data(as_text=True)
    response = client.post(f"/account/organisation-sign-in/{linked.id}/unlink")
    assert response.headers["Location"].startswith("/account")
    assert db.session.get(UserIdentity, linked.id) is None
    assert _audits("organisation_sign_in.unlink")


def test_a_person_with_a_second_factor_is_asked_for_the_code(client):
    client.get(_callback(client, "nia"))
    client.post("/account/sign-out")
    user = db.session.scalar(select(User))
    db.session.add(SecondFactor(user_id=user.id, secret=pyotp.random_base32()))
    db.session.commit()
    assert client.get(_callback(client, "nia")).headers["Location"] == "/account/sign-in/code"
    assert not _signed_in(client)


def test_mfa_at_the_provider_counts_as_the_second_factor(client):
    client.get(_callback(client, "nia"))
    _complete_profile(client)
    client.post("/account/sign-out")
    user = db.session.scalar(select(User))
    db.session.add(SecondFactor(user_id=user.id, secret=pyotp.random_base32()))
    db.session.commit()
    assert client.get(_callback(client, "nia", mfa=True)).headers["Location"] == "/"
    assert _signed_in(client)


@pytest.mark.parametrize(
    ("amr", "mfa"), [(["pwd", "mfa"], True), (["pwd"], False), (None, False), ("mfa", False)]
)
def test_only_an_amr_list_naming_mfa_counts_as_the_second_factor(app, amr, mfa):
    provider = next(iter(organisation_sign_in.providers().values()))
    claims = {"sub": "s", "email": "a@nhs.scot", "email_verified": True, "amr": amr}
    assert organisation_sign_in._person(provider, claims, "token").mfa is mfa


def test_signing_out_offers_the_provider_sign_out(client, oidc_issuer):
    client.get(_callback(client, "nia"))
    page = client.post("/account/sign-out").get_data(as_text=True)
    assert "Also sign out of NHS Scotland account" in page
    assert f"{oidc_issuer}/session/end?" in page and "id_token_hint=" in page
    assert not _signed_in(client)


@pytest.mark.app_config({"OIDC_PROVIDERS": []})
def test_with_no_provider_the_sign_in_page_is_unchanged(client):
    page = client.get("/account/sign-in").get_data(as_text=True)
    assert "Sign in with" not in page and 'name="password"' in page
    assert client.get("/account/sign-in/organisation/nhs").status_code == 404


@pytest.mark.app_config(
    {
        "OIDC_PROVIDERS": [
            {
                "slug": "down",
                "issuer": f"http://127.0.0.1:{_port()}",
                "client_id": "x",
                "client_secret": "y",
                "name": "Closed Provider",
                "domains": ["nhs.scot"],
            }
        ]
    }
)
def test_a_provider_that_is_down_is_a_kind_page(client):
    response = client.get("/account/sign-in/organisation/down")
    assert response.status_code == 502 and "could not reach Closed Provider" in response.get_data(
        as_text=True
    )


def test_the_export_lists_and_closing_deletes_linked_identities(client):
    client.get(_callback(client, "nia"))
    user = db.session.scalar(select(User))
    linked = export.personal_data(user)["sign_in"]["organisation_accounts"]
    assert [(x["provider"], x["subject"], x["email"]) for x in linked] == [("nhs", "nia", "nia.new@nhs.scot")]
    erasure.erase([user.id], utcnow())
    db.session.commit()
    assert db.session.scalar(select(UserIdentity)) is None


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_the_callback_is_rate_limited(client):
    statuses = [
        client.get("/account/sign-in/organisation/nhs/callback?code=x&state=y").status_code for _ in range(21)
    ]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429


def test_a_new_account_completes_its_profile_before_anything_else(client):
    start = "/account/sign-in/organisation/nhs?next=/events"
    assert (
        client.get(_callback(client, "nia", start=start)).headers["Location"]
        == "/account/profile?next=/events"
    )
    for path in ["/account", "/champions", "/"]:
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith(
            "/account/profile?next="
        )
    assert client.get("/account").headers["Location"] == "/account/profile?next=/account"
    assert client.post("/account/password").headers["Location"] == "/account/profile"  # a POST keeps no next
    open_pages = ["/privacy", "/accessibility", "/account/sign-out", "/account/close", "/account/data"]
    for path in [*open_pages, "/static/css/app.css"]:
        with client.get(path) as response:
            assert response.status_code == 200, path
    page = client.get("/account/profile?next=/events").get_data(as_text=True)
    assert "Welcome to the network" in page and "tell us your organisation and where you work" in page
    data = {"name": "Nia New", "organisation": "NHS Fife", "workplace": "area:fife", "version": "1"}
    assert (
        client.post("/account/profile?next=https://evil.example/", data={**data, "workplace": ""}).status_code
        == 200
    )
    response = client.post("/account/profile?next=/events", data=data)
    assert response.headers["Location"] == "/events"
    assert client.get("/account").status_code == 200


def test_an_unsafe_next_is_dropped_on_the_way_to_the_profile(client):
    start = "/account/sign-in/organisation/nhs?next=https://evil.example/"
    assert client.get(_callback(client, "nia", start=start)).headers["Location"] == "/account/profile?next=/"


@pytest.mark.parametrize(
    ("mode", "cause"),
    # An `aud` without this client's id fails Authlib's audience check as a missing `azp` (authorised party).
    [("expired", "ExpiredTokenError"), ("audience", "Missing claim: 'azp'"), ("keys", "BadSignatureError")],
)
def test_a_bad_id_token_is_refused(client, misbehaving, caplog, mode, cause):
    misbehaving(mode)
    _assert_refused(client, client.get(_callback(client, "nia")), "could not check the answer", "token")
    assert cause in caplog.text


def test_a_replayed_code_is_refused(client, caplog):
    first = _callback(client, "nia")
    assert client.get(first).status_code == 302
    client.post("/account/sign-out")
    # A new sign-in's own state, with the code that was used already.
    state = re.search(r"state=([^&]+)", client.get("/account/sign-in/organisation/nhs").headers["Location"])
    response = client.get(re.sub(r"state=[^&]+", f"state={state.group(1)}", first))
    assert response.status_code == 400 and "could not check the answer" in response.get_data(as_text=True)
    assert _audits("organisation_sign_in.refused")[-1].detail == "nhs: token"
    assert "invalid_grant" in caplog.text  # the provider's token endpoint refused the used code
    assert not _signed_in(client) and db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_an_answer_from_an_issuer_not_configured_is_refused(client):
    callback = _callback(client, "nia")
    assert "iss=" in callback  # RFC 9207: the provider names itself in its answer
    mixed_up = re.sub(r"iss=[^&]+", "iss=https%3A%2F%2Fanother-provider.example", callback)
    _assert_refused(client, client.get(mixed_up), "did not come from NHS Scotland account", "issuer")


@pytest.mark.parametrize("issuer_host", ["localhost"])
def test_a_provider_naming_another_issuer_is_refused(client, issuer_host):
    # The portal is configured with http://localhost:<port>; the provider says it is http://127.0.0.1:<port>.
    callback = _callback(client, "nia")
    _assert_refused(client, client.get(callback), "did not come from NHS Scotland account", "issuer")
    without_iss = re.sub(r"&?iss=[^&]+", "", _callback(client, "nia"))
    _assert_refused(client, client.get(without_iss), "did not come from NHS Scotland account", "issuer")


def _confirm(client, login: str) -> str:
    """Ask to confirm it is you with the work account, sign in there as `login`, return the callback URL."""
    response = client.post("/account/confirm-with/nhs?next=/account/close")
    assert response.status_code == 302
    assert "prompt=login" in response.headers["Location"] and "max_age=0" in response.headers["Location"]
    with requests.Session() as browser:
        return _follow(browser, response.headers["Location"], login, False, False)


def test_a_person_without_a_password_closes_their_account_by_signing_in_again(client, make_user, misbehaving):
    client.get(_callback(client, "nia"))
    _complete_profile(client)
    user = db.session.scalar(select(User))
    page = client.get("/account/close").get_data(as_text=True)
    assert "Confirm with your NHS Scotland account" in page and 'name="password"' not in page
    assert "Set a password" in client.get("/account").get_data(as_text=True)
    assert "no password here yet" in client.get("/account/password").get_data(as_text=True)
    assert client.post("/account/close", data={}).status_code == 400  # not without signing in again
    # Someone else's work account, or a provider that did not sign the person in afresh, confirms nothing.
    make_user(email="ewan.existing@nhs.scot")
    for login, mode, reason in [("ewan", "", "another"), ("nia", "old-sign-in", "stale")]:
        misbehaving(mode)
        response = client.get(_confirm(client, login))
        assert response.status_code == 400 and "Nothing has changed" in response.get_data(as_text=True)
        assert _audits("organisation_sign_in.refused")[-1].detail == f"nhs: {reason}"
        assert client.post("/account/close", data={}).status_code == 400
        assert "Test Person" not in client.get("/account").get_data(as_text=True)  # still Nia
    misbehaving("")
    assert client.get(_confirm(client, "nia")).headers["Location"] == "/account/close"
    page = client.get("/account/close").get_data(as_text=True)
    assert "which confirms it is you" in page and "Confirm with your" not in page
    assert client.post("/account/close", data={}).headers["Location"] == "/account/closed"
    assert db.session.get(User, user.id).is_closed and not _signed_in(client)
    assert _audits("account.close")[-1].detail == "closed by its owner after signing in again"
