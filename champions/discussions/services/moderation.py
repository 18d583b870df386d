"""Reports and the coordinators' tools: hide, restore, lock, pin, move, and revealing an author."""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from champions import audit, mail
from champions.accounts.models import User
from champions.clock import utcnow
from champions.discussions.models import Category, Post, Report, Thread
from champions.discussions.services import counters
from champions.extensions import db
from champions.links import external_url


class ReportMissing(Exception):
    """The report has been dealt with already."""


def _open_report(post_id: int, reporter_id: int) -> Report | None:
    return db.session.scalar(
        select(Report).where(
            Report.post_id == post_id, Report.reporter_id == reporter_id, Report.resolved_at.is_(None)
        )
    )


def report_post(post: Post, reporter: User, reason: str) -> Report:
    """Report a post; a person's second report of it while the first is open is the same report."""
    post_id, reporter_id = post.id, reporter.id
    report = _open_report(post_id, reporter_id)
    if report:
        return report
    report = Report(post=post, reporter=reporter, reason=reason)
    db.session.add(report)
    try:
        db.session.commit()
    except IntegrityError:  # the same report sent twice at once: the other request saved it
        db.session.rollback()
        report = _open_report(post_id, reporter_id)
        if report is None:
            raise
    return report


def _claim(model, row_id: int, *still, **values) -> bool:
    """Change the row only while it is as this request found it; False when a twin request got there first.

    Two identical moderation clicks both read the old state; the database lets only one UPDATE match.
    """
    # No session sync: the caller then sets the same values on the object, so the flush (and the
    # search index hooks, which watch changed objects) see the change.
    claim = update(model).where(model.id == row_id, *still).values(**values)
    changed = db.session.execute(claim.execution_options(synchronize_session=False)).rowcount
    if not changed:
        db.session.rollback()
    return bool(changed)


def _resolve_reports(post: Post, actor: User, outcome: str) -> None:
    for report in db.session.scalars(
        select(Report).where(Report.post_id == post.id, Report.resolved_at.is_(None))
    ):
        report.resolved_at, report.resolved_by_id, report.outcome = utcnow(), actor.id, outcome


def hide_post(actor: User, post: Post, reason: str = "") -> None:
    """Hide a post from members, close its reports, and tell the author kindly."""
    now = utcnow()
    if post.hidden_at or not _claim(Post, post.id, Post.hidden_at.is_(None), hidden_at=now):
        return
    post.hidden_at = now
    _resolve_reports(post, actor, "hidden")
    audit.record(actor, "discussions.post.hide", post, reason)
    if post.author.active:
        mail.queue(
            post.author.email,
            "One of your posts has been hidden",
            "discussions/discussion_hidden",
            user=post.author,
            post=post,
            reason=reason,
            thread_url=external_url("discussions.detail", thread_id=post.thread_id),
        )
    db.session.commit()


def restore_post(actor: User, post: Post) -> None:
    if not post.hidden_at or not _claim(Post, post.id, Post.hidden_at.is_not(None), hidden_at=None):
        return
    post.hidden_at = None
    audit.record(actor, "discussions.post.restore", post)
    db.session.commit()


def dismiss_report(actor: User, report: Report) -> None:
    now = utcnow()
    if report.resolved_at or not _claim(Report, report.id, Report.resolved_at.is_(None), resolved_at=now):
        raise ReportMissing
    report.resolved_at, report.resolved_by_id, report.outcome = now, actor.id, "no action"
    audit.record(actor, "discussions.report.dismiss", report)
    db.session.commit()


def lock_thread(actor: User, thread: Thread, locked: bool) -> None:
    if thread.is_locked == locked or not _claim(
        Thread, thread.id, Thread.is_locked != locked, is_locked=locked
    ):
        return
    thread.is_locked = locked
    audit.record(actor, "discussions.thread." + ("lock" if locked else "unlock"), thread)
    db.session.commit()


def pin_thread(actor: User, thread: Thread, pinned: bool) -> None:
    if thread.is_pinned == pinned or not _claim(
        Thread, thread.id, Thread.is_pinned != pinned, is_pinned=pinned
    ):
        return
    thread.is_pinned = pinned
    audit.record(actor, "discussions.thread." + ("pin" if pinned else "unpin"), thread)
    db.session.commit()


def move_thread(actor: User, thread: Thread, category: Category) -> None:
    if thread.category_id == category.id:
        return
    # Claim the move first: of two identical moves at once only one may shift the counters.
    if not _claim(Thread, thread.id, Thread.category_id != category.id, category_id=thread.category_id):
        return
    audit.record(actor, "discussions.thread.move", thread, f"{thread.category.name} to {category.name}")
    old_category_id = thread.category_id
    thread.category = category
    db.session.flush()
    counters.thread_moved(thread, old_category_id)
    db.session.commit()


def reveal_author(actor: User, post: Post) -> User:
    """Tell a coordinator who wrote an anonymous post; every look is in the audit log."""
    audit.record(actor, "discussions.post.reveal_author", post)
    db.session.commit()
    return post.author
