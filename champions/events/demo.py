"""Demo events: past ones with feedback and pledges (so a learning report shows), and upcoming ones."""

from datetime import datetime, time, timedelta

from faker import Faker
from sqlalchemy import select

from champions.accounts.models import User
from champions.clock import utcnow
from champions.events import services
from champions.events.forms import london_to_utc
from champions.events.models import (
    Event,
    EventFormat,
    EventType,
    Feedback,
    Pledge,
    PledgeProgress,
    Registration,
    RegistrationStatus,
)
from champions.extensions import db
from champions.reference.models import CouncilArea
from champions.reference.services import council_areas, implementation_domains, levels, sectors
from champions.resources import demo as resources_demo

FEEDBACK = [
    (
        5,
        "Lack of time and resources for staff to reflect on how practice can be adapted.",
        "Buy-in from senior management and sector leaders.",
        ["disseminate", "champion-role"],
        "",
    ),
    (
        4,
        "Workload and expectations on staff do not leave room for trauma-informed service design.",
        "Having champions across services and teams to support culture change.",
        ["culture-change"],
        "Add a trauma-informed item to our team meeting agenda each month.",
    ),
    (
        4,
        "Staffing shortages make it hard to release people for training.",
        "Peer support with a focus on wellbeing.",
        ["wellbeing", "learning-development"],
        "",
    ),
    (
        3,
        "Not enough funding for backfill.",
        "Access to the NTTP e-learning and the toolkit.",
        ["learning-development"],
        "",
    ),
    (
        5,
        "Leadership buy-in varies between teams.",
        "Working with multi-agency partners in the network.",
        ["multi-agency", "disseminate"],
        "Share the roadmap with our senior leadership team.",
    ),
]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = (utcnow() + timedelta(days=days)).date()
    return london_to_utc(day, time(hour, minute))


def _people(accounts: dict[str, User], count: int) -> list[User]:
    fake = Faker("en_GB")
    fake.seed_instance(2026)
    areas = council_areas()
    people = []
    for n in range(count):
        person = User(
            email=f"demo.attendee{n + 1}@example.org",
            name=fake.name(),
            password_hash=accounts["member"].password_hash,
            council_area=areas[(n * 7) % len(areas)],
            email_verified_at=utcnow(),
            is_demo=True,
        )
        db.session.add(person)
        people.append(person)
    db.session.commit()
    return people


def _event(
    owner: User,
    title: str,
    kind: EventType,
    form: EventFormat,
    starts: datetime,
    hours: int,
    area: CouncilArea | None = None,
    **extra,
) -> Event:
    values = {
        "title": title,
        "event_type": kind.value,
        "format": form.value,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=hours),
        "council_area": area,
        **extra,
    }
    domains = implementation_domains()  # each event helps with one domain, chosen by its title's length
    values.setdefault("domains", [domains[len(title) % len(domains)]])
    if form != EventFormat.ONLINE:
        values.setdefault("venue", "Community Hall")
        values.setdefault("accessibility", "Step-free access, a hearing loop and a quiet room.")
    if form != EventFormat.IN_PERSON:
        values.setdefault("joining_link", "https://meet.example.org/tcn-demo")
    event = services.create_event(owner, values)
    services.publish_event(owner, event)
    return event


