"""Frameworks as data: version 1 arrives by migration; a new version never changes past assessments."""

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.assessments import queries
from champions.assessments.models import Assessment, Domain, Framework, Statement
from champions.audit import AuditEntry
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
    new, _ = make_assessment("Highland Council")
    assert new.framework_id == second.id
    assert old.framework_id == first.id
    sign_in(champion)
    page = client.get(f"/assessments/{old.id}").get_data(as_text=True)
    assert "Governance and leadership" in page and "version 1" in page


def _copy(client, as_role):
    admin = as_role(Role.ADMIN)
    first = queries.current_framework()
    response = client.post(f"/assessments/frameworks/{first.id}/copy")
    assert response.status_code == 302
    again = client.post(f"/assessments/frameworks/{first.id}/copy")
    assert again.headers["Location"] == response.headers["Location"]  # one waiting copy at a time
    copy = db.session.scalar(select(Framework).where(Framework.version_number == 2))
    return admin, first, copy


def test_an_admin_copies_edits_and_publishes_a_version(client, as_role, make_assessment):
    old, _champion = make_assessment()
    admin, first, copy = _copy(client, as_role)
    assert not copy.is_published and len(copy.domains) == 10
    assert [len(d.statements) for d in copy.domains] == [5] * 10
    domain = copy.domains[0]
    statement = domain.statements[0]
    url = f"/assessments/frameworks/{copy.id}/domains/{domain.id}"
    assert "Leaders name trauma-informed practice" in client.get(url).get_data(as_text=True)
    data = {
        "version": "1",
        "name": "Leadership and governance",
        f"statement_{statement.id}": "Leaders act on it.",
    }
    data |= {f"statement_{s.id}": s.text for s in domain.statements[1:]}
    assert client.post(url, data=data).status_code == 302
    stale = client.post(url, data=data | {"name": "Another name"})
    assert stale.status_code == 409 and "Another name" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Domain, domain.id).name == "Leadership and governance"
    assert 'value="2"' in stale.get_data(as_text=True)  # saving again from that page goes through
    assert first.domains[0].name == "Governance and leadership"  # the published version is untouched
    assert queries.current_framework().id == first.id  # not published yet
    assert client.post(f"/assessments/frameworks/{copy.id}/publish").status_code == 302
    assert client.post(f"/assessments/frameworks/{copy.id}/publish").status_code == 302
    assert queries.current_framework().id == copy.id
    published = client.get(url)
    assert published.status_code == 302  # a published version cannot be edited
    assert client.post(url, data=data).status_code == 302
    assert db.session.get(Statement, statement.id).text == "Leaders act on it."
    assert db.session.get(Assessment, old.id).framework_id == first.id
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == admin.id)))
    assert actions == {"framework.copy", "framework.edit", "framework.publish"}
    assert (
        len(list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "framework.publish")))) == 1
    )


def test_bad_wording_is_refused_and_kept(client, as_role):
    _admin, _first, copy = _copy(client, as_role)
    domain = copy.domains[0]
    url = f"/assessments/frameworks/{copy.id}/domains/{domain.id}"
    data = {f"statement_{s.id}": s.text for s in domain.statements} | {"version": "1", "name": "Name\nsplit"}
    data[f"statement_{domain.statements[1].id}"] = "x" * 501
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "one line" in page and "500 characters" in page
    assert client.get(f"/assessments/frameworks/{copy.id}/domains/999999").status_code == 404


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION, Role.COORDINATOR])
def test_only_admins_edit_frameworks(client, as_role, role):
    as_role(role)
    assert client.get("/assessments/frameworks").status_code == 403
    assert client.get("/assessments/frameworks/1").status_code == 403
    assert client.post("/assessments/frameworks/1/copy").status_code == 403
    assert client.post("/assessments/frameworks/1/publish").status_code == 403


def test_a_copy_made_by_someone_else_between_the_checks_is_the_one_returned(app, monkeypatch, make_user):
    """Two admins press "Make a new version" at once: the second lands after the first committed
    (its first check saw nothing waiting, its version count saw the first's copy). One draft version."""
    from champions.assessments import services

    admin = make_user(role=Role.ADMIN)
    first = queries.current_framework()
    made = services.copy_framework(admin, first)
    monkeypatch.setattr(queries, "unpublished_version", _once_none(queries.unpublished_version))
    again = services.copy_framework(admin, first)
    assert again.id == made.id
    drafts = db.session.scalars(
        select(Framework).where(Framework.name == first.name, Framework.is_published.is_(False))
    ).all()
    assert [d.id for d in drafts] == [made.id]


def _once_none(real):
    calls = []

    def answer(name):
        calls.append(name)
        return None if len(calls) == 1 else real(name)

    return answer
