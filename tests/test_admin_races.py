"""The last admin stays, even when two admins take each other's role at the same moment (no threads: the
other's change is committed between this request's checks and its first write, see tests/straddle.py)."""

import pytest
from sqlalchemy import func, select, update

from champions.accounts import organisation_sign_in, services
from champions.accounts.models import Role, User, UserIdentity
from champions.audit import AuditEntry
from champions.extensions import db
from champions.mail import OutboxMessage
from tests.straddle import other_commits_first


def _set(user_id: int, **values):
    return lambda other: other.execute(
        update(User.__table__).where(User.__table__.c.id == user_id).values(**values)
    )


def _audits(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def _admins() -> int:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.role >= Role.ADMIN, User.active)
    )


def test_two_admins_taking_each_others_role_at_once_leave_one(make_user):
    first, second = make_user(role=Role.ADMIN), make_user(role=Role.ADMIN)
    assert second.is_admin  # read before the other request's change, as a request would
    # The second admin's own request demotes the first, and commits while this one is between its checks.
    with other_commits_first(_set(first.id, role=Role.MEMBER.value)), pytest.raises(services.LastAdmin):
        services.change_role(first, second, Role.MEMBER)
    db.session.expire_all()
    assert _admins() == 1 and db.session.get(User, second.id).role == Role.ADMIN


def test_two_admins_deactivating_each_other_at_once_leave_one(make_user):
    first, second = make_user(role=Role.ADMIN), make_user(role=Role.ADMIN)
    assert second.active
    with other_commits_first(_set(first.id, active=False)), pytest.raises(services.LastAdmin):
        services.set_active(first, second, False)
    db.session.expire_all()
    assert _admins() == 1 and db.session.get(User, second.id).active


def test_the_same_role_change_sent_twice_at_once_is_made_and_audited_once(make_user):
    admin, person = make_user(role=Role.ADMIN), make_user(role=Role.MEMBER)
    assert person.role == Role.MEMBER
    with other_commits_first(_set(person.id, role=Role.COORDINATOR.value)):
        services.change_role(admin, person, Role.COORDINATOR)
    db.session.expire_all()
    assert db.session.get(User, person.id).role == Role.COORDINATOR
    assert _audits("role.change") == 0  # the other request's audit entry is its own (not made here)


def test_the_same_deactivation_sent_twice_at_once_is_audited_once(make_user):
    admin, person = make_user(role=Role.ADMIN), make_user()
    assert person.active
    with other_commits_first(_set(person.id, active=False)):
        services.set_active(admin, person, False)
    assert _audits("account.deactivate") == 0


def test_the_same_new_password_sent_twice_at_once_is_set_and_emailed_once(make_user):
    """A reset link's form sent twice: the other sending set the password between this one's checks (the
    link's fingerprint, read from the old password) and its save."""
    person = make_user()
    assert person.password_hash
    emails = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    with other_commits_first(_set(person.id, password_hash="set by the other sending")):
        services.set_password(person, "a brand new password that is long enough")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == emails


def test_an_organisation_account_unlinked_twice_at_once_is_audited_once(make_user):
    person = make_user()
    identity = UserIdentity(user_id=person.id, provider="nhs", subject="abc", email=person.email)
    db.session.add(identity)
    db.session.commit()
    assert identity.provider
    table = UserIdentity.__table__
    with other_commits_first(lambda other: other.execute(table.delete().where(table.c.id == identity.id))):
        assert organisation_sign_in.unlink(person, identity.id)
    assert _audits("organisation_sign_in.unlink") == 0
