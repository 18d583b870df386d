"""The fixed list of pages the benchmark measures, with ids looked up in the seeded database.

Each page is (name, path, who): who is a demo account's email address, or None for a visitor.
The thread is the lowest-id one with exactly 100 posts (the page shows its first 20); the event
is the lowest-id published one with exactly 500 confirmed registrations. `seed-demo --size`
creates both; on a smaller database the busiest thread and event stand in.
"""

from sqlalchemy import func, select

from champions.discussions.models import Category, Thread
from champions.events.models import Event, EventStatus, Registration, RegistrationStatus
from champions.extensions import db

MEMBER = "member@example.org"
COORDINATOR = "coordinator@example.org"  # signs in with a second factor (bench/authenticator.py)
CHAMPION = "champion@example.org"  # the demo champion, verified for Fife
AREA = "glasgow-city"
CASE_STUDY_SEARCH = "staff wellbeing"
SITE_SEARCH = "trauma informed leadership"
# The two common words issue #18 measured: each matches a large share of every kind of document.
SITE_SEARCH_WORDS = ("trauma", "wellbeing")


def _thread() -> Thread:
    exact = db.session.scalar(select(Thread).where(Thread.post_count == 100).order_by(Thread.id).limit(1))
    return exact or db.session.scalar(select(Thread).order_by(Thread.post_count.desc(), Thread.id).limit(1))


def _event_id() -> int:
    confirmed = (
        select(Registration.event_id, func.count().label("places"))
        .where(Registration.status == RegistrationStatus.CONFIRMED.value)
        .group_by(Registration.event_id)
        .subquery()
    )
    query = (
        select(Event.id)
        .join(confirmed, confirmed.c.event_id == Event.id)
        .where(Event.status == EventStatus.PUBLISHED.value)
    )
    exact = db.session.scalar(query.where(confirmed.c.places == 500).order_by(Event.id).limit(1))
    return exact or db.session.scalar(query.order_by(confirmed.c.places.desc(), Event.id).limit(1))


def pages() -> list[tuple[str, str, str | None]]:
    """The benchmark's pages for the database the current app uses."""
    thread = _thread()
    category = db.session.get(Category, thread.category_id)
    return [
        ("home, anonymous", "/", None),
        ("home, member", "/", MEMBER),
        ("directory by council area", f"/champions?area={AREA}", None),
        ("coverage map", "/champions/coverage", None),
        ("category page", f"/discussions/{category.slug}", MEMBER),
        (f"thread page ({thread.post_count} posts)", f"/discussions/t/{thread.id}?page=1", MEMBER),
        ("case-study library, filtered", "/case-studies?sector=health", None),
        ("case-study search", "/case-studies?q=" + CASE_STUDY_SEARCH.replace(" ", "+"), None),
        ("events listing", "/events", None),
        ("event page", f"/events/{_event_id()}", None),
        ("site-wide search", "/search?q=" + SITE_SEARCH.replace(" ", "+"), MEMBER),
        *((f"site-wide search, {word!r}", f"/search?q={word}", MEMBER) for word in SITE_SEARCH_WORDS),
        ("network in numbers", "/network/in-numbers", None),
        # The dashboards read the figures worked out ahead, so their cost should not grow with the data.
        ("dashboard, coordinator", "/dashboard", COORDINATOR),
        ("dashboard, NHS board and sector", "/dashboard?board=nhs-fife&sector=health", COORDINATOR),
        ("local dashboard, champion", "/dashboard/area/fife", CHAMPION),
    ]
