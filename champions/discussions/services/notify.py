"""Following, read markers, @mentions, mail settings, reply notifications, daily digests, unsubscribing."""

import re
from collections import defaultdict
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from champions import clock, mail, reply_address
from champions.accounts import services as accounts_services
from champions.accounts.models import User
from champions.clock import utcnow
from champions.discussions import queries
from champions.discussions.models import (
    CategoryFollow,
    DigestRun,
    DiscussionSetting,
    EmailMode,
    Notification,
    Post,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from champions.extensions import db
from champions.links import external_url
from champions.own_rows import save_own_row

MAX_MENTIONS = 10
# @Firstname-Lastname: a person's name with spaces as hyphens, in any letter case.
MENTION = re.compile(r"(?<![\w@])@([^\W\d_][\w'’]*(?:-[\w'’]+)*)")


def handle_for(user: User) -> str:
    """The @handle that mentions this person: their name, spaces as hyphens."""
    return "-".join(user.name.split())


def mentioned_users(text: str) -> list[User]:
    handles = {m.lower() for m in MENTION.findall(text)}
    if not handles:
        return []
    handle = func.lower(func.replace(User.name, " ", "-"))
    return list(
        db.session.scalars(
            select(User).where(handle.in_(sorted(handles)[:MAX_MENTIONS]), User.active.is_(True))
        )
    )


def _write_settings(user_id: int, **values) -> None:
    """Change the person's settings row, making it if need be; the same change sent twice makes one row."""
    save_own_row(DiscussionSetting, user_id, values)


def save_settings(user: User, email_mode: EmailMode, auto_follow: bool) -> None:
    _write_settings(user.id, email_mode=EmailMode(email_mode).value, auto_follow=auto_follow)


def _follow_thread(user: User, thread: Thread) -> None:
    if thread.id is None or not queries.is_following_thread(user, thread):
        db.session.add(ThreadFollow(user_id=user.id, thread_id=thread.id))


def _commit_follow() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # the same follow sent twice at once: the other request saved it
        db.session.rollback()


def follow_thread(user: User, thread: Thread) -> None:
    _follow_thread(user, thread)
    _commit_follow()


def unfollow_thread(user: User, thread: Thread) -> None:
    db.session.execute(
        delete(ThreadFollow).where(ThreadFollow.user_id == user.id, ThreadFollow.thread_id == thread.id)
    )
    db.session.commit()


def follow_category(user: User, category) -> None:
    if not queries.is_following_category(user, category):
        db.session.add(CategoryFollow(user_id=user.id, category_id=category.id))
    _commit_follow()


def unfollow_category(user: User, category) -> None:
    db.session.execute(
        delete(CategoryFollow).where(
            CategoryFollow.user_id == user.id, CategoryFollow.category_id == category.id
        )
    )
    db.session.commit()


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


def _recipients(post: Post, starting: bool) -> dict[int, str]:
    """Who should hear about a new post, and why; mentions win over following."""
    reasons: dict[int, str] = {}
    if starting:
        ids = select(CategoryFollow.user_id).where(CategoryFollow.category_id == post.thread.category_id)
    else:
        ids = select(ThreadFollow.user_id).where(ThreadFollow.thread_id == post.thread_id)
    for user_id in db.session.scalars(ids):
        reasons[user_id] = "category" if starting else "reply"
    for user in mentioned_users(post.body):
        reasons[user.id] = "mention"
    reasons.pop(post.author_id, None)
    return reasons


def after_new_post(post: Post, starting: bool) -> None:
    """Follow the thread for its author and note or email each person who should hear (no commit)."""
    if queries.settings_for(post.author).auto_follow:
        _follow_thread(post.author, post.thread)
    reasons = _recipients(post, starting)
    if not reasons:
        return
    users = db.session.scalars(select(User).where(User.id.in_(reasons), User.active.is_(True)))
    saved = {
        s.user_id: s
        for s in db.session.scalars(select(DiscussionSetting).where(DiscussionSetting.user_id.in_(reasons)))
    }
    for user in users:
        mode = saved[user.id].email_mode if user.id in saved else EmailMode.DIGEST.value
        if mode == EmailMode.OFF or user.email_verified_at is None:
            continue
        note = Notification(user_id=user.id, post=post, reason=reasons[user.id])
        db.session.add(note)
        if mode == EmailMode.EACH:
            _queue_post_email(user, post, note.reason)
            note.emailed_at = utcnow()


UNSUBSCRIBE_SALT = "discussions.unsubscribe"


def unsubscribe_url(user: User) -> str:
    return external_url(
        "discussions.unsubscribe", token=accounts_services.unsubscribe_token(user, UNSUBSCRIBE_SALT)
    )


def user_for_unsubscribe_token(token: str) -> User:
    return accounts_services.person_for_unsubscribe_token(token, UNSUBSCRIBE_SALT)


def unsubscribe(user: User) -> None:
    """Stop all discussion mail for this person (from a link in an email: no sign-in)."""
    _write_settings(user.id, email_mode=EmailMode.OFF.value)


def _headers(user: User) -> tuple[dict, str]:
    link = unsubscribe_url(user)
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}, link


def post_url(post: Post) -> str:
    return external_url("discussions.post", post_id=post.id)


def _queue_post_email(user: User, post: Post, reason: str) -> None:
    headers, link = _headers(user)
    headers |= reply_address.headers(user.id, "thread", post.thread_id)  # answering posts in the thread
    subject = ("You were mentioned in: " if reason == "mention" else "New post in: ") + post.thread.title
    mail.queue(
        user.email,
        subject[:200],
        "discussions/discussion_post",
        headers=headers,
        user=user,
        post=post,
        reason=reason,
        can_reply="Reply-To" in headers,
        post_url=post_url(post),
        unsubscribe_url=link,
        settings_url=external_url("discussions.settings"),
    )


def _pending_by_user() -> dict[int, list[Notification]]:
    notes = db.session.scalars(
        select(Notification)
        .join(Notification.post)
        .where(Notification.emailed_at.is_(None))
        .options(
            joinedload(Notification.post).joinedload(Post.thread),
            joinedload(Notification.user),
            joinedload(Notification.post).joinedload(Post.author),
        )
        .order_by(Notification.user_id, Notification.id)
    ).unique()
    grouped: dict[int, list[Notification]] = defaultdict(list)
    for note in notes:
        grouped[note.user_id].append(note)
    return grouped


def send_digests(today: date | None = None) -> int:
    """Queue one digest per person with news today; running it again sends nothing new."""
    day = today or clock.today()
    sent = 0
    for user_id, notes in _pending_by_user().items():
        user, now = notes[0].user, utcnow()
        visible = [n for n in notes if n.post.is_visible]
        if queries.settings_for(user).email_mode != EmailMode.DIGEST or not user.active or not visible:
            for note in notes:
                note.emailed_at = now  # nothing to send: do not carry it to tomorrow
            db.session.commit()
            continue
        if db.session.scalar(select(DigestRun.id).where(DigestRun.user_id == user_id, DigestRun.day == day)):
            continue
        db.session.add(DigestRun(user_id=user_id, day=day, post_count=len(visible)))
        for note in notes:
            note.emailed_at = now
        headers, link = _headers(user)
        mail.queue(
            user.email,
            "Your daily summary from the discussions",
            "discussions/discussion_digest",
            headers=headers,
            user=user,
            notes=visible,
            post_url=post_url,
            unsubscribe_url=link,
            settings_url=external_url("discussions.settings"),
        )
        try:
            db.session.commit()
        except IntegrityError:  # another run sent today's digest first
            db.session.rollback()
            continue
        sent += 1
    return sent
