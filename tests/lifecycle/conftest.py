"""Factories for the lifecycle tests: a person with something in every part of the portal."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import String, func, select

from champions import audit, mail
from champions.accounts.models import Role, User
from champions.casestudies.models import Bookmark, CaseStudy
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.discussions import services as discussions
from champions.discussions.models import Category, EmailMode
from champions.events import services as events
from champions.events.models import EventFormat, EventType, Feedback, Pledge, Registration
from champions.extensions import db
from champions.reference.models import CouncilArea
from champions.reference.services import find_or_create_organisation


@dataclass
class Footprint:
    user: User
    other: User
    thread_alone: int  # a thread with only their posts
    thread_replied: int  # a thread they started that someone else replied to
    case_study: int


def _event(owner: User, starts_at):
    data = {
        "title": "Trauma-informed practice workshop",
        "description": "A calm session.",
        "event_type": EventType.TRAINING.value,
        "format": EventFormat.ONLINE.value,
        "starts_at": utcnow() + timedelta(days=10),
        "ends_at": utcnow() + timedelta(days=10, hours=2),
        "joining_link": "https://meet.example.org/room",
    }
    event = events.create_event(owner, data)
    events.publish_event(owner, event)
    event.starts_at, event.ends_at = starts_at, starts_at + timedelta(hours=2)
    db.session.commit()
    return event


@pytest.fixture
def footprint(make_user):
    """Give a person posts, a profile, event places, feedback, a case study, follows, emails, audit rows."""

    def make(user: User) -> Footprint:
        other = make_user(role=Role.COORDINATOR, name="Ottoline Other", email="ottoline@example.org")
        user.organisation = find_or_create_organisation(f"{user.name} Consulting")
        category = Category(
            slug=f"c-{uuid.uuid4().hex[:8]}", name="Practice", description="About", position=1
        )
        db.session.add(category)
        db.session.commit()
        alone = discussions.start_thread(
            category, user, "Only mine", "Just me here", form_key=str(uuid.uuid4())
        )
        replied = discussions.start_thread(category, user, "Ask me", "Hello all", form_key=str(uuid.uuid4()))
        discussions.reply(replied.thread, other, "Thank you", form_key=str(uuid.uuid4()))
        discussions.reply(replied.thread, user, "My last word", form_key=str(uuid.uuid4()))
        discussions.follow_category(user, category)
        discussions.save_settings(user, EmailMode.DIGEST, True)
        area = db.session.scalar(select(CouncilArea).where(CouncilArea.name == "Fife"))
        profile = ChampionProfile(
            user=user,
            display_name=user.name,
            job_title="Lead",
            organisation=user.organisation,
            scope="local",
            status="verified",
            bio=f"I am {user.name}, write to {user.email}",
            phone="01234 567890",
            listing_consent_at=utcnow(),
        )
        profile.council_areas = [area]
        db.session.add(profile)
        past = _event(other, utcnow() - timedelta(days=5))
        future = _event(other, utcnow() + timedelta(days=5))
        for event in (past, future):
            db.session.add(
                Registration(event=event, user=user, status="confirmed", needs=f"Ramp for {user.name}")
            )
        feedback = Feedback(event_id=past.id, user_id=user.id, rating=5, barriers=f"{user.name} barriers")
        db.session.add(feedback)
        db.session.flush()
        db.session.add(
            Pledge(feedback_id=feedback.id, user_id=user.id, kind="own", text=f"{user.name} pledges")
        )
        case_study = CaseStudy(
            author=user,
            title="Calm rooms",
            summary="What we did",
            contact_name=user.name,
            contact_email=user.email,
            status="published",
            visibility="public",
            review_by=utcnow().date(),
            published_at=utcnow(),
        )
        db.session.add(case_study)
        db.session.flush()
        db.session.add(Bookmark(user_id=user.id, case_study_id=case_study.id))
        mail.queue(user.email, f"Hello {user.name}", "accounts/password_changed", user=user, reset_url="x")
        mail.queue(other.email, f"News of {user.name}", "accounts/password_changed", user=user, reset_url="x")
        audit.record(other, "note", user, f"Spoke to {user.name} at {user.email}")
        db.session.commit()
        return Footprint(user, other, alone.thread.id, replied.thread.id, case_study.id)

    return make


def traces(*needles: str) -> list[str]:
    """Every table.column whose value still contains one of the needles, walking the whole schema."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String):  # Text is a String too
                continue
            for needle in needles:
                query = (
                    select(func.count()).select_from(table).where(func.lower(column).contains(needle.lower()))
                )
                if db.session.scalar(query):
                    found.append(f"{table.name}.{column.name} holds {needle!r}")
    return found
