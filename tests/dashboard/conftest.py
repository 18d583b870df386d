"""Factories for the dashboard tests: past events with answers, and verified champions in an area."""

import csv
import io
from datetime import date, timedelta

import pytest
from odf import teletype
from odf.opendocument import load
from odf.table import TableRow
from sqlalchemy import select

from champions.accounts.models import Role
from champions.casestudies.models import Bookmark, CaseStudy
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.events.models import Event, EventStatus, Feedback, Registration, RegistrationStatus
from champions.extensions import db
from champions.reference.models import CouncilArea, Sector
from champions.reference.services import find_or_create_organisation


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.headers.get("Location")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def ods_rows(response) -> list[list[str]]:
    assert response.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    document = load(io.BytesIO(response.data))
    return [
        [teletype.extractText(cell) for cell in row.childNodes]
        for row in document.getElementsByType(TableRow)
    ]


def area(name: str) -> CouncilArea:
    return db.session.scalar(select(CouncilArea).where(CouncilArea.name == name))


def sector(slug_start: str) -> Sector:
    return db.session.scalar(
        select(Sector).where(Sector.slug.startswith(slug_start)).order_by(Sector.position)
    )


@pytest.fixture
def organiser(make_user):
    return make_user(role=Role.COORDINATOR, name="Morag Coordinator")


@pytest.fixture
def held_event(organiser, make_user):
    """An event that took place `days_ago`, with this many answers, registrations and attendees."""

    def make(
        event_type="training",
        days_ago=20,
        answers=0,
        registered=0,
        attended=0,
        place="Fife",
        rating=4,
        barriers=(),
        enablers=(),
    ):
        starts = utcnow().replace(microsecond=0) - timedelta(days=days_ago)
        event = Event(
            title=f"Past {event_type}",
            event_type=event_type,
            format="online",
            status=EventStatus.PUBLISHED.value,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            council_area=area(place) if place else None,
            created_by=organiser,
        )
        db.session.add(event)
        for n in range(registered):
            db.session.add(
                Registration(
                    event=event,
                    user=make_user(),
                    status=RegistrationStatus.CONFIRMED.value,
                    attended=n < attended,
                )
            )
        db.session.flush()
        texts = lambda words, n: words[n] if n < len(words) else ""  # noqa: E731
        db.session.add_all(
            Feedback(
                event_id=event.id, rating=rating, barriers=texts(barriers, n), enablers=texts(enablers, n)
            )
            for n in range(max(answers, len(barriers), len(enablers)))
        )
        db.session.commit()
        return event

    return make


@pytest.fixture
def champion_in(make_user):
    """A verified local champion for a council area, verified `days_ago`."""

    def make(place="Fife", days_ago=0, sectors=()):
        user = make_user(role=Role.CHAMPION, council_area=area(place))
        profile = ChampionProfile(
            user=user,
            display_name=user.name,
            job_title="Service manager",
            organisation=find_or_create_organisation("Fife Council"),
            council_areas=[area(place)],
            sectors=list(sectors),
            status="verified",
            decided_at=utcnow() - timedelta(days=days_ago),
        )
        db.session.add(profile)
        db.session.commit()
        return profile

    return make


@pytest.fixture
def published_case_study(make_user):
    """A case study published `days_ago`, tagged, and saved by `saves` people."""

    def make(title, principles=(), sectors=(), levels=(), saves=0, days_ago=10, status="published"):
        case_study = CaseStudy(
            author=make_user(role=Role.CHAMPION),
            title=title,
            status=status,
            review_by=date(2030, 1, 1),
            published_at=utcnow() - timedelta(days=days_ago),
            principles=list(principles),
            sectors=list(sectors),
            levels=list(levels),
        )
        db.session.add(case_study)
        db.session.add_all(Bookmark(user_id=make_user().id, case_study=case_study) for _ in range(saves))
        db.session.commit()
        return case_study

    return make
