"""Two years of history for the dashboards: past events with answers, and champions verified over time.

The other features' demos make a network as it stands today; this spreads it over two years so every
chart has a shape. Past events get their attendance and learning report, so /manage stays as it was.
"""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from champions import clock
from champions.accounts.models import User
from champions.casestudies.models import Bookmark, CaseStudy
from champions.casestudies.models import Status as CaseStudyStatus
from champions.clock import utcnow
from champions.directory.models import ChampionProfile, Status
from champions.events.demo import FEEDBACK
from champions.events.models import (
    PLEDGE_CHOICES,
    Event,
    EventFormat,
    EventStatus,
    EventType,
    Feedback,
    Pledge,
    PledgeProgress,
    Registration,
    RegistrationStatus,
)
from champions.extensions import db
from champions.reference.models import CouncilArea, NttpLevel, Sector
from champions.returns import demo as returns_demo
from champions.returns import queries as return_queries
from champions.returns import services as return_services
from champions.returns.models import default_dates, previous_quarter

MONTHS = 24
TYPES = [EventType.LEARNING_EVENT, EventType.TRAINING, EventType.WEBINAR, EventType.DEEP_DIVE]
ANSWERS = [PledgeProgress.DONE.value, PledgeProgress.IN_PROGRESS.value, PledgeProgress.NOT_YET.value, None]


