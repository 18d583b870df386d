"""Factories for returns: verified champions in an area, a window open now, and a return sent through
the service as the form would send it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from champions import clock
from champions.accounts.models import Role
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.reference.models import CouncilArea
from champions.reference.services import find_or_create_organisation
from champions.returns import queries, services
from champions.returns.models import previous_quarter


@pytest.fixture
def area_named(app):
    def find(name: str) -> CouncilArea:
        return db.session.scalar(select(CouncilArea).where(CouncilArea.name == name))

    return find


@pytest.fixture
def make_champion(make_user, area_named):
    """A verified champion covering one council area (Fife unless named)."""

    def make(area: str = "Fife", status: str = "verified", **user_values):
        user = make_user(role=Role.CHAMPION, council_area=area_named(area), **user_values)
        profile = ChampionProfile(
            user=user,
            display_name=user.name,
            job_title="Practice lead",
            organisation=find_or_create_organisation(f"{area} Council"),
            status=status,
            listing_consent_at=utcnow(),
        )
        profile.council_areas = [area_named(area)]
        db.session.add(profile)
        db.session.commit()
        return user

    return make


@pytest.fixture
def coordinator(make_user):
    return make_user(role=Role.COORDINATOR)


@pytest.fixture
def make_window(coordinator):
    """Last quarter's window, open from a few days ago (or with the dates given)."""

    def make(opens_in_days: int = -3, closes_in_days: int = 20, year_quarter=None):
        today = clock.today()
        year, quarter = year_quarter or previous_quarter(today)
        return services.open_window(
            coordinator,
            year,
            quarter,
            today + timedelta(days=opens_in_days),
            today + timedelta(days=closes_in_days),
        )

    return make


ANSWERS = {
    "sessions_run": 2,
    "events_attended": 1,
    "case_studies_shared": 0,
    "helped": ["Working together"],
    "helped_words": "A colleague covered my clinic.",
    "hindered": ["Time and workload"],
    "hindered_words": "",
    "support_wanted": "",
    "wellbeing": 4,
}


@pytest.fixture
def send_return(app):
    """Send (or save as a draft) a return through the service, as the form would."""

    def send(user, window, submit: bool = True, reach: dict | None = None, **answers):
        found = queries.return_for(window.id, user.id)
        seen = found.version if found else 0
        return services.save_return(user, window, seen, {**ANSWERS, **answers}, reach or {}, submit)

    return send
