"""The counters kept on categories (and threads): right after every change, and what the pages read."""

import importlib.util
import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Update, event, func, insert, select, text, update

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.discussions import queries, services
from champions.discussions.demo import _one_transaction
from champions.discussions.models import Category, Post, Thread
from champions.discussions.services.counters import recount_categories
from champions.extensions import db
from tests.discussions.bulk import bulk_threads

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0009_discussion_counters.py"


def _real(category_id: int) -> tuple:
    """What the old page worked out on every request: threads, the sum of their posts, the latest post."""
    all_posts = func.coalesce(func.sum(Thread.post_count), 0)
    return db.session.execute(
        select(func.count(Thread.id), all_posts, func.max(Thread.last_post_at)).where(
            Thread.category_id == category_id
        )
    ).one()


def _kept(category_id: int) -> tuple:
    db.session.expire_all()
    category = db.session.get(Category, category_id)
    return category.thread_count, category.post_count, category.last_post_at


def _assert_counters_right(*categories: Category) -> None:
    for category_id in [c.id for c in categories]:
        assert _kept(category_id) == tuple(_real(category_id)), category_id


def test_a_new_category_starts_at_nothing(make_category):
    category = make_category()
    assert _kept(category.id) == (0, 0, None)


def test_a_new_thread_adds_a_thread_and_a_post(make_category, make_thread):
    category = make_category()
    thread = make_thread(category=category)
    assert _kept(category.id) == (1, 1, thread.last_post_at)
    make_thread(category=category)
    assert _kept(category.id)[:2] == (2, 2)
    _assert_counters_right(category)


def test_a_reply_adds_a_post_and_moves_the_latest_post_on(make_category, make_thread, form_key):
    category = make_category()
    thread = make_thread(category=category, replies=2)
    before = _kept(category.id)
    post = services.reply(thread, thread.author, "One more", form_key=form_key())
    thread_count, post_count, last_post_at = _kept(category.id)
    assert (thread_count, post_count) == (1, 4) and before[1] == 3
    assert last_post_at >= before[2] and last_post_at >= post.created_at - timedelta(seconds=1)
    assert db.session.get(Thread, thread.id).post_count == 4
    _assert_counters_right(category)


def test_hiding_and_deleting_posts_keep_the_counts_as_the_old_page_had_them(
    make_category, make_thread, make_user, form_key
):
    category = make_category()
    thread = make_thread(category=category, replies=2)
    posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
    services.hide_post(make_user(role=Role.COORDINATOR), posts[1])
    services.delete_post(posts[2])
    assert _kept(category.id)[:2] == (1, 3)  # a place kept for every post, as the thread page does
    _assert_counters_right(category)


def test_moving_a_thread_moves_its_counts_and_the_latest_post(make_category, make_thread, make_user):
    coordinator = make_user(role=Role.COORDINATOR)
    old, new = make_category(), make_category()
    staying = make_thread(category=old, replies=1)
    moving = make_thread(category=old, replies=3)
    make_thread(category=new)
    long_ago = utcnow() - timedelta(days=9)
    db.session.execute(update(Thread).where(Thread.id == staying.id).values(last_post_at=long_ago))
    recount_categories()
    db.session.commit()
    services.move_thread(coordinator, db.session.get(Thread, moving.id), db.session.get(Category, new.id))
    assert _kept(old.id)[:2] == (1, 2) and _kept(new.id)[:2] == (2, 5)
    assert _kept(old.id)[2] == db.session.get(Thread, staying.id).last_post_at  # worked out again
    _assert_counters_right(old, new)
    services.move_thread(coordinator, db.session.get(Thread, staying.id), db.session.get(Category, new.id))
    assert _kept(old.id) == (0, 0, None)
    _assert_counters_right(old, new)


def test_the_thread_object_has_the_fresh_count_straight_after_a_reply(make_thread, form_key):
    """Inside one transaction nothing is expired, so the counts must be set from what the UPDATE returned."""
    thread = make_thread()
    category = thread.category
    assert thread.post_count == 1 and category.post_count == 1  # loaded now, so only a refresh changes them
    with _one_transaction():  # the demo seed's trick: commits become flushes
        services.reply(thread, thread.author, "Two", form_key=form_key())
        services.reply(thread, thread.author, "Three", form_key=form_key())
        assert thread.post_count == 3 and category.post_count == 3
        assert thread.last_post_at == category.last_post_at
        page = queries.thread_page(thread, 1)
        assert page.total == 3 and len(page.items) == 3
    _assert_counters_right(category)


