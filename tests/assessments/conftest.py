"""Factories for self-assessments: organisations, their champions, assessments made through the services."""

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.assessments import queries, services
from champions.assessments.models import Assessment, Contributor
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.reference.models import Organisation
from champions.reference.services import find_or_create_organisation


@pytest.fixture
def organisation(app):
    def make(name: str = "Fife Council") -> Organisation:
        found = find_or_create_organisation(name, "council")
        db.session.commit()
        return found

    return make


@pytest.fixture
def make_org_champion(make_user, organisation):
    """A verified champion of the named organisation (status="pending" for one still waiting)."""

    def make(name: str = "Fife Council", status: str = "verified", **user_values):
        org = organisation(name)
        user = make_user(role=Role.CHAMPION, organisation=org, **user_values)
        db.session.add(
            ChampionProfile(
                user=user,
                display_name=user.name,
                job_title="Head of service",
                organisation=org,
                status=status,
                listing_consent_at=utcnow(),
            )
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_assessment(make_org_champion):
    """A draft for an organisation, started by a new champion of it; returns (assessment, champion)."""

    def make(name: str = "Fife Council", champion=None):
        champion = champion or make_org_champion(name)
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        return services.start(champion, organisation), champion

    return make


@pytest.fixture
def fill():
    """Save every domain (or the first `upto`) with a rating and evidence, as the domain pages would."""

    def save(assessment: Assessment, user, rating: str = "developing", upto: int | None = None):
        for domain in assessment.framework.domains[:upto]:
            fresh = queries.assessment(assessment.id)
            services.save_domain(fresh, domain, user, fresh.version, rating, "We do this.", [], [])
        return queries.assessment(assessment.id)

    return save


@pytest.fixture
def add_contributor(app):
    def add(assessment: Assessment, user) -> None:
        db.session.add(Contributor(assessment_id=assessment.id, user_id=user.id))
        db.session.commit()

    return add


@pytest.fixture
def tagged_case_study(make_user):
    """A published case study tagged with one implementation domain (by slug), made through its services."""

    def make(title: str, domain_slug: str):
        from champions.casestudies import services as case_studies
        from champions.reference.models import ImplementationDomain

        domain = db.session.scalar(
            select(ImplementationDomain).where(ImplementationDomain.slug == domain_slug)
        )
        author = make_user(role=Role.CHAMPION)
        content = {
            "title": title,
            "summary": "What we did.",
            "challenge": "The challenge.",
            "approach": "The approach.",
            "involvement": "Who was involved.",
            "impact": "The impact.",
            "learning": "The learning.",
            "advice": "The advice.",
            "visibility": "public",
            "topics": [],
            "domain_ids": [domain.id],
        }
        case_study = case_studies.create(author, content, [], submit=True)
        reviewed = {key: True for key in case_studies.CHECKLIST}
        case_studies.publish(case_study, make_user(role=Role.COORDINATOR), reviewed)
        return case_study

    return make
