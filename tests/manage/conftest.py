"""A factory for the work waiting at /manage: one of each kind, in a council area."""

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.buddies.models import BuddyRequest
from champions.casestudies.models import CaseStudy
from champions.casestudies.models import Status as CaseStudyStatus
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.discussions.models import Category, Post, Report, Thread
from champions.events.models import Event, EventStatus, Feedback, Registration, RegistrationStatus
from champions.extensions import db
from champions.messages.models import Conversation
from champions.reference.models import CouncilArea
from champions.reference.services import find_or_create_organisation


def area(name: str) -> CouncilArea:
    return db.session.scalar(select(CouncilArea).where(CouncilArea.name == name))


@pytest.fixture
def add_work(make_user):
    """Add one item of each kind of work in the named council area; events are the organiser's."""
    counter = iter(range(1, 100_000))

    def _event(place, organiser, days: int, title: str) -> Event:
        starts = utcnow().replace(microsecond=0) + timedelta(days=days)
        event = Event(
            title=title,
            event_type="training",
            format="online",
            status=EventStatus.PUBLISHED.value,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            council_area=place,
            created_by=organiser,
        )
        db.session.add(event)
        return event

    def add(area_name: str, organiser):
        n = next(counter)
        place = area(area_name)
        person = make_user(council_area=place, role=Role.CHAMPION)
        db.session.add(
            ChampionProfile(
                user=make_user(council_area=place),
                display_name=f"Applicant {n}",
                job_title="Social worker",
                organisation=find_or_create_organisation("Fife Council"),
                council_areas=[place],
            )
        )
        case_study = CaseStudy(
            author=person,
            title=f"Case study {n}",
            status=CaseStudyStatus.SUBMITTED.value,
            review_by=date.today() + timedelta(days=365),
            submitted_at=utcnow(),
            areas=[place],
        )
        category = Category(slug=f"work-{n}", name=f"Work {n}")
        thread = Thread(category=category, author=person, title=f"Thread {n}")
        post = Post(
            thread=thread, author=person, body="Hello", body_html="<p>Hello</p>", form_key=str(uuid.uuid4())
        )
        db.session.add_all([case_study, post, Report(post=post, reporter=make_user(), reason="Unkind")])

        waiting = _event(place, organiser, 10, f"Waiting list {area_name} {n}")
        db.session.add(Registration(event=waiting, user=person, status=RegistrationStatus.WAITLISTED.value))
        unrecorded = _event(place, organiser, -10, f"No attendance {area_name} {n}")
        db.session.add(Registration(event=unrecorded, user=person, status=RegistrationStatus.CONFIRMED.value))
        no_report = _event(place, organiser, -20, f"No report {area_name} {n}")
        db.session.add_all(
            [
                Registration(
                    event=no_report, user=person, status=RegistrationStatus.CONFIRMED.value, attended=True
                ),
            ]
        )
        reporter = make_user(council_area=place)
        db.session.add(BuddyRequest(user=person, open_key=person.id))
        db.session.flush()
        db.session.add(
            Conversation(
                subject=f"Conversation {n}",
                started_by=reporter,
                reported_at=utcnow(),
                reported_by_id=reporter.id,
                report_reason="Unkind",
            )
        )
        db.session.add(Feedback(event_id=no_report.id, rating=5))
        db.session.commit()

    return add
