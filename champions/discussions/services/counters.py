"""The counters kept on threads and categories, changed in SQL so two workers at once never lose one.

A category counts all its threads and all their posts (hidden and deleted ones too: posts are never
removed, and a thread's post_count counts them all), and remembers its latest post. Each change is an
UPDATE that adds to what the database holds (`post_count + 1`), never a value worked out in Python.
"""

from datetime import datetime

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import attributes

from champions.discussions.models import Category, Thread
from champions.extensions import db

CATEGORY_COUNTERS = (Category.id, Category.thread_count, Category.post_count, Category.last_post_at)


def _later_of(column, moment: datetime):
    return case((or_(column.is_(None), column < moment), moment), else_=column)


def _remember(model, row) -> None:
    """Give an object this session already holds the values the database now has, without a query."""
    held = db.session.identity_map.get(db.session.identity_key(model, row.id))
    if held is not None:
        for name, value in row._mapping.items():
            if name != "id":
                attributes.set_committed_value(held, name, value)


def _change_categories(statement) -> None:
    for row in db.session.execute(
        statement.returning(*CATEGORY_COUNTERS), execution_options={"synchronize_session": False}
    ):
        _remember(Category, row)


def thread_started(thread: Thread, moment: datetime) -> None:
    """A new thread with its first post (the thread row is already flushed, with post_count 1)."""
    _change_categories(
        update(Category)
        .where(Category.id == thread.category_id)
        .values(
            thread_count=Category.thread_count + 1,
            post_count=Category.post_count + 1,
            last_post_at=_later_of(Category.last_post_at, moment),
        )
    )


def reply_added(thread: Thread, moment: datetime) -> bool:
    """One more post in a thread and in its category; the thread object gets the fresh count.

    Only while the thread is open: False (nothing counted) when it was locked after the reply's check read
    it open, so a reply never lands in a thread locked a moment before it.
    """
    row = db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id, Thread.is_locked.is_(False))
        .values(post_count=Thread.post_count + 1, last_post_at=moment)
        .returning(Thread.id, Thread.post_count, Thread.last_post_at, Thread.category_id),
        execution_options={"synchronize_session": False},
    ).one_or_none()
    if row is None:
        return False
    _remember(Thread, row)
    # The thread row is locked until commit, so a move cannot slip between these two updates.
    _change_categories(
        update(Category)
        .where(Category.id == row.category_id)
        .values(post_count=Category.post_count + 1, last_post_at=_later_of(Category.last_post_at, moment))
    )
    return True


def thread_moved(thread: Thread, old_category_id: int) -> None:
    """Take a thread (already flushed into its new category) off the old category's counts, onto the new.

    Moves are rare, so each category's latest post is worked out again from its threads. The two
    categories are changed in the order of their ids, whichever way the thread goes: two threads moved the
    opposite ways at once (A to B and B to A) would otherwise each hold one category and wait for the
    other's, and PostgreSQL would end one of them as a deadlock.
    """
    posts = select(Thread.post_count).where(Thread.id == thread.id).scalar_subquery()
    counts = {
        old_category_id: dict(thread_count=Category.thread_count - 1, post_count=Category.post_count - posts),
        thread.category_id: dict(
            thread_count=Category.thread_count + 1, post_count=Category.post_count + posts
        ),
    }
    for category_id in sorted(counts):
        _change_categories(update(Category).where(Category.id == category_id).values(**counts[category_id]))
    for category_id in sorted(counts):
        latest = select(func.max(Thread.last_post_at)).where(Thread.category_id == category_id)
        _change_categories(
            update(Category).where(Category.id == category_id).values(last_post_at=latest.scalar_subquery())
        )


def recount_categories(connection=None) -> None:
    """Set every category's counters from its threads: for seeding, which goes round the services.

    Pass a Core connection (bulk seeding), or nothing to use the session (its categories are refreshed).
    """
    target = connection if connection is not None else db.session
    table, threads = Category.__table__, Thread.__table__

    def per_category(value):
        return select(value).where(threads.c.category_id == table.c.id).scalar_subquery()

    all_posts = func.coalesce(func.sum(threads.c.post_count), 0)
    target.execute(table.update().values(thread_count=per_category(func.count(threads.c.id))))
    target.execute(table.update().values(post_count=per_category(all_posts)))
    target.execute(table.update().values(last_post_at=per_category(func.max(threads.c.last_post_at))))
    if connection is None:
        for held in list(db.session.identity_map.values()):
            if isinstance(held, Category):
                db.session.expire(held, ["thread_count", "post_count", "last_post_at"])