def _past_registrations(event: Event, people: list[User]) -> list[Registration]:
    all_sectors = sectors()
    rows = [
        Registration(
            event_id=event.id,
            user_id=person.id,
            status=RegistrationStatus.CONFIRMED.value,
            attended=n % 6 != 5,
            sector=all_sectors[n % 4],
        )
        for n, person in enumerate(people)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def _answer_some_followups(event: Event) -> None:
    """Pretend the 30-day follow-ups went out and some people answered, so the rates show."""
    answers = [
        PledgeProgress.DONE.value,
        PledgeProgress.IN_PROGRESS.value,
        PledgeProgress.NOT_YET.value,
        None,
    ]
    pledges = db.session.scalars(
        select(Pledge)
        .join(Pledge.feedback)
        .where(Feedback.event_id == event.id, Pledge.user_id.is_not(None))
        .order_by(Pledge.id)
    ).all()
    for feedback in db.session.scalars(select(Feedback).where(Feedback.event_id == event.id)):
        feedback.created_at = event.ends_at + timedelta(hours=2)  # given on the day
    for n, pledge in enumerate(pledges):
        pledge.progress = answers[n % len(answers)]
        pledge.progress_at = utcnow() if pledge.progress else None
    db.session.commit()


def _past(owner: User, member: User, people: list[User], resources) -> None:
    lvl, sec = levels(), sectors()
    deep_dive = _event(
        owner,
        "Deep dive: trauma-informed adult social care",
        EventType.DEEP_DIVE,
        EventFormat.ONLINE,
        _at(-40, 10),
        3,
        levels=lvl[:2],
        sectors=[sec[0]],
        resources=resources[:2],
        description="A learning event on how a trauma-informed approach supports staff wellbeing "
        "and improves outcomes for people who use adult social care.",
    )
    rows = _past_registrations(deep_dive, people[:12] + [member])
    for row, (rating, barrier, enabler, chosen, own) in zip(rows, FEEDBACK, strict=False):
        services.give_feedback(
            deep_dive,
            row,
            {
                "rating": rating,
                "barriers": barrier,
                "enablers": enabler,
                "pledges": chosen,
                "own_pledge": own,
                "anonymous": row.user_id % 4 == 0,
            },
        )
    _answer_some_followups(deep_dive)
    services.save_report_text(
        owner,
        deep_dive,
        "- Training is one part; leadership matters as much.\n- No one service can do this alone.",
        "Over 10 people from four sectors joined us to share practice.",
        publish=True,
    )
    network = _event(
        owner,
        "Trauma champions network meeting (autumn)",
        EventType.NETWORK_MEETING,
        EventFormat.IN_PERSON,
        _at(-100, 13),
        2,
        area=owner.council_area,
        description="Champions share what is working and what is hard.",
    )
    _past_registrations(network, people[12:])


def _upcoming(accounts: dict[str, User], people: list[User], resources) -> None:
    owner, lvl = accounts["coordinator"], levels()
    full = _event(
        owner,
        "Trauma-skilled practice: a half-day workshop",
        EventType.TRAINING,
        EventFormat.IN_PERSON,
        _at(12, 9, 30),
        3,
        area=owner.council_area,
        capacity=5,
        levels=[lvl[1]],
        resources=resources[1:3],
        address="12 Example Street, Glasgow",
        description="Work through the trauma-skilled module together, with time to talk.",
    )
    for person in people[:7]:
        services.register(full, person, "")
    webinar = _event(
        owner,
        "Webinar: leading trauma-informed change with STILT",
        EventType.WEBINAR,
        EventFormat.ONLINE,
        _at(20, 12, 30),
        1,
        levels=lvl,
        resources=resources[4:6],
        description="An introduction to the Scottish Trauma Informed Leaders Training.",
    )
    services.register(webinar, accounts["member"], "Captions, please.")
    services.register(webinar, accounts["champion"], "")
    _event(
        owner,
        "Learning event: trauma-informed housing and homelessness services",
        EventType.LEARNING_EVENT,
        EventFormat.HYBRID,
        _at(45, 10),
        4,
        area=accounts["champion"].council_area,
        capacity=60,
        levels=lvl[:2],
        co_organisers=[accounts["champion"]],
        description="Hear from services that have started the journey, in the room or online.",
    )
    _event(
        owner,
        "Trauma-informed practice drop-in",
        EventType.LEARNING_EVENT,
        EventFormat.IN_PERSON,
        _at(70, 14),
        2,
        area=accounts["member"].council_area,
        levels=lvl[:1],
        description="An informal session for anyone new to trauma-informed practice.",
    )


def seed(accounts: dict[str, User]) -> None:
    resources = resources_demo.seed(accounts)
    people = _people(accounts, 18)
    _past(accounts["coordinator"], accounts["member"], people, resources)
    _upcoming(accounts, people, resources)
