"""A second factor (issue #17 part 3): TOTP codes, recovery codes, limits, the coordinator rule and resets."""

import re

import pyotp
import pytest
from sqlalchemy import select

from champions.accounts import second_factor
from champions.accounts.models import RecoveryCode, Role, SecondFactor
from champions.audit import AuditEntry
from champions.extensions import db

REQUIRED = pytest.mark.app_config({"SECOND_FACTOR_REQUIRED": True})
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
START = 60_000_000  # a fixed time step, so codes do not depend on when the test runs


@pytest.fixture
def clock(monkeypatch):
    """The current TOTP time step, which a test moves on by hand."""

    class Clock:
        step = START

    monkeypatch.setattr(second_factor, "current_step", lambda: Clock.step)
    return Clock


def code_at(step: int, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret, interval=second_factor.STEP).generate_otp(step)


@pytest.fixture
def with_second_factor(clock):
    """Give the user a second factor set up one step ago; return their recovery codes."""

    def give(user) -> list[str]:
        clock.step -= 1
        codes = second_factor.confirm_setup(user, SECRET, code_at(clock.step), None)
        clock.step += 1
        return codes

    return give


def enter_code(client, code: str):
    return client.post("/account/sign-in/code", data={"code": code})


def test_setup_shows_a_qr_code_and_the_key_in_text_then_asks_for_a_code(client, make_user, sign_in, clock):
    user = make_user()
    sign_in(user)
    page = client.get("/account/second-factor")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in html and "QR code" in html
    with client.session_transaction() as session:
        secret = session["second_factor_secret"]
    assert second_factor.grouped(secret) in html  # for people who cannot scan
    assert (
        client.get("/account/second-factor").get_data(as_text=True).count(second_factor.grouped(secret)) == 1
    )

    wrong = client.post("/account/second-factor", data={"code": "000000"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.get_data(as_text=True)
    assert db.session.get(SecondFactor, user.id) is None

    done = client.post("/account/second-factor", data={"code": code_at(clock.step, secret)})
    html = done.get_data(as_text=True)
    assert "Save your recovery codes" in html
    factor = db.session.get(SecondFactor, user.id)
    assert factor.secret == secret and factor.last_used_step == clock.step
    stored = db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10
    for row in stored:
        assert row.digest not in html  # only digests are kept, and only the codes are shown
    shown = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", html)
    assert len(shown) == 10 and all(len(code) == 19 for code in shown)
    assert "Second factor: on" in client.get("/account").get_data(as_text=True)


def test_sign_in_with_a_second_factor_needs_the_code(client, make_user, sign_in, with_second_factor, clock):
    user = make_user()
    with_second_factor(user)
    response = client.post(
        "/account/sign-in?next=/events",
        data={"email": user.email, "password": "correct horse battery staple 42"},
    )
    assert response.headers["Location"] == "/account/sign-in/code"
    # Not signed in yet: the password alone opens nothing.
    assert client.get("/account").headers["Location"].startswith("/account/sign-in")
    assert "Enter your code" in client.get("/account/sign-in/code").get_data(as_text=True)

    done = enter_code(client, code_at(clock.step))
    assert done.headers["Location"] == "/events"
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("offset", [-1, 1])
def test_a_code_one_step_either_side_is_taken(client, make_user, sign_in, with_second_factor, clock, offset):
    user = make_user()
    with_second_factor(user)
    clock.step += 1  # so the step before now is still unused
    sign_in(user)
    assert enter_code(client, code_at(clock.step + offset)).headers["Location"] == "/"


@pytest.mark.parametrize(
    "offset, message",
    [(0, "has been used already"), (-1, "has been used already"), (-5, "Check the time on your phone")]
    + [(5, "Check the time on your phone"), (None, "That code is not right")],
    ids=["reused", "older-than-the-last-used", "old", "future", "wrong"],
)
def test_bad_codes_are_refused_kindly(client, make_user, sign_in, with_second_factor, clock, offset, message):
    user = make_user()
    with_second_factor(user)
    sign_in(user)
    assert enter_code(client, code_at(clock.step)).status_code == 302  # uses this step's code
    client.post("/account/sign-out")
    sign_in(user)
    code = code_at(clock.step + offset) if offset is not None else "123456"
    if offset is None and code in {code_at(clock.step + s) for s in range(-10, 11)}:
        code = "654321"
    refused = enter_code(client, code)
    assert refused.status_code == 200
    assert message in refused.get_data(as_text=True)
    assert client.get("/account").headers["Location"].startswith("/account/sign-in")


def test_a_recovery_code_works_once(client, make_user, sign_in, with_second_factor, outbox):
    user = make_user()
    codes = with_second_factor(user)
    sign_in(user)
    used = enter_code(client, codes[0].upper())  # typed in capitals, still the same code
    assert used.status_code == 302
    assert client.get("/account").status_code == 200
    client.post("/account/sign-out")

    sign_in(user)
    again = enter_code(client, codes[0])
    assert "That code is not right" in again.get_data(as_text=True)
    assert enter_code(client, codes[1]).status_code == 302
    assert second_factor.unused_recovery_codes(user) == 8


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_wrong_codes_stop_at_the_rate_limit(client, make_user, sign_in, with_second_factor, clock):
    user = make_user()
    with_second_factor(user)
    sign_in(user)
    wrong = "000000" if "000000" not in {code_at(clock.step + s) for s in range(-10, 11)} else "999999"
    for _ in range(5):
        assert enter_code(client, wrong).status_code == 200
    limited = enter_code(client, code_at(clock.step))
    assert limited.status_code == 429
    assert client.get("/account").headers["Location"].startswith("/account/sign-in")


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_right_codes_do_not_count_against_the_limit(client, make_user, sign_in, with_second_factor, clock):
    user = make_user()
    with_second_factor(user)
    for _ in range(7):
        clock.step += 1
        sign_in(user)
        assert enter_code(client, code_at(clock.step)).status_code == 302
        client.post("/account/sign-out")


def test_the_code_page_without_a_password_first_sends_you_to_sign_in(client):
    response = client.get("/account/sign-in/code")
    assert response.headers["Location"] == "/account/sign-in"
    assert enter_code(client, "123456").headers["Location"] == "/account/sign-in"


def test_a_half_finished_sign_in_runs_out(client, make_user, sign_in, with_second_factor, clock):
    user = make_user()
    with_second_factor(user)
    sign_in(user)
    with client.session_transaction() as session:
        session["pending_sign_in"]["at"] -= 11 * 60
        session.modified = True
    assert enter_code(client, code_at(clock.step)).headers["Location"] == "/account/sign-in"
    assert client.get("/account").headers["Location"].startswith("/account/sign-in")


@REQUIRED
def test_a_coordinator_without_a_second_factor_is_sent_to_set_it_up_at_sign_in(
    client, make_user, sign_in, clock
):
    coordinator = make_user(role=Role.COORDINATOR)
    response = client.post(
        "/account/sign-in?next=/champions/manage",
        data={"email": coordinator.email, "password": "correct horse battery staple 42"},
    )
    assert response.headers["Location"] == "/account/second-factor?next=/champions/manage"
    assert client.get("/champions/manage").headers["Location"].startswith("/account/second-factor")
    assert "Your role lets you see personal information" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    with client.session_transaction() as session:
        secret = session["second_factor_secret"]
    done = client.post(
        "/account/second-factor?next=/champions/manage", data={"code": code_at(clock.step, secret)}
    )
    assert 'href="/champions/manage"' in done.get_data(as_text=True)
    assert client.get("/champions/manage").status_code == 200


@REQUIRED
def test_a_member_given_the_coordinator_role_meets_the_rule_on_the_next_request(client, make_user, sign_in):
    member = make_user()
    sign_in(member)
    assert client.get("/events").status_code == 200
    member.role = Role.COORDINATOR.value  # as if promoted without their sessions ending
    db.session.commit()
    assert client.get("/events").headers["Location"].startswith("/account/second-factor")


@REQUIRED
def test_a_member_is_not_asked_for_a_second_factor(client, make_user, sign_in):
    sign_in(make_user())
    assert client.get("/events").status_code == 200
    assert client.get("/discussions").status_code == 200


def test_a_member_can_switch_it_off_with_a_code(client, make_user, sign_in, with_second_factor, clock):
    user = make_user()
    with_second_factor(user)
    sign_in(user)
    enter_code(client, code_at(clock.step))
    clock.step += 1
    assert "Switch off the second factor" in client.get("/account/second-factor").get_data(as_text=True)
    refused = client.post("/account/second-factor/off", data={"code": "12"})
    assert refused.status_code == 400 and db.session.get(SecondFactor, user.id) is not None
    done = client.post("/account/second-factor/off", data={"code": code_at(clock.step)})
    assert done.headers["Location"] == "/account"
    db.session.expire_all()
    assert db.session.get(SecondFactor, user.id) is None
    assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []


@REQUIRED
def test_a_coordinator_cannot_switch_it_off(client, make_user, sign_in, with_second_factor, clock):
    coordinator = make_user(role=Role.COORDINATOR)
    with_second_factor(coordinator)
    sign_in(coordinator)
    enter_code(client, code_at(clock.step))
    clock.step += 1
    assert "Switch off" not in client.get("/account/second-factor").get_data(as_text=True)
    client.post("/account/second-factor/off", data={"code": code_at(clock.step)})
    assert db.session.get(SecondFactor, coordinator.id) is not None


def test_new_recovery_codes_replace_the_old_ones(client, make_user, sign_in, with_second_factor, clock):
    user = make_user()
    old = with_second_factor(user)
    sign_in(user)
    enter_code(client, code_at(clock.step))
    page = client.post("/account/second-factor/recovery-codes").get_data(as_text=True)
    assert "Save your recovery codes" in page and old[0] not in page
    client.post("/account/sign-out")
    sign_in(user)
    assert "That code is not right" in enter_code(client, old[0]).get_data(as_text=True)


def test_an_admin_reset_is_confirmed_audited_and_emailed(app, make_user, with_second_factor, outbox, clock):
    coordinator = make_user(role=Role.COORDINATOR)
    with_second_factor(coordinator)
    theirs = app.test_client()
    theirs.post(
        "/account/sign-in", data={"email": coordinator.email, "password": "correct horse battery staple 42"}
    )
    enter_code(theirs, code_at(clock.step))
    assert theirs.get("/account").status_code == 200
    admin_client = app.test_client()
    admin = make_user(role=Role.ADMIN)
    admin_client.post(
        "/account/sign-in", data={"email": admin.email, "password": "correct horse battery staple 42"}
    )

    url = f"/account/second-factor/reset/{coordinator.id}"
    assert f"/account/second-factor/reset/{coordinator.id}" in admin_client.get(
        f"/admin/users/{coordinator.id}"
    ).get_data(as_text=True)
    ask = admin_client.get(url)
    assert ask.status_code == 200 and "Reset" in ask.get_data(as_text=True)
    assert db.session.get(SecondFactor, coordinator.id) is not None  # the GET only asks

    done = admin_client.post(url)
    assert done.headers["Location"] == f"/admin/users/{coordinator.id}"
    db.session.expire_all()
    assert db.session.get(SecondFactor, coordinator.id) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "second_factor.reset"))
    assert entry.actor_id == admin.id and entry.target_id == coordinator.id
    (message,) = outbox.messages(coordinator.email)
    assert message.subject == "Your second factor was reset"
    assert "https://portal.example.test/account/sign-in" in message.body
    assert theirs.get("/account").headers["Location"].startswith("/account/sign-in")  # signed out everywhere


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR])
def test_only_admins_reset_a_second_factor(client, make_user, as_role, with_second_factor, role):
    other = make_user()
    with_second_factor(other)
    as_role(role)
    assert client.get(f"/account/second-factor/reset/{other.id}").status_code == 403
    assert client.post(f"/account/second-factor/reset/{other.id}").status_code == 403
    assert db.session.get(SecondFactor, other.id) is not None