def _spread_champions(now) -> None:
    """Verify the demo's champions over two years, the earliest first, so coverage grows month by month."""
    profiles = db.session.scalars(
        select(ChampionProfile).where(ChampionProfile.status == Status.VERIFIED).order_by(ChampionProfile.id)
    ).all()
    for n, profile in enumerate(profiles):
        profile.decided_at = now - timedelta(days=700 - (n * 690) // max(len(profiles), 1))


def _spread_case_studies(now) -> list[CaseStudy]:
    published = db.session.scalars(
        select(CaseStudy).where(CaseStudy.status == CaseStudyStatus.PUBLISHED).order_by(CaseStudy.id)
    ).all()
    for n, case_study in enumerate(published):
        case_study.published_at = now - timedelta(days=680 - (n * 660) // max(len(published), 1))
    return list(published)


def _saves(case_studies: list[CaseStudy], people: list[User], now) -> None:
    """Past attendees save the newer case studies, some by many, so "most saved" has a shape."""
    for n, case_study in enumerate(reversed(case_studies[-12:])):
        for person in people[: max(0, 14 - 2 * n)]:
            when = max(case_study.published_at, now - timedelta(days=300)) + timedelta(days=3)
            db.session.add(Bookmark(user_id=person.id, case_study=case_study, created_at=min(when, now)))


def _event(owner: User, month: int, place, levels, sectors, now) -> Event:
    kind = TYPES[month % len(TYPES)]
    starts = (now - timedelta(days=30 * month + 12)).replace(hour=10, minute=0, second=0, microsecond=0)
    event = Event(
        title=f"{kind.name.replace('_', ' ').capitalize()}: {place.name} ({starts:%B %Y})",
        description="A past event from the demo's two years of history.",
        event_type=kind.value,
        format=EventFormat.ONLINE.value,
        status=EventStatus.PUBLISHED.value,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        joining_link="https://meet.example.org/tcn-demo",
        council_area=place,
        created_by=owner,
        levels=[levels[month % len(levels)]],
        sectors=[sectors[month % len(sectors)]],
        report_summary="Notes from the day.",
        report_published_at=starts + timedelta(days=7),
    )
    db.session.add(event)
    return event


def _answers(event: Event, people: list[User], month: int, sectors) -> None:
    db.session.flush()
    # Attendance improves over the two years, from about 55% to about 78%.
    came = 0.55 + 0.25 * (MONTHS - month) / MONTHS
    taking_part = people[month % 5 : month % 5 + 30 + month % 8]
    for n, person in enumerate(taking_part):
        attended = n < round(came * len(taking_part))
        db.session.add(
            Registration(
                event=event,
                user=person,
                status=RegistrationStatus.CONFIRMED.value,
                attended=attended,
                feedback_given=attended and n < 6,
                sector=sectors[n % len(sectors)],
                created_at=event.starts_at - timedelta(days=14),
            )
        )
    for n in range(6):
        # Anonymous answers: nothing links them to a person.
        # Words from the deep dive's feedback, so barriers and enablers have themes month by month.
        words = FEEDBACK[(n + month) % len(FEEDBACK)]
        feedback = Feedback(
            event_id=event.id,
            rating=3 + (n + month) % 3,
            barriers=words[1] if n < 5 else "",
            enablers=words[2] if n < 5 else "",
            created_at=event.ends_at,
        )
        kind = list(PLEDGE_CHOICES)[(n + month) % len(PLEDGE_CHOICES)]
        progress = ANSWERS[(n + month) % len(ANSWERS)] if month >= 1 else None
        answered_at = event.ends_at + timedelta(days=20 if n % 2 else 60) if progress else None
        feedback.pledges = [
            Pledge(kind=kind, progress=progress, progress_at=answered_at, created_at=event.ends_at)
        ]
        db.session.add(feedback)


def _people(password_hash: str, areas: list[CouncilArea]) -> list[User]:
    """Forty past attendees, enough that attendance rates can be shown under the rule of five."""
    people = [
        User(
            email=f"demo.history{n + 1}@example.org",
            name=f"Past Attendee {n + 1}",
            password_hash=password_hash,
            council_area=areas[(n * 11) % len(areas)],
            email_verified_at=utcnow(),
            is_demo=True,
        )
        for n in range(40)
    ]
    db.session.add_all(people)
    return people


PAST_QUARTERS = 4  # quarters of returns before the returns demo's two, so the returns section has a shape


def _past_returns(coordinator: User) -> None:
    """Closed return windows for the four quarters before the returns demo's, each with returns sent by
    about three in four of the champions verified by then, so the share sent and the themes can be shown."""
    levels = return_queries.levels()
    expected = return_queries.expected_champions()
    year, quarter = previous_quarter(clock.today())
    for back in range(PAST_QUARTERS + 1, 1, -1):
        index = year * 4 + quarter - 1 - back
        y, q = index // 4, index % 4 + 1
        if return_queries.window_for_quarter(y, q) is not None:
            continue
        opens, closes = default_dates(y, q)
        window = return_services.open_window(coordinator, y, q, opens, closes)
        asked = [p for p in expected if p.decided_at is not None and p.decided_at.date() <= closes]
        for n, profile in enumerate(asked):
            if n % 4 == 3:
                continue  # one in four does not send one
            themes = returns_demo.THEMES
            answers = {
                "sessions_run": 1 + (n + back) % 4,
                "events_attended": n % 3,
                "case_studies_shared": 1 if n % 6 == 0 else 0,
                "helped": ["Working together", themes[(n + back) % len(themes)]],
                "helped_words": "",
                "hindered": ["Time and workload"] + (["Resources and funding"] if (n + back) % 3 else []),
                "hindered_words": "",
                "support_wanted": returns_demo.SUPPORT[n % len(returns_demo.SUPPORT)],
                "wellbeing": None,
            }
            reach = {level.id: (n * 7 + i * 5 + back) % 30 for i, level in enumerate(levels)}
            sent = return_services.save_return(profile.user, window, 0, answers, reach, True)
            sent.late = False
            sent.submitted_at = datetime.combine(opens + timedelta(days=n % 20), time(10))
    db.session.commit()


def seed(accounts: dict[str, User]) -> None:
    """Spread the champions and case studies over two years, save some, and add a past event each month."""
    now = utcnow()
    _spread_champions(now)
    published = _spread_case_studies(now)
    areas = db.session.scalars(select(CouncilArea).order_by(CouncilArea.name)).all()
    people = _people(accounts["member"].password_hash, areas)
    db.session.flush()
    _saves(published, people, now)
    levels = db.session.scalars(select(NttpLevel).order_by(NttpLevel.position)).all()
    sectors = db.session.scalars(select(Sector).order_by(Sector.position)).all()
    for month in range(2, MONTHS):
        event = _event(accounts["coordinator"], month, areas[(month * 5) % len(areas)], levels, sectors, now)
        _answers(event, people, month, sectors)
    db.session.commit()
    _past_returns(accounts["coordinator"])
