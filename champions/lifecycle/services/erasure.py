"""Erase accounts: one set of bulk statements, used by a person closing their own account, by an admin
on request and by retention. The caller commits, so an erasure is all or nothing.
"""

import re
from datetime import datetime

from sqlalchemy import String, cast, delete, exists, func, literal, select, update
from sqlalchemy.orm import aliased

from champions import audit
from champions.accounts.models import RecoveryCode, Role, SecondFactor, User, UserIdentity, UserSession
from champions.assessments import services as assessments_services
from champions.buddies import services as buddies_services
from champions.casestudies.models import Bookmark, CaseStudy
from champions.directory.models import (
    ChampionProfile,
    champion_profile_areas,
    champion_profile_levels,
    champion_profile_sectors,
)
from champions.discussions.models import (
    CategoryFollow,
    DigestRun,
    DiscussionSetting,
    Notification,
    Post,
    PostRevision,
    Report,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from champions.discussions.services import counters
from champions.events.models import Event, Feedback, Pledge, Registration, ReminderSent, event_organisers
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.messages import services as messages_services
from champions.once import FormSubmission
from champions.privacy.models import DataExport, ExportStatus
from champions.reference.models import Organisation
from champions.returns import services as returns_services
from champions.search.models import Kind
from champions.search.services import refresh

FORMER_MEMBER = "A former member"
WORD = re.compile(r"\w+")
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
REMOVED = "(removed when an account was closed)"
SLICE = 500  # ids per statement, well under SQLite's limit on parameters


def run(statement):
    """Execute a bulk statement; objects the session holds are refreshed when the caller commits."""
    return db.session.execute(statement, execution_options={"synchronize_session": False})


def erase(user_ids: list[int], now: datetime, delete_posts: bool = False) -> None:
    """Empty these accounts of personal details and end their sessions (no commit)."""
    ordered = sorted(set(user_ids))
    slices = [ordered[start : start + SLICE] for start in range(0, len(ordered), SLICE)]
    for ids in slices:
        _drop_their_emails(ids)
    _scrub_mentions(ordered)
    for ids in slices:
        _erase_profiles(ids)
        _erase_discussion_settings(ids)
        _erase_event_details(ids, now)
        _erase_case_study_details(ids)
        _erase_sign_in_and_exports(ids)
        if delete_posts:
            _delete_posts(ids, now)
        messages_services.erase_for(ids, remove_words=delete_posts)
        returns_services.erase_for(ids)
        buddies_services.erase_for(ids)
        assessments_services.erase_for(ids)
        organisation_ids = set(db.session.scalars(select(User.organisation_id).where(User.id.in_(ids))))
        _empty_accounts(ids, now)
        _delete_unused_organisations(organisation_ids - {None})


def _drop_their_emails(ids: list[int]) -> None:
    addresses = select(User.email).where(User.id.in_(ids), User.closed_at.is_(None))
    run(delete(OutboxMessage).where(OutboxMessage.to_address.in_(addresses)))


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _names_them(text: str, emails: set[str], names: set[str], lengths: set[int]) -> bool:
    if any(found.lower() in emails for found in EMAIL.findall(text)):
        return True
    words = _words(text)
    return any(" ".join(words[i : i + n]) in names for n in lengths for i in range(len(words) - n + 1))


def _scrub_mentions(ids: list[int]) -> None:
    """Blank stored text that names them (emails to other people, audit details).

    Each text is read once and split into words, then looked up in the set of their names and
    addresses, so the cost grows with the text kept, not with texts times people closed.
    """
    pairs = []
    for start in range(0, len(ids), SLICE):
        chosen = ids[start : start + SLICE]
        people = select(User.email, User.name).where(User.id.in_(chosen), User.closed_at.is_(None))
        pairs.extend(db.session.execute(people).all())
    if not pairs:
        return
    emails = {email.lower() for email, _ in pairs}
    names = {" ".join(_words(name)) for _, name in pairs} - {""}
    lengths = {len(name.split()) for name in names}
    for model, columns in ((OutboxMessage, ("subject", "body")), (audit.AuditEntry, ("detail",))):
        for name in columns:
            column = getattr(model, name)
            rows = db.session.execute(select(model.id, column).where(column != "", column != REMOVED))
            matched = [row[0] for row in rows if _names_them(row[1], emails, names, lengths)]
            for start in range(0, len(matched), SLICE):
                run(update(model).where(model.id.in_(matched[start : start + SLICE])).values({name: REMOVED}))


def _erase_profiles(ids: list[int]) -> None:
    """A champion leaves the directory and the coverage map: the whole profile goes."""
    profile_ids = list(db.session.scalars(select(ChampionProfile.id).where(ChampionProfile.user_id.in_(ids))))
    if not profile_ids:
        return
    for table in (champion_profile_areas, champion_profile_levels, champion_profile_sectors):
        db.session.execute(delete(table).where(table.c.champion_profile_id.in_(profile_ids)))
    run(delete(ChampionProfile).where(ChampionProfile.id.in_(profile_ids)))
    refresh(Kind.CHAMPION, profile_ids, db.session.connection())


def _erase_discussion_settings(ids: list[int]) -> None:
    for model in (ThreadFollow, CategoryFollow, ThreadRead, Notification, DigestRun, DiscussionSetting):
        run(delete(model).where(model.user_id.in_(ids)))


def _erase_event_details(ids: list[int], now: datetime) -> None:
    """Needs, feedback and pledge words go; places at events still to come are given up."""
    future = select(Registration.id).join(Event, Event.id == Registration.event_id)
    future = future.where(Registration.user_id.in_(ids), Event.starts_at > now)
    future_ids = list(db.session.scalars(future))
    if future_ids:
        run(delete(ReminderSent).where(ReminderSent.registration_id.in_(future_ids)))
        run(delete(Registration).where(Registration.id.in_(future_ids)))
    run(update(Registration).where(Registration.user_id.in_(ids), Registration.needs != "").values(needs=""))
    run(update(Feedback).where(Feedback.user_id.in_(ids)).values(barriers="", enablers=""))
    run(update(Pledge).where(Pledge.user_id.in_(ids)).values(text=""))
    db.session.execute(delete(event_organisers).where(event_organisers.c.user_id.in_(ids)))


PENDING_EXPORTS = [ExportStatus.QUEUED.value, ExportStatus.BUILDING.value, ExportStatus.READY.value]


def _erase_sign_in_and_exports(ids: list[int]) -> None:
    """Second factor, recovery codes, sessions, linked organisation accounts and form keys go, and copies
    of data not yet taken."""
    for model in (SecondFactor, RecoveryCode, UserSession, UserIdentity, FormSubmission):
        run(delete(model).where(model.user_id.in_(ids)))
    run(
        update(DataExport)
        .where(DataExport.subject_id.in_(ids), DataExport.status.in_(PENDING_EXPORTS))
        .values(data=None, token_hash=None, reason="", status=ExportStatus.EXPIRED.value)
    )


def _erase_case_study_details(ids: list[int]) -> None:
    run(update(CaseStudy).where(CaseStudy.author_id.in_(ids)).values(contact_name="", contact_email=""))
    run(delete(Bookmark).where(Bookmark.user_id.in_(ids)))


def _delete_posts(ids: list[int], now: datetime) -> None:
    """Posts others replied after say "removed by its author"; the rest, and threads left empty, go."""
    later = aliased(Post)
    replied_to = exists().where(
        later.thread_id == Post.thread_id, later.id > Post.id, later.author_id.not_in(ids)
    )
    mine = select(Post.id, Post.thread_id, replied_to).where(Post.author_id.in_(ids))
    rows = db.session.execute(mine).all()
    if not rows:
        return
    post_ids = [row[0] for row in rows]
    thread_ids = sorted({row[1] for row in rows})
    kept = [row[0] for row in rows if row[2]]
    gone = [row[0] for row in rows if not row[2]]
    run(delete(PostRevision).where(PostRevision.post_id.in_(post_ids)))
    if kept:
        run(
            update(Post)
            .where(Post.id.in_(kept))
            .values(body="", body_html="", content_note="", deleted_at=func.coalesce(Post.deleted_at, now))
        )
    for start in range(0, len(gone), SLICE):
        chunk = gone[start : start + SLICE]
        for model in (Notification, Report):
            run(delete(model).where(model.post_id.in_(chunk)))
        run(delete(Post).where(Post.id.in_(chunk)))
    _tidy_threads(thread_ids)
    refresh(Kind.POST, post_ids, db.session.connection())
    refresh(Kind.THREAD, thread_ids, db.session.connection())


def _tidy_threads(thread_ids: list[int]) -> None:
    """Delete threads left with no posts, count the others again, then their categories."""
    empty = select(Thread.id).where(Thread.id.in_(thread_ids), ~exists().where(Post.thread_id == Thread.id))
    empty_ids = list(db.session.scalars(empty))
    if empty_ids:
        for model in (ThreadFollow, ThreadRead):
            run(delete(model).where(model.thread_id.in_(empty_ids)))
        run(delete(Thread).where(Thread.id.in_(empty_ids)))
    posts = select(func.count(Post.id)).where(Post.thread_id == Thread.id).scalar_subquery()
    latest = select(func.max(Post.created_at)).where(Post.thread_id == Thread.id).scalar_subquery()
    run(update(Thread).where(Thread.id.in_(thread_ids)).values(post_count=posts, last_post_at=latest))
    counters.recount_categories()


def unreferenced(table_name: str, key) -> list:
    """A NOT EXISTS for every foreign key that points at this table: true of rows nothing refers to."""
    return [
        ~exists().where(column == key)
        for table in db.metadata.sorted_tables
        for column in table.columns
        for foreign_key in column.foreign_keys
        if foreign_key.column.table.name == table_name and table.name != table_name
    ]


def _delete_unused_organisations(organisation_ids: set[int]) -> None:
    """An organisation only they named (it may be their own name) goes with them."""
    if organisation_ids:
        unused = unreferenced("organisations", Organisation.id)
        run(delete(Organisation).where(Organisation.id.in_(organisation_ids), *unused))


def _empty_accounts(ids: list[int], now: datetime) -> None:
    """Keep each row, so posts keep an author, with nothing personal left and no way to sign in."""
    # A placeholder that is unique, fits the column and is no address, so the email can register again.
    placeholder = literal("closed-account-", String) + cast(User.id, String)
    run(
        update(User)
        .where(User.id.in_(ids), User.closed_at.is_(None))
        .values(
            email=placeholder,
            name=FORMER_MEMBER,
            password_hash="",
            organisation_id=None,
            council_area_id=None,
            health_board_id=None,
            role=Role.MEMBER.value,
            active=False,
            session_version=User.session_version + 1,
            closed_at=now,
            retention_warned_at=None,
        )
    )
