"""Frameworks as data: version 1 arrives by migration; a new version never changes past assessments."""

from sqlalchemy import delete, select

from champions.assessments import queries
from champions.assessments.models import Domain, Framework, Statement
from champions.extensions import db

DOMAINS = [
    "Governance and leadership",
    "Policy",
    "Engagement of people with lived experience",
    "Workforce development",
    "Physical and emotional environment",
    "Cross-sector collaboration",
    "Screening, assessment and treatment",
    "Finance",
    "Progress monitoring and quality assurance",
    "Evaluation",
]


def test_version_one_has_the_ten_domains_in_order_with_a_statement_per_principle(app):
    framework = queries.current_framework()
    assert framework.version_number == 1 and framework.is_published
    assert "not an official" in framework.wording_note
    assert [d.name for d in framework.domains] == DOMAINS
    for domain in framework.domains:
        assert [s.principle.slug for s in domain.statements] == [
            "safety",
            "trust",
            "choice",
            "collaboration",
            "empowerment",
        ]
        assert all(10 < len(s.text) <= 500 for s in domain.statements)


def test_a_new_version_is_used_by_new_assessments_and_never_changes_old_ones(
    client, make_assessment, make_org_champion, sign_in
):
    old, champion = make_assessment("Fife Council")
    first = queries.current_framework()
    second = Framework(name=first.name, version_number=2, is_published=True, wording_note=first.wording_note)
    db.session.add(second)
    db.session.flush()
    domain = Domain(framework_id=second.id, slug="governance-and-leadership", name="Leadership", position=1)
    db.session.add(domain)
    db.session.flush()
    db.session.add(Statement(domain_id=domain.id, text="Leaders lead by example.", position=1))
    db.session.commit()
    try:
        new, _ = make_assessment("Highland Council")
        assert new.framework_id == second.id
        assert old.framework_id == first.id
        sign_in(champion)
        page = client.get(f"/assessments/{old.id}").get_data(as_text=True)
        assert "Governance and leadership" in page and "version 1" in page
    finally:  # the framework tables keep their rows between tests (reference data), so take it out
        db.session.rollback()
        db.session.execute(delete(Statement).where(Statement.domain_id == domain.id))
        db.session.execute(delete(Domain).where(Domain.framework_id == second.id))
        from champions.assessments.models import Assessment

        db.session.execute(delete(Assessment).where(Assessment.framework_id == second.id))
        db.session.execute(delete(Framework).where(Framework.id == second.id))
        db.session.commit()
    assert db.session.scalar(select(Framework.id).where(Framework.version_number == 2)) is None
