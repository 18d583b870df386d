"""Writing case studies and moving them through review: one state change, one commit."""

import re
import unicodedata
from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from champions import audit, clock, mail, versions
from champions.accounts.models import User
from champions.casestudies.models import (
    TEXT_FIELDS,
    Attachment,
    AttachmentBlob,
    CaseStudy,
    Status,
    Topic,
    Transition,
)
from champions.casestudies.queries import LISTED
from champions.casestudies.services import files
from champions.clock import utcnow
from champions.extensions import db
from champions.links import external_url
from champions.recent import forget
from champions.reference.models import CouncilArea, ImplementationDomain, NttpLevel, Principle, Sector

CHECKLIST = {
    "consent": "Consent was given by any people described",
    "no_personal_data": "No identifiable personal data about people who use services",
    "evidence": "Outcome evidence is stated",
}
LINKS = (
    ("sector_ids", "sectors", Sector),
    ("principle_ids", "principles", Principle),
    ("domain_ids", "domains", ImplementationDomain),
    ("level_ids", "levels", NttpLevel),
    ("area_ids", "areas", CouncilArea),
)


class NotAllowedNow(Exception):
    """The case study is not in a state where this step makes sense."""


class TooManyFiles(Exception):
    """A case study holds at most five files."""


class ChangedSinceShown(Exception):
    """The case study changed after the reviewer opened it, so the decision would cover unseen text."""


class ChecklistIncomplete(Exception):
    """A case study is published only when every checklist item is confirmed."""


def default_review_by() -> date:
    today = clock.today()
    return today.replace(year=today.year + 2, day=28 if (today.month, today.day) == (2, 29) else today.day)


def topic_slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]


def topics_from_names(names: list[str]) -> list[Topic]:
    """Find or add topic tags, merging names that share a slug (no commit)."""
    by_slug: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.lower().split())[:60]
        if topic_slug(cleaned):
            by_slug.setdefault(topic_slug(cleaned), cleaned)
    if not by_slug:
        return []
    found = {t.slug: t for t in db.session.scalars(select(Topic).where(Topic.slug.in_(by_slug)))}
    for slug, name in by_slug.items():
        if slug not in found:
            found[slug] = Topic(slug=slug, name=name)
            db.session.add(found[slug])
    return [found[slug] for slug in by_slug]


def _rows(model, ids: list[int]) -> list:
    return list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


def content_of(case_study: CaseStudy) -> dict:
    """The editable content as plain values, as the form and pending edits hold it."""
    content = {name: getattr(case_study, name) for name in TEXT_FIELDS}
    content.update(
        co_produced=case_study.co_produced,
        review_by=case_study.review_by.isoformat(),
        topics=[t.name for t in case_study.topics],
    )
    for key, attribute, _model in LINKS:
        content[key] = [row.id for row in getattr(case_study, attribute)]
    return content


FIELD_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "challenge": "The challenge",
    "approach": "What we did",
    "involvement": "Who was involved",
    "co_produced": "Co-produced",
    "impact": "Impact and evidence",
    "learning": "What we learned",
    "advice": "Advice for others",
    "contact_name": "Contact name",
    "contact_email": "Contact email",
    "visibility": "Who can read it",
    "review_by": "Review by",
    "topics": "Topic tags",
    "sector_ids": "Sectors",
    "principle_ids": "Principles",
    "domain_ids": "Implementation domains",
    "level_ids": "NTTP levels",
    "area_ids": "Council areas",
}


def _same(old, new) -> bool:
    if isinstance(old, list) or isinstance(new, list):
        return sorted(old or []) == sorted(new or [])
    return (old or "") == (new or "")


def changed_fields(case_study: CaseStudy) -> list[str]:
    """Name what a waiting edit changes, so the reviewer knows where to look."""
    if not case_study.pending_changes:
        return []
    current, pending = content_of(case_study), case_study.pending_changes
    return [label for key, label in FIELD_LABELS.items() if not _same(current.get(key), pending.get(key))]


def _apply(case_study: CaseStudy, content: dict) -> None:
    for name in TEXT_FIELDS:
        setattr(case_study, name, content.get(name) or "")
    case_study.co_produced = bool(content.get("co_produced"))
    case_study.review_by = (
        date.fromisoformat(content["review_by"]) if content.get("review_by") else default_review_by()
    )
    for key, attribute, model in LINKS:
        setattr(case_study, attribute, _rows(model, content.get(key) or []))
    case_study.topics = topics_from_names(content.get("topics") or [])
    case_study.updated_at = utcnow()


