"""Factories for champion profiles."""

import pytest
from sqlalchemy import select

from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.reference.models import CouncilArea, HealthBoard, NttpLevel, Sector
from champions.reference.services import find_or_create_organisation


def _by_slug(model, slugs):
    return list(db.session.scalars(select(model).where(model.slug.in_(list(slugs)))))


@pytest.fixture
def make_profile(make_user):
    """Make a champion profile directly (verified and listed unless told otherwise)."""

    def make(
        user=None,
        *,
        status="verified",
        listed=True,
        scope="local",
        areas=("fife",),
        board=None,
        sectors=("health",),
        levels=(),
        name=None,
        organisation="Fife Council",
        **values,
    ):
        user = user or make_user()
        profile = ChampionProfile(
            user=user,
            display_name=name or user.name,
            job_title=values.pop("job_title", "Head of Service"),
            organisation=find_or_create_organisation(organisation),
            scope=scope,
            status=status,
            listing_consent_at=utcnow() if listed else None,
            **values,
        )
        if scope == "national":
            profile.council_areas = list(db.session.scalars(select(CouncilArea)))
        elif scope == "nhs-board":
            profile.health_board = db.session.scalar(select(HealthBoard).where(HealthBoard.slug == board))
            profile.council_areas = list(profile.health_board.council_areas)
        else:
            profile.council_areas = _by_slug(CouncilArea, areas)
        profile.sectors = _by_slug(Sector, sectors)
        profile.levels = _by_slug(NttpLevel, levels)
        db.session.add(profile)
        db.session.commit()
        return profile

    return make


@pytest.fixture
def area():
    def find(slug: str) -> CouncilArea:
        return db.session.scalar(select(CouncilArea).where(CouncilArea.slug == slug))

    return find


@pytest.fixture
def application_form():
    return _application_form


def _application_form(**overrides) -> dict:
    """A complete, valid application as the browser would post it."""
    data = {
        "display_name": "Isla Grant",
        "job_title": "Head of Children's Services",
        "organisation": "Fife Council",
        "scope": "local",
        "council_areas": ["fife"],
        "health_board": "",
        "sectors": ["education"],
        "levels": ["trauma-informed"],
        "stilt_completed": "y",
        "bio": "I lead **trauma-informed** change.",
        "phone": "01592 123456",
        "contact_audience": "members",
        "listed": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
