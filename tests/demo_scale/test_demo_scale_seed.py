"""The synthetic network: counts, the denormalised values the app relies on, and the benchmark's items."""

import re

from sqlalchemy import func, select

from champions import demo, demo_scale
from champions.accounts.models import Role, User
from champions.casestudies.models import CaseStudy, Status
from champions.casestudies.queries import search_case_studies
from champions.clock import utcnow
from champions.directory.models import ChampionProfile, champion_profile_areas
from champions.directory.models import Status as ProfileStatus
from champions.discussions.models import Category, Post, Thread
from champions.events.models import Event, EventStatus, Registration, RegistrationStatus
from champions.extensions import db
from tests.demo_scale.conftest import TINY

SYNTHETIC = User.email.like("member%@example.org") & (User.email != "member@example.org")


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_tiny_seed_makes_the_planned_numbers_on_top_of_the_small_demo(seeded):
    counts, _ = seeded
    synthetic = SYNTHETIC
    assert _count(User, synthetic) == counts.users
    assert _count(User, User.email == "admin@example.org") == 1
    assert _count(User, User.is_demo.is_(False)) == 0
    assert _count(User, ~User.email.like("%@example.org") & ~User.email.like("%@example.com")) == 0
    profiles = select(ChampionProfile.id).join(User, User.id == ChampionProfile.user_id).where(synthetic)
    assert len(db.session.scalars(profiles).all()) == counts.champions
    assert _count(Post, Post.form_key.like("scale-%")) == counts.posts
    assert _count(Registration) >= counts.registrations


def test_thread_counters_match_the_posts(seeded):
    real = (
        select(Post.thread_id, func.count(Post.id).label("n"), func.max(Post.created_at).label("last"))
        .group_by(Post.thread_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Thread.post_count, real.c.n, Thread.last_post_at, real.c.last).join(
            real, real.c.thread_id == Thread.id
        )
    ).all()
    assert len(rows) == _count(Thread)
    assert all(count == n and last_post == last for count, n, last_post, last in rows)
    assert _count(Post, Post.created_at > utcnow()) == 0


def test_category_counters_match_their_threads(seeded):
    real = (
        select(
            Thread.category_id,
            func.count(Thread.id).label("threads"),
            func.sum(Thread.post_count).label("posts"),
            func.max(Thread.last_post_at).label("last"),
        )
        .group_by(Thread.category_id)
        .subquery()
    )
    rows = db.session.execute(select(Category, real).outerjoin(real, real.c.category_id == Category.id)).all()
    assert rows and sum(category.thread_count for category, *_ in rows) == _count(Thread)
    for category, _id, threads, posts, last in rows:
        assert (category.thread_count, category.post_count, category.last_post_at) == (
            threads or 0,
            posts or 0,
            last,
        ), category.name


def test_the_benchmark_thread_has_exactly_100_posts(seeded):
    _, targets = seeded
    thread = db.session.get(Thread, targets["thread_id"])
    assert thread.post_count == 100 == _count(Post, Post.thread_id == thread.id)
    lowest = db.session.scalar(select(func.min(Thread.id)).where(Thread.post_count == 100))
    assert lowest == thread.id and not thread.is_locked


def test_registrations_are_unique_and_within_capacity(seeded):
    duplicates = (
        select(Registration.event_id)
        .group_by(Registration.event_id, Registration.user_id)
        .having(func.count() > 1)
    )
    assert db.session.scalars(duplicates).all() == []
    confirmed = (
        select(Registration.event_id, func.count().label("n"))
        .where(Registration.status == RegistrationStatus.CONFIRMED.value)
        .group_by(Registration.event_id)
        .subquery()
    )
    over = (
        select(Event.id)
        .join(confirmed, confirmed.c.event_id == Event.id)
        .where(Event.capacity.is_not(None), confirmed.c.n > Event.capacity)
    )
    assert db.session.scalars(over).all() == []


def test_the_benchmark_event_is_upcoming_with_500_confirmed(seeded):
    _, targets = seeded
    event = db.session.get(Event, targets["event_id"])
    assert event.status == EventStatus.PUBLISHED and event.starts_at > utcnow()
    assert (
        _count(
            Registration,
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED.value,
        )
        == 500
    )
    assert _count(Registration, Registration.event_id == event.id) == 500


def test_champion_profiles_agree_with_roles_and_decisions(seeded):
    profiles = db.session.scalars(select(ChampionProfile)).all()
    for profile in profiles:
        if profile.status == ProfileStatus.VERIFIED:
            assert profile.user.has_role(Role.CHAMPION) and profile.decided_at is not None
        elif profile.status == ProfileStatus.PENDING:
            assert profile.decided_at is None and profile.decided_by_id is None
        assert profile.council_areas, profile.id
    areas = champion_profile_areas.c
    listed = (
        select(func.count())
        .select_from(ChampionProfile)
        .join(champion_profile_areas, areas.champion_profile_id == ChampionProfile.id)
        .where(
            ChampionProfile.status == ProfileStatus.VERIFIED.value,
            ChampionProfile.listing_consent_at.is_not(None),
        )
        .group_by(areas.council_area_id)
    )
    assert max(db.session.scalars(listed)) >= 3


def test_case_study_dates_follow_their_state_and_are_searchable(seeded):
    published = db.session.scalars(
        select(CaseStudy).join(CaseStudy.author).where(CaseStudy.status == Status.PUBLISHED.value, SYNTHETIC)
    ).all()
    assert published and all(c.published_at and c.submitted_at and c.review_by for c in published)
    assert all(c.transitions[-1].to_status == "published" for c in published)
    drafts = db.session.scalars(
        select(CaseStudy).join(CaseStudy.author).where(CaseStudy.status == Status.DRAFT.value, SYNTHETIC)
    ).all()
    assert all(c.published_at is None and c.submitted_at is None for c in drafts)
    word = max(re.findall(r"\w+", published[0].title), key=len)
    found = db.session.execute(search_case_studies(word)).all()
    assert published[0].id in {row.id for row in found}


def test_ids_keep_working_after_the_bulk_insert(seeded, make_user):
    user = make_user(email="after.seed@example.org")  # PostgreSQL: the id sequences were moved on
    assert user.id > db.session.scalar(select(func.max(User.id)).where(User.id != user.id))


def test_a_second_run_changes_nothing(seeded):
    before = _count(Post)
    assert demo_scale.seed_scaled(TINY) is False
    assert demo.seed_demo() is False
    assert _count(Post) == before


def test_the_text_pools_are_the_same_every_time():
    first, second = demo_scale.TextPools(demo_scale.SEED), demo_scale.TextPools(demo_scale.SEED)
    assert first.thread_titles == second.thread_titles
    assert [b.text for b in first.replies] == [b.text for b in second.replies]


def test_the_site_wide_search_index_covers_the_synthetic_network(seeded):
    from champions.search.models import SearchDocument

    indexed_posts = _count(SearchDocument, SearchDocument.kind == "post")
    visible_posts = _count(Post, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    assert indexed_posts == visible_posts
    assert _count(SearchDocument, SearchDocument.kind == "thread") == _count(Thread)
