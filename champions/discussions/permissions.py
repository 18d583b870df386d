"""Load-or-404 helpers for the discussion pages."""

from flask import abort
from sqlalchemy.orm import joinedload

from champions.accounts.models import User
from champions.discussions import queries
from champions.discussions.models import Category, Post, Thread
from champions.extensions import db


def category_or_404(slug: str) -> Category:
    return queries.category_by_slug(slug) or abort(404)


def category_and_following_or_404(slug: str, user: User) -> tuple[Category, bool]:
    """The category, and whether this person follows it, read together."""
    return queries.category_for_reader(slug, user) or abort(404)


def thread_or_404(thread_id: int) -> Thread:
    return db.get_or_404(Thread, thread_id, options=[joinedload(Thread.category)], populate_existing=True)


def thread_and_reader_or_404(
    thread_id: int, user: User, first_unread: bool = False
) -> tuple[Thread, queries.Reader]:
    """The thread with its category, and this person's follow and read marker, read together."""
    return queries.thread_for_reader(thread_id, user, first_unread) or abort(404)


def post_or_404(post_id: int) -> Post:
    return db.get_or_404(Post, post_id, options=[joinedload(Post.thread), joinedload(Post.author)])
