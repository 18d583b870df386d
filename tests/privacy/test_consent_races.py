"""A consent withdrawn twice at once is withdrawn and audited once: the other sending commits between this
one's "is it open?" check and its save (tests/straddle.py)."""

from sqlalchemy import func, select, update

from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.extensions import db
from champions.privacy.models import ConsentKind, ConsentRecord, current_version
from champions.privacy.services import consents
from tests.straddle import other_commits_first


def test_the_same_withdrawal_sent_twice_at_once_is_audited_once(make_user):
    person = make_user()
    kind = ConsentKind.ANONYMOUS_POSTING.value
    record = ConsentRecord(user=person, kind=kind, version=current_version(kind))
    db.session.add(record)
    db.session.commit()
    assert record.withdrawn_at is None
    table = ConsentRecord.__table__

    def withdrawn(other):
        other.execute(update(table).where(table.c.id == record.id).values(withdrawn_at=utcnow()))

    with other_commits_first(withdrawn):
        consents.withdraw(person, kind)
    audits = (
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "privacy.consent.withdraw")
    )
    assert db.session.scalar(audits) == 0  # the other sending's entry is its own
