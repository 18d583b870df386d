"""Straddled reads in self-assessment: the other request commits between this one's checks and its first
write (tests/straddle.py). Wording saved as a version is published; merging twice; a renewed invitation."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from champions.accounts.models import Role
from champions.assessments import queries, services
from champions.assessments.models import Framework, Invitation, Statement
from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.reference.models import Organisation, organisation_council_areas
from tests.straddle import other_commits_first


def _audits(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_wording_saved_as_the_version_is_published_is_refused(app, make_user):
    admin = make_user(role=Role.ADMIN)
    draft = services.copy_framework(admin, queries.current_framework())
    domain = draft.domains[0]
    statement = domain.statements[0]
    before, table = statement.text, Framework.__table__
    assert not domain.framework.is_published  # read before the other admin's publish committed

    def publish(other):
        other.execute(update(table).where(table.c.id == draft.id).values(is_published=True))

    with other_commits_first(publish), pytest.raises(services.Published):
        services.save_domain_wording(admin, domain, domain.version, "New name", {statement.id: "Changed"})
    db.session.expire_all()
    assert db.session.get(Statement, statement.id).text == before


def test_the_same_merge_sent_twice_at_once_merges_and_audits_once(organisation, make_user):
    coordinator = make_user(role=Role.COORDINATOR)
    duplicate, into = organisation("Fife Councll"), organisation("Fife Council")
    duplicate_id = duplicate.id
    assert duplicate.name  # loaded, as the view loads it before the service runs

    def merged(other):
        other.execute(
            delete(organisation_council_areas).where(
                organisation_council_areas.c.organisation_id == duplicate_id
            )
        )
        other.execute(delete(Organisation.__table__).where(Organisation.__table__.c.id == duplicate_id))

    with other_commits_first(merged):
        services.merge_organisations(coordinator, duplicate, into)
    assert _audits("organisation.merge") == 0  # the other request's merge made (and audited) it
    assert db.session.get(Organisation, into.id) is not None


def test_a_run_out_invitation_renewed_twice_at_once_is_sent_once(make_assessment):
    assessment, inviter = make_assessment()
    services.invite(assessment, inviter, "colleague@example.org")
    invitation = db.session.scalar(select(Invitation))
    invitation.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    sent = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert invitation.created_at < utcnow() - timedelta(
        days=30
    )  # read as run out, before the other renewed it
    table = Invitation.__table__

    def renewed(other):
        other.execute(
            update(table).where(table.c.id == invitation.id).values(created_at=utcnow(), token_hash="x" * 64)
        )

    with other_commits_first(renewed):
        services.invite(assessment, inviter, "colleague@example.org")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == sent
