"""Demo discussions for `flask seed-demo`: about 40 threads across six categories, built with the services."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select

from champions.accounts.models import Role, User
from champions.clock import utcnow
from champions.discussions import services
from champions.discussions.demo.content import CATEGORIES, PEOPLE, THREADS
from champions.discussions.services import counters
from champions.extensions import db
from champions.reference.models import CouncilArea


@contextmanager
def _one_transaction() -> Iterator[None]:
    """Let the services' commits become flushes, then commit once: seeding stays quick on a slow disk."""
    session = db.session()
    commit = session.commit
    session.commit = session.flush
    try:
        yield
    finally:
        del session.commit
    commit()


def _key() -> str:
    return str(uuid.uuid4())


def _people(accounts: dict[str, User]) -> list[User]:
    """The demo accounts plus a few more members, so conversations have several voices."""
    template = accounts["member"]
    people = [accounts["champion"], accounts["member"], accounts["coordinator"]]
    for email, name, area_name in PEOPLE:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            area = db.session.scalar(select(CouncilArea).where(CouncilArea.name == area_name))
            user = User(
                email=email,
                name=name,
                role=Role.CHAMPION.value,
                password_hash=template.password_hash,
                council_area=area,
                email_verified_at=utcnow(),
                is_demo=True,
            )
            db.session.add(user)
        people.append(user)
    db.session.commit()
    return people


def _backdate(thread, days_ago: int) -> None:
    start = utcnow() - timedelta(days=days_ago, hours=3)
    for n, post in enumerate(thread.posts):
        post.created_at = start + timedelta(hours=5 * n)
    thread.created_at = thread.posts[0].created_at
    thread.last_post_at = thread.posts[-1].created_at


def seed(accounts: dict[str, User]) -> None:
    """Add the categories, threads, replies, a locked thread and an open report."""
    with _one_transaction():
        _seed(accounts)


def _seed(accounts: dict[str, User]) -> None:
    coordinator = accounts["coordinator"]
    categories = [
        services.save_category(coordinator, None, name, description, (n + 1) * 10)
        for n, (name, description) in enumerate(CATEGORIES)
    ]
    people = _people(accounts)
    for n, (category_index, title, body, replies, options) in enumerate(THREADS):
        author = coordinator if options.get("pinned") else people[n % len(people)]
        first = services.start_thread(
            categories[category_index],
            author,
            title,
            body,
            content_note=options.get("note", ""),
            anonymous=options.get("anon", False),
            form_key=_key(),
        )
        thread = first.thread
        posts = [
            services.reply(thread, people[(n + r + 1) % len(people)], text, form_key=_key())
            for r, text in enumerate(replies)
        ]
        _backdate(thread, days_ago=len(THREADS) - n)
        if "report" in options:
            reported = posts[options["report"]]
            reporter = accounts["champion" if reported.author_id == accounts["member"].id else "member"]
            services.report_post(
                reported, reporter, "This names a specific chief officer. Could it identify someone?"
            )
        if options.get("locked"):
            services.lock_thread(coordinator, thread, True)
        if options.get("pinned"):
            services.pin_thread(coordinator, thread, True)
        if n % 4 == 0:  # the demo member has read the start of some threads, so new posts show
            services.mark_read(accounts["member"], thread, first.id)
    counters.recount_categories()  # the threads were backdated after posting: latest posts moved
