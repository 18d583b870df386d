"""What the pages read: categories, thread lists with unread counts, pages of posts, follows, reports."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, bindparam, case, func, literal_column, select
from sqlalchemy.orm import aliased, joinedload

from champions.accounts.models import User
from champions.accounts.queries import account_in_areas
from champions.discussions.models import (
    Category,
    CategoryFollow,
    DiscussionSetting,
    EmailMode,
    Post,
    Report,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from champions.extensions import db

POSTS_PER_PAGE = 20
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


@cache
def threads_with_unread():
    """One statement: a page of a category's threads (pinned first, latest post, newest), each with this
    reader's read marker (None: never opened) and, for those opened, the count of posts since it.
    Parameters: category_id, user_id, limit, offset.

    The page is cut first, in a subquery that walks the listing index, and only then is the marker
    joined (its primary key) and the posts since counted (the thread's posts, by their index): so a
    deep page counts for its own threads only, never for the ones skipped before it. Built once per
    process: building it is dearer in Python than running it.
    """
    order = (Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    listed = (
        select(Thread)
        .where(Thread.category_id == bindparam("category_id"))
        .order_by(*order)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    ).subquery()
    thread = aliased(Thread, listed)
    marker = ThreadRead.last_read_post_id
    new_posts = (
        select(func.count(Post.id))
        .where(Post.thread_id == thread.id, Post.id > marker)
        .correlate(listed, ThreadRead)
        .scalar_subquery()
    )
    return (
        select(thread, marker, case((marker.is_(None), None), else_=new_posts))
        .outerjoin(
            ThreadRead, and_(ThreadRead.user_id == bindparam("user_id"), ThreadRead.thread_id == thread.id)
        )
        .order_by(thread.is_pinned.desc(), thread.last_post_at.desc(), thread.id.desc())
    )


class _ThreadPagination(Pagination):
    """Threads read with this reader's unread state beside each: `unread` maps a thread's id to it."""

    def _query_items(self) -> list[Thread]:
        values = dict(self._query_args, limit=self.per_page, offset=self._query_offset)
        rows = db.session.execute(threads_with_unread(), values).all()
        self.unread = {
            thread.id: Unread(False, thread.post_count) if last_read is None else Unread(True, new_posts)
            for thread, last_read, new_posts in rows
        }
        return [row[0] for row in rows]


def threads_page(category: Category, user: User, page: int):
    """A page of a category's threads, with this person's unread state for each (`page.unread`).

    One statement (threads_with_unread). A thread never opened has every post new, and its post_count
    says how many (posts are never removed). The total is the category's thread counter, not a COUNT.
    """
    result = _ThreadPagination(
        category_id=category.id,
        user_id=user.id,
        page=page,
        per_page=THREADS_PER_PAGE,
        error_out=False,
        count=False,
    )
    result.total = category.thread_count
    return result


@dataclass(frozen=True)
class _Author:
    name: str


@dataclass(frozen=True)
class PostRow:
    """A post as the thread page shows it: plain values read in one statement, no ORM objects.

    It answers the post macro as a Post does; the rules (who may edit or report, the author's label)
    are the Post's own.
    """

    id: int
    thread_id: int
    author_id: int
    body_html: str
    content_note: str
    is_anonymous: bool
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    hidden_at: datetime | None
    version: int
    author: _Author

    html = Post.html
    is_visible = Post.is_visible
    author_label = Post.author_label
    can_edit = Post.can_edit
    can_report = Post.can_report


_POST_COLUMNS = (
    Post.id,
    Post.thread_id,
    Post.author_id,
    Post.body_html,
    Post.content_note,
    Post.is_anonymous,
    Post.created_at,
    Post.edited_at,
    Post.deleted_at,
    Post.hidden_at,
    Post.version,
    User.name,
)


@cache
def _posts_of_thread():
    """A page of a thread's posts as plain rows (parameters thread_id, limit, offset), built once."""
    return (
        select(*_POST_COLUMNS)
        .join(Post.author)
        .where(Post.thread_id == bindparam("thread_id"))
        .order_by(Post.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


class _PostPagination(Pagination):
    def _query_items(self) -> list[PostRow]:
        values = {
            "thread_id": self._query_args["thread_id"],
            "limit": self.per_page,
            "offset": self._query_offset,
        }
        return [
            PostRow(*row[:-1], author=_Author(row[-1]))
            for row in db.session.execute(_posts_of_thread(), values)
        ]


def thread_page(thread: Thread, page: int):
    """One page of posts, oldest first: positions never shift, as nothing is ever removed.

    The thread's post_count is the number of its posts (each new post adds one, none is ever
    removed), so the page needs no COUNT query. The posts are read as plain rows with their author's
    name: only what the page shows.
    """
    result = _PostPagination(
        thread_id=thread.id, page=page, per_page=POSTS_PER_PAGE, error_out=False, count=False
    )
    result.total = thread.post_count
    return result


def page_of_post(thread_id: int, post_id: int) -> int:
    """The page of a thread on which the post with this id appears."""
    position = db.session.scalar(
        select(func.count(Post.id)).where(Post.thread_id == thread_id, Post.id <= post_id)
    )
    return (position - 1) // POSTS_PER_PAGE + 1


@dataclass
class Reader:
    """What the thread page needs to know about the person reading it."""

    following: bool
    last_read_post_id: int | None  # None: they have not opened the thread before
    first_unread_post_id: int | None = None  # the first post after their marker, when asked for


@cache
def _thread_for_reader(first_unread: bool):
    """The statement thread_for_reader runs (parameters thread_id, user_id), built once per process."""
    following = (
        select(ThreadFollow.user_id)
        .where(ThreadFollow.user_id == bindparam("user_id"), ThreadFollow.thread_id == Thread.id)
        .correlate(Thread)
        .exists()
    )
    marker = aliased(ThreadRead)
    columns = [Thread, following, marker.last_read_post_id]
    if first_unread:  # in a CASE: for a thread never opened its posts are not scanned
        first = (
            select(func.min(Post.id))
            .where(Post.thread_id == Thread.id, Post.id > marker.last_read_post_id)
            .correlate(Thread, marker)
            .scalar_subquery()
        )
        columns.append(case((marker.last_read_post_id.is_(None), None), else_=first))
    return (
        select(*columns)
        .outerjoin(marker, and_(marker.thread_id == Thread.id, marker.user_id == bindparam("user_id")))
        .where(Thread.id == bindparam("thread_id"))
        .options(joinedload(Thread.category))
        .execution_options(populate_existing=True)
    )


def thread_for_reader(thread_id: int, user: User, first_unread: bool = False) -> tuple[Thread, Reader] | None:
    """The thread (read afresh) with its category, and whether this person follows it and how far they
    have read it, in one statement: the reader's part as columns beside the thread. With first_unread,
    the id of the first post after their marker too (only for a thread they have opened). None when
    there is no such thread.
    """
    statement = _thread_for_reader(first_unread)
    row = db.session.execute(statement, {"thread_id": thread_id, "user_id": user.id}).first()
    if row is None:
        return None
    return row[0], Reader(bool(row[1]), *row[2:])


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


def list_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def category_by_slug(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug[:80]))


@cache
def _category_for_reader():
    following = (
        select(CategoryFollow.user_id)
        .where(CategoryFollow.user_id == bindparam("user_id"), CategoryFollow.category_id == Category.id)
        .correlate(Category)
        .exists()
    )
    return select(Category, following).where(Category.slug == bindparam("slug"))


def category_for_reader(slug: str, user: User) -> tuple[Category, bool] | None:
    """The category by its slug and whether this person follows it, in one statement; None if no such."""
    row = db.session.execute(_category_for_reader(), {"slug": slug[:80], "user_id": user.id}).first()
    return None if row is None else (row[0], bool(row[1]))


def post_by_form_key(author: User, form_key: str) -> Post | None:
    """Find the post already made from this form, so a second submit does not repeat it."""
    return db.session.scalar(select(Post).where(Post.author_id == author.id, Post.form_key == form_key))


def settings_for(user: User) -> DiscussionSetting:
    """A person's settings, or the defaults (daily digest, follow what you join) if never saved."""
    setting = db.session.get(DiscussionSetting, user.id)
    return setting or DiscussionSetting(user_id=user.id, email_mode=EmailMode.DIGEST.value, auto_follow=True)


def is_following_thread(user: User, thread: Thread) -> bool:
    return db.session.get(ThreadFollow, (user.id, thread.id)) is not None


def is_following_category(user: User, category: Category) -> bool:
    return db.session.get(CategoryFollow, (user.id, category.id)) is not None


def open_reports() -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.resolved_at.is_(None))
            .options(
                joinedload(Report.post).joinedload(Post.thread),
                joinedload(Report.post).joinedload(Post.author),
                joinedload(Report.reporter),
            )
            .order_by(Report.created_at, Report.id)
        )
    )


def open_report_count() -> int:
    return db.session.scalar(select(func.count(Report.id)).where(Report.resolved_at.is_(None)))


def open_report_counts(area_ids: frozenset[int]) -> tuple[int, int]:
    """Count open reports: those about posts whose author works in one of these council areas, and all."""
    # A discussion belongs to the whole network; the author's own council area (or the NHS board
    # around it) is the only place a post has, and coordinators see who wrote it on the reports page.
    local = account_in_areas(area_ids)
    flag = case((local, 1), else_=0) if area_ids else literal_column("0")
    row = db.session.execute(
        select(func.coalesce(func.sum(flag), 0), func.count(Report.id))
        .join(Post, Post.id == Report.post_id)
        .join(User, User.id == Post.author_id)
        .where(Report.resolved_at.is_(None))
    ).one()
    return int(row[0]), int(row[1])
