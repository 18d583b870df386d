"""Factories for buddies: verified champions (willing or not), requests made through the service."""

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.buddies import services
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.reference.models import CouncilArea, HealthBoard, OrganisationKind, Sector
from champions.reference.services import find_or_create_organisation


def area(slug: str) -> CouncilArea:
    return db.session.scalar(select(CouncilArea).where(CouncilArea.slug == slug))


def sector(slug: str) -> Sector:
    return db.session.scalar(select(Sector).where(Sector.slug == slug))


def board(slug: str) -> HealthBoard:
    return db.session.scalar(select(HealthBoard).where(HealthBoard.slug == slug))


@pytest.fixture
def make_champion(make_user):
    """A verified champion in a council area; willing=True opts them in to being a buddy."""

    def make(
        where: str = "fife",
        sectors: tuple[str, ...] = (),
        willing: bool = False,
        stage: int = 0,
        organisation: str = "Fife Council",
        kind: OrganisationKind = OrganisationKind.COUNCIL,
        role: Role = Role.CHAMPION,
        **user_values,
    ) -> ChampionProfile:
        place = area(where)
        user = make_user(role=role, council_area=place, **user_values)
        profile = ChampionProfile(
            user=user,
            display_name=user.name,
            job_title="Practice lead",
            organisation=find_or_create_organisation(organisation, kind.value, place),
            status="verified",
            listing_consent_at=utcnow(),
            phone="01234 567890",
        )
        profile.council_areas = [place]
        profile.sectors = [sector(s) for s in sectors]
        db.session.add(profile)
        db.session.commit()
        if willing or stage:
            services.save_settings(user, willing=willing, roadmap_stage=stage)
        return profile

    return make


@pytest.fixture
def ask(app):
    """Ask for a buddy through the service, as the form would."""

    def make(user, different_sector=False, nearby=False, further_on=False, council_board=False, note=""):
        return services.ask(user, different_sector, nearby, further_on, council_board, note)

    return make
