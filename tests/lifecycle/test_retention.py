"""Retention that runs (issue #13, item 3): `flask apply-retention` deletes or closes what has been kept
for its period, in bulk statements, says what it did and writes one audit entry per run."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from champions import audit, mail
from champions.accounts.models import Role, User, UserSession
from champions.clock import utcnow
from champions.events.models import Registration
from champions.extensions import db
from champions.lifecycle import services
from champions.mail import OutboxMessage
from champions.once import FormSubmission
from champions.ratelimit_storage import rate_limit_counters
from tests.lifecycle.conftest import _event

DAY = timedelta(days=1)


def _run(now=None) -> dict[str, int]:
    counts = services.apply_retention(now or utcnow())
    db.session.expire_all()
    return counts


def test_unconfirmed_accounts_are_deleted_after_14_days(make_user):
    now = utcnow()
    old = make_user(email_verified_at=None, created_at=now - 15 * DAY)
    new = make_user(email_verified_at=None, created_at=now - 13 * DAY)
    confirmed = make_user(created_at=now - 400 * DAY, last_signed_in_at=now - DAY)
    old_id, address = old.id, old.email
    mail.queue(address, "Confirm", "accounts/password_changed", user=old, reset_url="x")
    db.session.commit()

    assert _run(now)["unconfirmed accounts deleted"] == 1

    assert db.session.get(User, old_id) is None
    assert db.session.get(User, new.id) and db.session.get(User, confirmed.id)
    assert not db.session.scalar(select(func.count()).where(OutboxMessage.to_address == address))


def test_unused_accounts_are_warned_then_closed_30_days_later(make_user, outbox):
    now = utcnow()
    idle = make_user(name="Idle Ingram", last_signed_in_at=now - 3 * 365 * DAY - DAY)
    recent = make_user(last_signed_in_at=now - 3 * 365 * DAY + DAY)
    idle_id, email = idle.id, idle.email

    assert _run(now)["inactive accounts warned"] == 1
    [warning] = outbox.messages(email)
    assert "will close" in warning.subject and "sign in" in warning.body
    assert _run(now + DAY)["inactive accounts warned"] == 0  # warned once, not every day
    assert _run(now + 29 * DAY)["inactive accounts closed"] == 0

    assert _run(now + 31 * DAY)["inactive accounts closed"] == 1
    closed = db.session.get(User, idle_id)
    assert closed.is_closed and closed.email != email and closed.name == services.FORMER_MEMBER
    assert db.session.get(User, recent.id).closed_at is None


def test_signing_in_after_the_warning_keeps_the_account(make_user):
    now = utcnow()
    idle = make_user(last_signed_in_at=now - 4 * 365 * DAY)
    _run(now)
    db.session.get(User, idle.id).last_signed_in_at = now + DAY
    db.session.commit()
    assert _run(now + 31 * DAY)["inactive accounts closed"] == 0
    assert db.session.get(User, idle.id).closed_at is None


def test_the_last_admin_is_never_closed(make_user):
    now = utcnow()
    admin = make_user(role=Role.ADMIN, last_signed_in_at=now - 4 * 365 * DAY)
    _run(now)
    assert _run(now + 31 * DAY)["inactive accounts closed"] == 0
    assert db.session.get(User, admin.id).closed_at is None


def test_event_needs_are_deleted_30_days_after_the_event(make_user):
    organiser = make_user(role=Role.COORDINATOR)
    person = make_user()
    now = utcnow()
    long_ago = _event(organiser, now - 32 * DAY)
    lately = _event(organiser, now - 20 * DAY)
    for event in (long_ago, lately):
        db.session.add(Registration(event=event, user=person, status="confirmed", needs="Step-free access"))
    db.session.commit()

    assert _run(now)["event needs erased"] == 1

    needs = dict(db.session.execute(select(Registration.event_id, Registration.needs)).all())
    assert needs == {long_ago.id: "", lately.id: "Step-free access"}


def test_email_bodies_go_after_90_days_and_the_metadata_stays(make_user):
    user = make_user()
    now = utcnow()
    for age, status in ((91, "sent"), (89, "sent"), (91, "pending")):
        message = mail.queue(
            user.email, f"{age} {status}", "accounts/password_changed", user=user, reset_url="x"
        )
        message.created_at, message.status = now - age * DAY, status
    db.session.commit()

    assert _run(now)["email bodies erased"] == 1

    rows = db.session.execute(
        select(OutboxMessage.subject, OutboxMessage.body, OutboxMessage.to_address)
    ).all()
    assert {(subject, body == "", to) for subject, body, to in rows} == {
        ("91 sent", True, user.email),
        ("89 sent", False, user.email),
        ("91 pending", False, user.email),
    }


def test_audit_entries_and_rate_limit_records_go_after_12_months(make_user):
    user = make_user()
    now = utcnow()
    audit.record(user, "old", user).created_at = now - 366 * DAY
    audit.record(user, "new", user).created_at = now - 364 * DAY
    stamp = now.timestamp()
    db.session.execute(
        rate_limit_counters.insert(),
        [
            {"key": "old", "count": 1, "expires_at": stamp - 366 * 86400},
            {"key": "new", "count": 1, "expires_at": stamp - 10},
        ],
    )
    db.session.commit()

    counts = _run(now)

    assert counts["audit entries deleted"] == 1 and counts["rate-limit records deleted"] == 1
    actions = set(db.session.scalars(select(audit.AuditEntry.action)))
    assert actions == {"new", "retention.apply"}
    assert set(db.session.scalars(select(rate_limit_counters.c.key))) == {"new"}


def test_a_second_run_changes_nothing_and_each_run_is_audited(make_user):
    now = utcnow()
    make_user(email_verified_at=None, created_at=now - 20 * DAY)
    make_user(last_signed_in_at=now - 4 * 365 * DAY)
    first = _run(now)
    assert first["unconfirmed accounts deleted"] == 1 and first["inactive accounts warned"] == 1
    assert set(_run(now).values()) == {0}
    entries = list(
        db.session.scalars(select(audit.AuditEntry).where(audit.AuditEntry.action == "retention.apply"))
    )
    assert len(entries) == 2 and "unconfirmed accounts deleted: 1" in entries[0].detail


@pytest.mark.app_config({"RETENTION_UNCONFIRMED_DAYS": 3})
def test_the_periods_are_settings(make_user):
    make_user(email_verified_at=None, created_at=utcnow() - 4 * DAY)
    assert _run()["unconfirmed accounts deleted"] == 1


def test_the_command_prints_what_it_did(app, make_user):
    make_user(email_verified_at=None, created_at=utcnow() - 20 * DAY)
    result = app.test_cli_runner().invoke(args=["apply-retention"])
    assert result.exit_code == 0, result.output
    assert "Unconfirmed accounts deleted: 1" in result.output
    assert "Email bodies erased: 0" in result.output


def test_session_records_go_30_days_after_they_ended_or_were_last_used(make_user):
    now = utcnow()
    user = make_user()
    rows = {
        "ended long ago": UserSession(user_id=user.id, session_version=1, ended_at=now - 31 * DAY),
        "unused long": UserSession(user_id=user.id, session_version=1, last_seen_at=now - 31 * DAY),
        "ended lately": UserSession(user_id=user.id, session_version=1, ended_at=now - 29 * DAY),
        "in use": UserSession(user_id=user.id, session_version=1, last_seen_at=now - DAY),
    }
    db.session.add_all(rows.values())
    db.session.commit()
    ids = {name: row.id for name, row in rows.items()}

    assert _run(now)["session records deleted"] == 2

    left = set(db.session.scalars(select(UserSession.id).where(UserSession.user_id == user.id)))
    assert left == {ids["ended lately"], ids["in use"]}


def test_one_time_form_keys_go_after_7_days(make_user):
    now = utcnow()
    user = make_user()
    old = FormSubmission(
        user_id=user.id, key=str(uuid.uuid4()), action="events.create", created_at=now - 8 * DAY
    )
    new = FormSubmission(
        user_id=user.id, key=str(uuid.uuid4()), action="events.create", created_at=now - 6 * DAY
    )
    db.session.add_all([old, new])
    db.session.commit()
    new_id = new.id

    assert _run(now)["form keys deleted"] == 1

    assert list(db.session.scalars(select(FormSubmission.id))) == [new_id]