@pytest.mark.parametrize("way", ["to a later category", "to an earlier category"])
def test_a_move_changes_the_two_categories_in_the_order_of_their_ids(
    way, make_category, make_thread, make_user
):
    """Two threads moved the opposite ways at once (A to B, B to A) must not each hold one category and
    wait for the other's: PostgreSQL would end one as a deadlock (an error page). In id order, one waits."""
    coordinator = make_user(role=Role.COORDINATOR)
    first, second = make_category(), make_category()
    old, new = (first, second) if way == "to a later category" else (second, first)
    thread = make_thread(category=old, replies=1)
    changed: list[int] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        compiled = context.compiled.statement if context.compiled is not None else None
        if isinstance(compiled, Update) and compiled.table.name == Category.__tablename__:
            name = context.compiled.bind_names[compiled.whereclause.right]
            changed.append(context.compiled_parameters[0][name])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        services.move_thread(coordinator, thread, new)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert changed == [first.id, second.id] * 2  # the counts, then the latest posts
    _assert_counters_right(old, new)


def test_replies_at_the_same_moment_are_all_counted(app: Flask, make_thread, make_user):
    thread = make_thread()
    thread_id, category_id = thread.id, thread.category_id
    author_ids = [make_user(role=Role.CHAMPION).id for _ in range(6)]
    db.session.remove()
    barrier = threading.Barrier(len(author_ids))
    errors = []

    def attempt(n: int, author_id: int) -> None:
        with app.app_context():
            try:
                from champions.accounts.models import User

                the_thread, author = db.session.get(Thread, thread_id), db.session.get(User, author_id)
                assert the_thread.post_count >= 1  # read before the others write: the old lost-update trap
                barrier.wait(timeout=30)
                services.reply(the_thread, author, f"At once {n}", form_key=f"at-once-{n}")
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=attempt, args=(n, uid)) for n, uid in enumerate(author_ids)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    real_posts = db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread_id))
    assert real_posts == 7 == db.session.get(Thread, thread_id).post_count
    assert _kept(category_id)[:2] == (1, 7)


