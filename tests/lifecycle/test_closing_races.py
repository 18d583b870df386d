"""Closing an account twice at once closes it once; the last admin stays even when two close at once
(the other's change is committed between this request's checks and its first write: tests/straddle.py)."""

import pytest
from sqlalchemy import func, select, update

from champions.accounts.models import Role, User
from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.extensions import db
from champions.lifecycle import services
from tests.straddle import other_commits_first


def _set(user_id: int, **values):
    return lambda other: other.execute(
        update(User.__table__).where(User.__table__.c.id == user_id).values(**values)
    )


def _closings() -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "account.close")
    )


def test_the_same_closing_on_request_sent_twice_at_once_erases_and_audits_once(make_user):
    admin, person = make_user(role=Role.ADMIN), make_user()
    assert not person.is_closed
    with other_commits_first(_set(person.id, closed_at=utcnow())):
        services.close_on_request(admin, person, "They asked by phone")
    assert _closings() == 0  # the other request closed it (and audited that)


def test_two_admins_closing_their_accounts_at_once_leave_one(make_user):
    first, second = make_user(role=Role.ADMIN), make_user(role=Role.ADMIN)
    assert first.is_admin and first.active
    # The other admin's request took their role away (or closed their account) a moment before.
    with other_commits_first(_set(second.id, role=Role.MEMBER.value)), pytest.raises(services.LastAdmin):
        services.close_on_request(second, first, "")
    db.session.expire_all()
    assert db.session.get(User, first.id).closed_at is None