def _record(
    case_study: CaseStudy,
    actor: User | None,
    to_status: str,
    comment: str = "",
    checklist: dict | None = None,
    from_status: str | None = None,
) -> None:
    case_study.transitions.append(
        Transition(
            actor=actor,
            from_status=str(from_status or case_study.status),
            to_status=str(to_status),
            comment=comment,
            checklist=checklist,
        )
    )


def _add_files(case_study: CaseStudy, checked: list[files.CheckedFile], pending: bool) -> None:
    if len(case_study.attachments) + len(checked) > files.MAX_FILES:
        raise TooManyFiles
    for item in checked:
        attachment = Attachment(filename=item.filename, kind=item.kind, size=item.size, pending=pending)
        attachment.blob = AttachmentBlob(data=item.data)
        case_study.attachments.append(attachment)


def _made_by_form(author_id: int, form_key: str | None) -> CaseStudy | None:
    if not form_key:
        return None
    return db.session.scalar(
        select(CaseStudy).where(CaseStudy.author_id == author_id, CaseStudy.form_key == form_key)
    )


def create(
    author: User,
    content: dict,
    checked: list[files.CheckedFile],
    submit: bool = False,
    form_key: str | None = None,
) -> CaseStudy:
    """Start a case study as a draft, or send it straight to review; the same form sent twice makes one."""
    author_id = author.id
    existing = _made_by_form(author_id, form_key)
    if existing:
        return existing
    case_study = CaseStudy(
        author=author,
        organisation=author.organisation,
        title=content["title"],
        status=Status.DRAFT.value,
        review_by=default_review_by(),
        form_key=form_key or None,
    )
    try:
        _apply(case_study, content)
        _add_files(case_study, checked, pending=False)
        db.session.add(case_study)
        _record(case_study, author, Status.DRAFT, from_status="new")
        if submit:
            _submit(case_study, author)
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the other request saved it
        db.session.rollback()
        existing = _made_by_form(author_id, form_key)
        if existing is None:
            raise
        return existing
    return case_study


def update(
    case_study: CaseStudy,
    actor: User,
    content: dict,
    checked: list[files.CheckedFile],
    submit: bool = False,
    opened: str | None = None,
) -> CaseStudy:
    """Save an edit; an edit of a published case study waits for review while the old text stays."""
    if opened is not None and opened != case_study.content_fingerprint():
        raise ChangedSinceShown
    if opened is not None:
        _held_as_shown(case_study, opened, CaseStudy.content_fingerprint)
    if case_study.status == Status.PUBLISHED:
        _add_files(case_study, checked, pending=True)
        case_study.pending_changes = {
            **content,
            "review_by": content.get("review_by") or case_study.review_by.isoformat(),
        }
        case_study.pending_status = "submitted"
        _record(case_study, actor, "edit sent for review")
    elif case_study.status in (Status.DRAFT, Status.UNPUBLISHED):
        # An unpublished case study may still hold an edit made while it was published: this replaces it.
        _apply(case_study, content)
        case_study.pending_changes, case_study.pending_status = None, None
        for attachment in case_study.attachments:
            attachment.pending = False
        _add_files(case_study, checked, pending=False)
        if submit:
            _submit(case_study, actor)
    else:
        raise NotAllowedNow
    db.session.commit()
    return case_study


def _still_as_read(case_study: CaseStudy) -> None:
    """Hold the case study until commit while its state is as this request read it, or raise NotAllowedNow.

    The checks below read the state, then write later: two decisions sent at once (a double click, two
    reviewers) would both pass them, and both record, audit and email. Of two, one holds the row; the
    other then finds the state changed and is told what a later sending is told.
    """
    pending = case_study.pending_status
    same_pending = (
        CaseStudy.pending_status.is_(None) if pending is None else CaseStudy.pending_status == pending
    )
    if not versions.take(case_study, CaseStudy.status == case_study.status, same_pending):
        raise NotAllowedNow


def _held_as_shown(case_study: CaseStudy, shown: str, fingerprint: Callable[[CaseStudy], str]) -> None:
    """Hold the case study until commit, read it afresh, and refuse the change if it is no longer the version
    the form showed (ChangedSinceShown): the check on the copy read before can straddle another's save."""
    if not versions.take(case_study):
        raise NotAllowedNow  # removed meanwhile
    db.session.expire(case_study)
    if fingerprint(case_study) != shown:
        db.session.rollback()
        raise ChangedSinceShown