def _load_migration():
    spec = importlib.util.spec_from_file_location("migration_0009", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("fill", ["migration", "app"])
def test_the_fill_sets_counters_from_existing_threads(fill, make_category, make_thread):
    busy, quiet, empty = make_category(), make_category(), make_category()
    make_thread(category=busy, replies=4)
    make_thread(category=busy, replies=1)
    make_thread(category=quiet)
    db.session.execute(update(Category).values(thread_count=99, post_count=99, last_post_at=utcnow()))
    db.session.commit()
    if fill == "migration":
        _load_migration().fill_counters(db.session.connection())
    else:
        recount_categories()
    db.session.commit()
    assert _kept(busy.id)[:2] == (2, 7) and _kept(quiet.id)[:2] == (1, 1)
    assert _kept(empty.id) == (0, 0, None)
    _assert_counters_right(busy, quiet, empty)


def test_the_migration_chain_ends_with_the_counters():
    migration = _load_migration()
    assert (migration.revision, migration.down_revision) == ("0009_discussion_counters", "0008_scale_indexes")


def _over_threads(statements: list[str]) -> list[str]:
    """Statements that count or add up threads (a paging COUNT(*) or a sum of their counters); the
    category page's count of the posts since a reader's marker, per thread on the page, is not one."""
    return [
        s
        for s in statements
        if "discussion_threads" in s and re.search(r"\b(count|sum)\((\*|discussion_threads\.)", s, re.I)
    ]


def _queries_for(client, count_queries, url: str) -> list[str]:
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return list(statements)


def test_the_discussions_index_costs_the_same_with_3_or_300_threads(
    client, as_role, make_category, make_thread, make_user, count_queries
):
    categories = [make_category() for _ in range(3)]
    for category in categories:
        make_thread(category=category)
    as_role(Role.MEMBER)
    small = _queries_for(client, count_queries, "/discussions")
    bulk_threads(categories[0], make_user().id, 297)
    large = _queries_for(client, count_queries, "/discussions")
    assert len(small) == len(large) <= 4, large
    assert _over_threads(large) == [] and not [s for s in large if "discussion_threads" in s]
    assert _over_threads(small) == []


def test_a_category_page_costs_the_same_with_3_or_300_threads(
    client, as_role, make_category, make_thread, make_user, count_queries
):
    category = make_category()
    for _ in range(3):
        make_thread(category=category)
    as_role(Role.MEMBER)
    small = _queries_for(client, count_queries, f"/discussions/{category.slug}")
    bulk_threads(category, make_user().id, 297)
    large = _queries_for(client, count_queries, f"/discussions/{category.slug}?page=7")
    assert len(small) == len(large) == 3, large
    assert _over_threads(small) == _over_threads(large) == []


def test_the_index_shows_the_counts_as_before(client, as_role, make_category, make_thread, make_user):
    busy, one = make_category("Busy"), make_category("Just one")
    make_category("Nothing yet")
    make_thread(category=busy, replies=2)
    make_thread(category=busy)
    make_thread(category=one)
    as_role(Role.MEMBER)
    page = client.get("/discussions").get_data(as_text=True)
    assert "2 threads, 4 posts. Latest post" in page
    assert "1 thread, 1 post. Latest post" in page
    assert "0 threads, 0 posts</p>" in page
    assert page.index("Busy") < page.index("Just one") < page.index("Nothing yet")


def test_a_category_page_pages_by_its_thread_counter(client, as_role, make_category, make_user):
    category = make_category()
    bulk_threads(category, make_user().id, 30)
    as_role(Role.MEMBER)
    first = client.get(f"/discussions/{category.slug}").get_data(as_text=True)
    assert 'aria-label="Page 2"' in first and "Next" in first
    second = client.get(f"/discussions/{category.slug}?page=2").get_data(as_text=True)
    assert second.count('class="app-thread"') == 5 and 'aria-label="Page 2, current page"' in second
    assert "Next<span" not in second
    beyond = client.get(f"/discussions/{category.slug}?page=9")
    assert beyond.status_code == 200 and "There is nothing on this page" in beyond.get_data(as_text=True)


def test_unread_counts_keep_their_meaning(client, as_role, make_thread, form_key):
    opened = make_thread(replies=2)
    untouched = make_thread(category=opened.category, replies=4)
    reader = as_role(Role.MEMBER)
    first_post = db.session.scalar(select(func.min(Post.id)).where(Post.thread_id == opened.id))
    services.mark_read(reader, opened, first_post)
    services.reply(opened, opened.author, "Later", form_key=form_key())
    unread = queries.threads_page(opened.category, reader, 1).unread
    assert (unread[opened.id].opened, unread[opened.id].new_posts) == (True, 3)
    assert (unread[untouched.id].opened, unread[untouched.id].new_posts) == (False, 5)
    listing = client.get(f"/discussions/{opened.category.slug}").get_data(as_text=True)
    assert "3 new posts" in listing and "Not read yet" in listing


def test_the_migration_fills_the_counters_of_an_existing_database(tmp_path, password_hash):
    """Upgrade a separate SQLite file from 0008 with threads in it, as a live site would be upgraded."""
    from flask_migrate import upgrade

    from champions import create_app
    from champions.reference.models import CouncilArea
    from tests.conftest import _test_config

    other = create_app(_test_config(f"sqlite:///{tmp_path / 'before.sqlite3'}"))
    with other.app_context():
        upgrade(revision="0008_scale_indexes")
        fife = db.session.scalar(select(CouncilArea).where(CouncilArea.name == "Fife"))
        # The columns users had at 0008: the model may have gained more since.
        db.session.execute(
            text(
                "INSERT INTO users (email, name, password_hash, council_area_id, role, active, "
                "session_version, password_changed_at, created_at, is_demo) "
                "VALUES ('old@example.org', 'Old', :hash, :area, 10, :yes, 1, :now, :now, :no)"
            ),
            {"hash": password_hash, "area": fife.id, "now": utcnow(), "yes": True, "no": False},
        )
        author_id = db.session.scalar(text("SELECT id FROM users WHERE email = 'old@example.org'"))
        for n, slug in enumerate(["busy", "empty"]):  # the columns a category had before 0009
            db.session.execute(
                text(
                    "INSERT INTO discussion_categories (id, slug, name, description, position, created_at) "
                    "VALUES (:id, :slug, :slug, '', :id, :now)"
                ),
                {"id": n + 1, "slug": slug, "now": utcnow()},
            )
        moments = [utcnow() - timedelta(days=3), utcnow() - timedelta(days=1)]
        db.session.execute(
            insert(Thread),
            [
                {
                    "category_id": 1,
                    "author_id": author_id,
                    "title": f"Old {n}",
                    "post_count": n + 2,
                    "created_at": moment,
                    "last_post_at": moment,
                }
                for n, moment in enumerate(moments)
            ],
        )
        db.session.commit()
        upgrade()
        counters = _load_migration().categories  # id and the three counters
        rows = db.session.execute(select(counters).order_by(counters.c.id)).all()
        assert [tuple(row)[1:] for row in rows] == [(2, 5, moments[1]), (0, 0, None)]
        db.session.remove()
        db.engine.dispose()


def test_the_small_demo_seed_leaves_the_counters_right(app):
    """It backdates its threads after posting them, so it recounts the categories at the end."""
    from champions import demo

    assert demo.seed_demo() is True
    categories = db.session.scalars(select(Category)).all()
    assert len(categories) >= 6 and sum(c.thread_count for c in categories) > 30
    _assert_counters_right(*categories)
