"""Closing an account where the features meet: the second factor, the session records and data exports
(issues #13 and #17). Each feature was built on its own; these tests hold them together."""

import json

import pyotp
from sqlalchemy import func, select

from champions.accounts import second_factor
from champions.accounts.models import RecoveryCode, SecondFactor, UserSession
from champions.extensions import db
from champions.privacy.models import DataExport, ExportStatus
from champions.privacy.services import exports
from tests.conftest import TEST_PASSWORD
from tests.privacy.conftest import export_zip  # noqa: F401  (a fixture)

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _give_second_factor(user) -> list[str]:
    step = second_factor.current_step()
    code = pyotp.TOTP(SECRET, interval=second_factor.STEP).generate_otp(step)
    return second_factor.confirm_setup(user, SECRET, code, None)


def _sign_in_with_recovery_code(client, sign_in, user, codes: list[str]) -> None:
    assert sign_in(user).headers["Location"].endswith("/account/sign-in/code")
    assert client.post("/account/sign-in/code", data={"code": codes[0]}).status_code == 302


def _count(model, user) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(model.user_id == user.id))


def test_closing_removes_the_second_factor_sessions_and_any_copy_not_yet_taken(client, make_user, sign_in):
    user = make_user(name="Isla Closing", email="isla.closing@example.org")
    codes = _give_second_factor(user)
    _sign_in_with_recovery_code(client, sign_in, user, codes)  # writes a session record
    assert client.post("/account/data").status_code == 302  # a copy of their data, waiting for cron
    assert exports.build_pending()["built"] == 1
    assert _count(SecondFactor, user) == 1 and _count(RecoveryCode, user) == 10
    assert _count(UserSession, user) >= 1

    response = client.post("/account/close", data={"password": TEST_PASSWORD})

    assert response.headers["Location"].endswith("/account/closed")
    db.session.expire_all()
    assert (_count(SecondFactor, user), _count(RecoveryCode, user), _count(UserSession, user)) == (0, 0, 0)
    export = db.session.scalar(select(DataExport).where(DataExport.subject_id == user.id))
    assert export.status == ExportStatus.EXPIRED and export.data is None and export.token_hash is None


def test_a_copy_already_downloaded_stays_on_record_as_downloaded(client, make_user, sign_in, export_zip):  # noqa: F811
    user = make_user(name="Isla Taken", email="isla.taken@example.org")
    sign_in(user)
    export_zip(user)

    client.post("/account/close", data={"password": TEST_PASSWORD})

    db.session.expire_all()
    export = db.session.scalar(select(DataExport).where(DataExport.subject_id == user.id))
    assert export.status == ExportStatus.USED and export.data is None


def test_the_export_says_how_the_person_signs_in_but_never_the_key(client, make_user, sign_in, export_zip):  # noqa: F811
    user = make_user(name="Isla Export", email="isla.export@example.org")
    codes = _give_second_factor(user)
    _sign_in_with_recovery_code(client, sign_in, user, codes)

    archive = export_zip(user)

    data = json.loads(archive.read("data.json"))
    assert data["sign_in"]["second_factor_on_since"] is not None
    assert data["sign_in"]["recovery_codes_left"] == 9 and len(data["sign_in"]["recovery_codes_used_at"]) == 1
    session = data["sign_in"]["sessions"][-1]
    assert session["method"] == "password" and session["with_second_factor"] and session["ended_at"] is None
    everything = "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    assert SECRET not in everything and not any(code in everything for code in codes)
    assert "How you sign in" in archive.read("index.html").decode()
