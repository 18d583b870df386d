"""`flask seed-demo --size medium|large`: the small demo content, then a large synthetic network on top.

large: 100,000 members (5,000 of them with champion profiles, 1% never confirmed their address),
20,000 threads with 300,000 posts, 5,000 case studies, 5,000 events with 200,000 registrations, plus
some feedback and pledges. medium is a tenth of each. Everything is fixed-seeded, so two runs on empty
databases give the same rows. Rows go in with SQLAlchemy Core executemany batches, in one transaction.

Fixed items for the benchmark (the small demo seed has nothing that matches them, so "lowest id" works):
- the thread with exactly 100 posts: the lowest-id thread with post_count = 100, titled
  discussions.BENCH_THREAD_TITLE, in the first discussion category by position ("Adult social care");
  page /discussions/t/<id>.
- the event with 500 confirmed registrations: the lowest-id event titled events.BENCH_EVENT_TITLE,
  published, starting 30 days after seeding, capacity 600; no other event has more than 400
  registrations. Page /events/<id>.
- busy council areas: members (and so champions) are spread by population, so glasgow-city,
  city-of-edinburgh and fife have the most listed champions (/champions?area=fife).
`bench_targets()` returns those ids.
"""

import random
from collections.abc import Callable

from sqlalchemy import func, select, text

from champions.accounts.models import User
from champions.clock import utcnow
from champions.demo import seed_demo
from champions.demo_scale import casestudies, directory, discussions, events, people
from champions.demo_scale.bulk import Counts, Run
from champions.demo_scale.texts import TextPools
from champions.discussions.models import Thread
from champions.events.models import Event
from champions.extensions import db
from champions.reference.models import CouncilArea, HealthBoard, NttpLevel, Principle, Sector
from champions.search.services import rebuild_index

SEED = 2026
SIZES = {"medium": 0.1, "large": 1.0}
FULL = Counts(
    users=100_000,
    champions=5_000,
    threads=20_000,
    posts=300_000,
    case_studies=5_000,
    events=5_000,
    registrations=200_000,
)
MARKER_EMAIL = "member1@example.org"


def counts_for(size: str | float) -> Counts:
    """The numbers for a size name, or for a scale (tests use a tiny one); fixed items always fit."""
    scale = SIZES[size] if isinstance(size, str) else size
    threads = max(10, round(FULL.threads * scale))
    return Counts(
        users=max(600, round(FULL.users * scale)),
        champions=max(20, round(FULL.champions * scale)),
        threads=threads,
        posts=max(threads + discussions.BENCH_THREAD_POSTS, round(FULL.posts * scale)),
        case_studies=max(10, round(FULL.case_studies * scale)),
        events=max(5, round(FULL.events * scale)),
        registrations=max(events.BENCH_EVENT_REGISTRATIONS + 100, round(FULL.registrations * scale)),
    )


def _reference() -> dict:
    scalars = db.session.scalars
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    member = db.session.scalar(select(User).where(User.email == "member@example.org"))
    return {
        "areas": list(scalars(select(CouncilArea).order_by(CouncilArea.name))),
        "boards": {b.id: b for b in scalars(select(HealthBoard))},
        "sectors": list(scalars(select(Sector).order_by(Sector.position))),
        "levels": list(scalars(select(NttpLevel).order_by(NttpLevel.position))),
        "principles": list(scalars(select(Principle).order_by(Principle.position))),
        "coordinator_id": coordinator.id,
        "password_hash": member.password_hash,  # the demo password, hashed once by the small seed
    }


def _sqlite_pragmas(connection, values: dict[str, object]) -> dict[str, object]:
    """Set SQLite pragmas for this connection; return the old values so they can be put back."""
    if connection.dialect.name != "sqlite":
        return {}
    old = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in values}
    for name, value in values.items():
        connection.exec_driver_sql(f"PRAGMA {name} = {value}")
    return old


def already_scaled() -> bool:
    return db.session.scalar(select(func.count(User.id)).where(User.email == MARKER_EMAIL)) > 0


def seed_scaled(size: str | float, advance: Callable[[int], None] | None = None) -> bool:
    """Add the small demo content (if missing) and the synthetic network; False if it is there already.

    Raises champions.demo.NotADemoDatabase when real accounts exist, as the small seed does.
    """
    seed_demo()
    if already_scaled():
        return False
    connection = db.session.connection()
    old = _sqlite_pragmas(connection, {"synchronous": "OFF", "cache_size": -65536})
    try:
        run = Run(
            conn=connection,
            counts=counts_for(size),
            rng=random.Random(SEED),
            now=utcnow().replace(microsecond=0),
            texts=TextPools(SEED),
            advance=advance or (lambda n: None),
            reference=_reference(),
        )
        run.people = people.seed(run)
        directory.seed(run)
        discussions.seed(run)
        casestudies.seed(run)
        events.seed(run)
        db.session.commit()
        rebuild_index()  # bulk inserts skip the search hooks, so index everything in one pass
        db.session.connection().execute(text("ANALYZE"))  # fresh planner statistics for the big tables
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _sqlite_pragmas(db.session.connection(), old)
        db.session.commit()
    return True


def bench_targets() -> dict[str, int | None]:
    """The ids of the benchmark's fixed thread and event (None when not seeded)."""
    thread = db.session.scalar(
        select(func.min(Thread.id)).where(
            Thread.post_count == discussions.BENCH_THREAD_POSTS,
            Thread.title == discussions.BENCH_THREAD_TITLE,
        )
    )
    event = db.session.scalar(select(func.min(Event.id)).where(Event.title == events.BENCH_EVENT_TITLE))
    return {"thread_id": thread, "event_id": event}