def _submit(case_study: CaseStudy, actor: User) -> None:
    _record(case_study, actor, Status.SUBMITTED)
    case_study.status = Status.SUBMITTED.value
    case_study.submitted_at = utcnow()


def submit(case_study: CaseStudy, actor: User) -> None:
    if case_study.status not in (Status.DRAFT, Status.UNPUBLISHED):
        raise NotAllowedNow
    _still_as_read(case_study)
    _submit(case_study, actor)
    db.session.commit()


def _notify_author(case_study: CaseStudy, subject: str, template: str, comment: str) -> None:
    mail.queue(
        case_study.author.email,
        subject,
        template,
        user=case_study.author,
        case_study=case_study,
        comment=comment,
        url=external_url("casestudies.detail", case_study_id=case_study.id),
    )


def _check_seen(case_study: CaseStudy, seen: str | None) -> None:
    """Refuse a decision about a version other than the one the reviewer was shown."""
    if seen is not None and seen != case_study.review_fingerprint():
        raise ChangedSinceShown


def publish(
    case_study: CaseStudy, reviewer: User, checklist: dict, comment: str = "", seen: str | None = None
) -> None:
    """Publish a submitted case study, or a waiting edit of a published one."""
    _check_seen(case_study, seen)
    if not all(checklist.get(key) for key in CHECKLIST):
        raise ChecklistIncomplete
    if case_study.pending_status == "submitted" or case_study.status == Status.SUBMITTED:
        _still_as_read(case_study)
        if seen is not None:
            _held_as_shown(case_study, seen, CaseStudy.review_fingerprint)
    if case_study.pending_status == "submitted":
        _apply(case_study, case_study.pending_changes)
        for attachment in case_study.attachments:
            attachment.pending = False
        case_study.pending_changes, case_study.pending_status = None, None
        _record(case_study, reviewer, "edit published", comment, checklist)
    elif case_study.status == Status.SUBMITTED:
        _record(case_study, reviewer, Status.PUBLISHED, comment, checklist)
        case_study.status = Status.PUBLISHED.value
        case_study.published_at = case_study.published_at or utcnow()
    else:
        raise NotAllowedNow
    audit.record(reviewer, "casestudy.publish", case_study, detail=case_study.title)
    _notify_author(case_study, "Your case study is published", "casestudies/published", comment)
    db.session.commit()
    forget(LISTED)  # this process shows the change at once (champions.recent)


def return_for_changes(
    case_study: CaseStudy, reviewer: User, checklist: dict, comment: str, seen: str | None = None
) -> None:
    """Send it back to its author with comments, by email too."""
    _check_seen(case_study, seen)
    if case_study.pending_status == "submitted" or case_study.status == Status.SUBMITTED:
        _still_as_read(case_study)
        if seen is not None:
            _held_as_shown(case_study, seen, CaseStudy.review_fingerprint)
    if case_study.pending_status == "submitted":
        case_study.pending_status = "returned"
        _record(case_study, reviewer, "edit returned", comment, checklist)
    elif case_study.status == Status.SUBMITTED:
        _record(case_study, reviewer, Status.DRAFT, comment, checklist)
        case_study.status = Status.DRAFT.value
    else:
        raise NotAllowedNow
    audit.record(reviewer, "casestudy.return", case_study, detail=comment[:200])
    _notify_author(case_study, "Your case study: some changes are needed", "casestudies/returned", comment)
    db.session.commit()


def unpublish(case_study: CaseStudy, coordinator: User, reason: str = "") -> None:
    if case_study.status != Status.PUBLISHED:
        raise NotAllowedNow
    _still_as_read(case_study)
    _record(case_study, coordinator, Status.UNPUBLISHED, reason)
    case_study.status = Status.UNPUBLISHED.value
    audit.record(coordinator, "casestudy.unpublish", case_study, detail=reason[:200])
    db.session.commit()
    forget(LISTED)  # this process shows the change at once (champions.recent)


def archive(case_study: CaseStudy, coordinator: User, reason: str = "") -> None:
    if case_study.status in (Status.ARCHIVED, Status.DRAFT):
        raise NotAllowedNow
    _still_as_read(case_study)
    _record(case_study, coordinator, Status.ARCHIVED, reason)
    case_study.status = Status.ARCHIVED.value
    case_study.pending_changes, case_study.pending_status = None, None
    audit.record(coordinator, "casestudy.archive", case_study, detail=reason[:200])
    db.session.commit()
    forget(LISTED)  # this process shows the change at once (champions.recent)