def test_setting_it_up_signs_out_every_other_session(app, client, make_user, sign_in, clock):
    user = make_user()
    other = app.test_client()
    other.post("/account/sign-in", data={"email": user.email, "password": "correct horse battery staple 42"})
    sign_in(user)
    client.get("/account/second-factor")
    with client.session_transaction() as session:
        secret = session["second_factor_secret"]
    client.post("/account/second-factor", data={"code": code_at(clock.step, secret)})
    assert client.get("/account").status_code == 200
    assert other.get("/account").headers["Location"].startswith("/account/sign-in")


@pytest.mark.parametrize(
    "code", ["", " ", "1" * 41, "abc", "12345", "１２３４５６", "\u200b123456", "12 34 56x"]
)
def test_odd_input_is_refused_never_an_error(client, make_user, sign_in, with_second_factor, code):
    user = make_user()
    with_second_factor(user)
    sign_in(user)
    assert enter_code(client, code).status_code == 200


def test_the_same_setup_code_sent_twice_at_once_switches_it_on_once(make_user, clock):
    """The other sending switched it on between this one's check and its save: this one is told it is on."""
    from sqlalchemy import insert

    from tests.straddle import other_commits_first

    user = make_user()
    assert not user.has_second_factor
    row = {"user_id": user.id, "secret": SECRET, "last_used_step": clock.step}
    with (
        other_commits_first(lambda other: other.execute(insert(SecondFactor.__table__).values(**row))),
        pytest.raises(second_factor.AlreadySetUp),
    ):
        second_factor.confirm_setup(user, SECRET, code_at(clock.step), None)
    assert db.session.scalars(select(SecondFactor)).all()


def test_a_reset_sent_twice_at_once_is_audited_and_emailed_once(make_user, with_second_factor, outbox):
    """The other admin's reset committed between this one's "has a second factor" check and its removal."""
    from sqlalchemy import delete

    from tests.straddle import other_commits_first

    admin, person = make_user(role=Role.ADMIN), make_user()
    with_second_factor(person)
    assert person.has_second_factor
    emails = len(outbox.messages(person.email))
    table = SecondFactor.__table__
    with other_commits_first(lambda other: other.execute(delete(table).where(table.c.user_id == person.id))):
        second_factor.reset(admin, person)
    assert len(outbox.messages(person.email)) == emails
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "second_factor.reset")).all()
