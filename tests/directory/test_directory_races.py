"""A coordinator's decision, and a champion's listing choice, sent twice at once are made once: the other
request commits between this one's checks and its first write (tests/straddle.py), as in a double click."""

import pytest
from sqlalchemy import func, select, update

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.directory import services
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.mail import OutboxMessage
from tests.straddle import other_commits_first


def _set(profile_id: int, **values):
    table = ChampionProfile.__table__
    return lambda other: other.execute(update(table).where(table.c.id == profile_id).values(**values))


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize(
    ("decide", "status", "other_status", "refused"),
    [
        ("approve", "pending", "verified", services.NotPending),
        ("decline", "pending", "verified", services.NotPending),
        ("approve", "pending", "declined", services.NotPending),
        ("revoke", "verified", "revoked", services.NotVerified),
    ],
)
def test_a_decision_made_by_someone_else_between_the_check_and_the_save_is_not_made_again(
    make_user, make_profile, decide, status, other_status, refused
):
    coordinator = make_user(role=Role.COORDINATOR)
    profile = make_profile(status=status)
    assert profile.status == status  # read before the other coordinator's decision committed
    emails, audits = _count(OutboxMessage), _count(AuditEntry)
    with other_commits_first(_set(profile.id, status=other_status)), pytest.raises(refused):
        getattr(services, decide)(coordinator, profile, "Reason")
    db.session.expire_all()
    assert db.session.get(ChampionProfile, profile.id).status == other_status
    assert (_count(OutboxMessage), _count(AuditEntry)) == (emails, audits)  # no second email or entry


def test_the_same_listing_choice_sent_twice_at_once_is_given_and_audited_once(make_profile):
    profile = make_profile(listed=False)
    assert not profile.is_listed
    audits = _count(AuditEntry, AuditEntry.action == "champion.consent_given")
    with other_commits_first(_set(profile.id, listing_consent_at=utcnow())):
        services.set_listing(profile, True, profile.user)
    assert _count(AuditEntry, AuditEntry.action == "champion.consent_given") == audits
    db.session.expire_all()
    assert db.session.get(ChampionProfile, profile.id).is_listed
