"""Factories for messages: a listed champion, and a conversation started through the service."""

import uuid

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.messages import services
from champions.reference.models import CouncilArea
from champions.reference.services import find_or_create_organisation


@pytest.fixture
def make_champion(make_user):
    """A verified champion listed in the directory (listed=False: verified, not listed)."""

    def make(listed: bool = True, **user_values) -> ChampionProfile:
        user = make_user(role=Role.CHAMPION, **user_values)
        profile = ChampionProfile(
            user=user,
            display_name=user.name,
            job_title="Practice lead",
            organisation=find_or_create_organisation("Fife Council"),
            status="verified",
            listing_consent_at=utcnow() if listed else None,
        )
        profile.council_areas = list(
            db.session.scalars(select(CouncilArea).where(CouncilArea.slug == "fife"))
        )
        db.session.add(profile)
        db.session.commit()
        return profile

    return make


@pytest.fixture
def start(app):
    """Start a conversation between two people through the service, as the form would."""

    def make(sender, recipient, subject: str = "Hello", body: str = "First message"):
        return services.start_conversation(sender, recipient, subject, body, form_key=str(uuid.uuid4()))

    return make


@pytest.fixture
def area_named(app):
    def find(name: str) -> CouncilArea:
        return db.session.scalar(select(CouncilArea).where(CouncilArea.name == name))

    return find
