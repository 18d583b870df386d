"""Categories, starting threads, replying, quoting, editing and deleting posts."""

import re

from sqlalchemy.exc import IntegrityError

from champions import audit, versions
from champions.accounts.models import User
from champions.clock import utcnow
from champions.discussions import queries
from champions.discussions.models import ANONYMOUS_NAME, Category, Post, PostRevision, Thread
from champions.discussions.services import counters, notify
from champions.extensions import db
from champions.markup import render_markdown


class ThreadLocked(Exception):
    """The thread is locked, so it takes no more replies."""


RESERVED_SLUGS = {"t", "p", "new", "settings", "moderation", "categories", "reports", "unsubscribe"}


def _slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70] or "category"
    return f"{slug}-topic" if slug in RESERVED_SLUGS else slug


def render_preview(text: str | None):
    """Show a post as it will look, without saving it."""
    return render_markdown(text or "")


def save_category(
    actor: User,
    category: Category | None,
    name: str,
    description: str,
    position: int,
    seen: int | None = None,
) -> Category:
    """Create a category, or change one; coordinators only (the view checks).

    `seen` is the version an edit form was opened on; a save over a newer version raises versions.Stale.
    """
    creating = category is None
    if not creating:
        versions.claim(category, seen)
    if creating:
        slug, n = _slugify(name), 1
        while existing := queries.category_by_slug(slug):
            if existing.name == name:  # the same new category sent twice: keep the first
                return existing
            n += 1
            slug = f"{_slugify(name)}-{n}"
        category = Category(slug=slug)
        db.session.add(category)
    category.name, category.description, category.position = name, description, position
    try:
        db.session.flush()
    except IntegrityError:  # the same new category sent twice at once: the other request made it
        db.session.rollback()
        existing = queries.category_by_slug(slug)
        if existing is None or existing.name != name:
            raise
        return existing
    audit.record(actor, "discussions.category." + ("create" if creating else "edit"), category, name)
    db.session.commit()
    return category


def _already_saved(author: User, form_key: str) -> Post | None:
    """After a failed insert, undo it and return the post the same form saved first, if that was why."""
    db.session.rollback()
    return queries.post_by_form_key(author, form_key) if form_key else None


def _new_post(
    thread: Thread, author: User, body: str, content_note: str, anonymous: bool, form_key: str
) -> Post:
    post = Post(
        thread=thread,
        author=author,
        body=body,
        body_html=str(render_markdown(body)),
        content_note=content_note,
        is_anonymous=anonymous,
        form_key=form_key,
    )
    db.session.add(post)
    db.session.flush()
    return post


def start_thread(
    category: Category,
    author: User,
    title: str,
    body: str,
    content_note: str = "",
    anonymous: bool = False,
    form_key: str = "",
) -> Post:
    """Open a thread with its first post, following it unless the author turned that off."""
    now = utcnow()
    thread = Thread(category=category, author=author, title=title, post_count=1, last_post_at=now)
    db.session.add(thread)
    try:
        post = _new_post(thread, author, body, content_note, anonymous, form_key)
        counters.thread_started(thread, now)
        notify.after_new_post(post, starting=True)
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the other request saved it
        existing = _already_saved(author, form_key)
        if existing is None:
            raise
        return existing
    return post


def reply(
    thread: Thread,
    author: User,
    body: str,
    content_note: str = "",
    anonymous: bool = False,
    form_key: str = "",
) -> Post:
    """Add a reply and tell the people who follow the thread or are mentioned."""
    if thread.is_locked:
        raise ThreadLocked
    try:
        post = _new_post(thread, author, body, content_note, anonymous, form_key)
        if not counters.reply_added(thread, utcnow()):  # locked since the check above read it open
            db.session.rollback()
            raise ThreadLocked
        notify.after_new_post(post, starting=False)
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the other request saved it
        existing = _already_saved(author, form_key)
        if existing is None:
            raise
        return existing
    return post


def quote_text(post: Post) -> str:
    """The Markdown that quotes a post at the start of a reply."""
    if not post.is_visible:
        return ""
    name = ANONYMOUS_NAME if post.is_anonymous else post.author.name
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return f"> **{name} wrote:**\n>\n{quoted}\n\n"


def edit_post(post: Post, body: str, content_note: str, seen: int | None = None) -> None:
    """Change a post, keeping the earlier version for coordinators.

    `seen` is the version the edit form was opened on; a save over a newer version raises versions.Stale.
    """
    if body == post.body and content_note == post.content_note:
        return  # nothing to change, as when one save is sent twice
    versions.claim(post, seen)
    db.session.add(PostRevision(post=post, body=post.body, content_note=post.content_note))
    post.body, post.body_html, post.content_note = body, str(render_markdown(body)), content_note
    post.edited_at = utcnow()
    db.session.commit()


def delete_post(post: Post) -> None:
    """Delete a post at its author's wish: the words and earlier versions go; the place stays."""
    post.deleted_at = utcnow()
    post.body = post.body_html = post.content_note = ""
    post.revisions.clear()
    db.session.commit()
