"""What the pages show: category overview, thread lists with unread counts, pages of posts."""

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from champions.accounts.models import User
from champions.discussions.models import Category, Post, Thread, ThreadFollow, ThreadRead
from champions.discussions.services.posting import POSTS_PER_PAGE
from champions.extensions import db

THREADS_PER_PAGE = 25


@dataclass
class CategorySummary:
    category: Category
    thread_count: int = 0
    post_count: int = 0
    last_post_at: object = None


@dataclass
class Unread:
    opened: bool
    new_posts: int


def category_overview() -> list[CategorySummary]:
    """Every category with its counts, from the counters kept on it: one query, however many posts."""
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return [CategorySummary(c, c.thread_count, c.post_count, c.last_post_at) for c in categories]


def threads_page(category: Category, page: int):
    """A page of a category's threads; the total is the category's thread counter, not a COUNT."""
    statement = (
        select(Thread)
        .where(Thread.category_id == category.id)
        .order_by(Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    )
    result = db.paginate(statement, page=page, per_page=THREADS_PER_PAGE, error_out=False, count=False)
    result.total = category.thread_count
    return result


def unread_for(user: User, threads: list[Thread]) -> dict[int, Unread]:
    """For each thread: has this person opened it, and how many posts came since they last read it.

    One query over the threads this person has opened; for the others every post is new, and the
    thread's post_count says how many (posts are never removed).
    """
    ids = [t.id for t in threads]
    if not ids:
        return {}
    rows = db.session.execute(
        select(ThreadRead.thread_id, func.count(Post.id))
        .select_from(ThreadRead)
        .outerjoin(Post, and_(Post.thread_id == ThreadRead.thread_id, Post.id > ThreadRead.last_read_post_id))
        .where(ThreadRead.user_id == user.id, ThreadRead.thread_id.in_(ids))
        .group_by(ThreadRead.thread_id)
    ).all()
    opened = dict(rows)
    return {
        t.id: Unread(True, opened[t.id]) if t.id in opened else Unread(False, t.post_count) for t in threads
    }


def thread_page(thread: Thread, page: int):
    """One page of posts, oldest first: positions never shift, as nothing is ever removed.

    The thread's post_count is the number of its posts (each new post adds one, none is ever
    removed), so the page needs no COUNT query.
    """
    statement = (
        select(Post).where(Post.thread_id == thread.id).options(joinedload(Post.author)).order_by(Post.id)
    )
    result = db.paginate(statement, page=page, per_page=POSTS_PER_PAGE, error_out=False, count=False)
    result.total = thread.post_count
    return result


def post_page(post: Post) -> int:
    """The page of its thread on which a post appears."""
    position = db.session.scalar(
        select(func.count(Post.id)).where(Post.thread_id == post.thread_id, Post.id <= post.id)
    )
    return (position - 1) // POSTS_PER_PAGE + 1


@dataclass
class Reader:
    """What the thread page needs to know about the person reading it."""

    following: bool
    last_read_post_id: int | None  # None: they have not opened the thread before


def reader_of(user: User, thread: Thread) -> Reader:
    """Whether this person follows the thread and how far they have read it, in one query."""
    following = select(ThreadFollow.user_id).where(
        ThreadFollow.user_id == user.id, ThreadFollow.thread_id == thread.id).exists()
    last_read = select(ThreadRead.last_read_post_id).where(
        ThreadRead.user_id == user.id, ThreadRead.thread_id == thread.id).scalar_subquery()
    row = db.session.execute(select(following, last_read)).one()
    return Reader(bool(row[0]), row[1])


def first_unread_post(thread: Thread, last_read_post_id: int | None) -> Post | None:
    """The first post this person has not seen, if they have opened the thread before."""
    if last_read_post_id is None:
        return None
    return db.session.scalar(
        select(Post)
        .where(Post.thread_id == thread.id, Post.id > last_read_post_id)
        .order_by(Post.id)
        .limit(1)
    )


def mark_read(user: User, thread: Thread, last_post_id: int, read_before: int | None = None) -> None:
    """Remember how far this person has read (never moving backwards).

    read_before is how far they had read when the page was loaded, if known: when the page
    shows nothing newer, there is nothing to write.
    """
    if read_before is not None and read_before >= last_post_id:
        return
    marker = db.session.get(ThreadRead, (user.id, thread.id))
    if marker is None:
        db.session.add(ThreadRead(user_id=user.id, thread_id=thread.id, last_read_post_id=last_post_id))
    elif marker.last_read_post_id >= last_post_id:
        return
    else:
        marker.last_read_post_id = last_post_id
    try:
        db.session.commit()
    except IntegrityError:  # the same person read it in another tab at the same moment
        db.session.rollback()


def recent_posts_by(user_id: int, limit: int = 5) -> list[Post]:
    """A person's latest posts for their profile: never anonymous, hidden or deleted ones."""
    return list(
        db.session.scalars(
            select(Post)
            .join(Post.thread)
            .where(
                Post.author_id == user_id,
                Post.is_anonymous.is_(False),
                Post.deleted_at.is_(None),
                Post.hidden_at.is_(None),
            )
            .options(joinedload(Post.thread))
            .order_by(Post.id.desc())
            .limit(limit)
        )
    )
