"""A review decision or state change sent twice at once (a double click, two reviewers) is made, recorded,
audited and emailed once: the other request commits between this one's checks and its first write
(tests/straddle.py), and this one is told what a later sending is told."""

import pytest
from sqlalchemy import func, select, update

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.casestudies import services
from champions.casestudies.models import Attachment, AttachmentBlob, CaseStudy, Status
from champions.casestudies.services import files
from champions.extensions import db
from champions.mail import OutboxMessage
from tests.casestudies.conftest import REVIEWED
from tests.straddle import other_commits_first


def _set(case_study_id: int, **values):
    table = CaseStudy.__table__
    return lambda other: other.execute(update(table).where(table.c.id == case_study_id).values(**values))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _decide(step: str, case_study: CaseStudy, coordinator):
    if step == "publish":
        return services.publish(case_study, coordinator, REVIEWED)
    if step == "return_for_changes":
        return services.return_for_changes(case_study, coordinator, REVIEWED, "Please add the outcome")
    if step == "submit":
        return services.submit(case_study, case_study.author)
    return getattr(services, step)(case_study, coordinator, "Out of date")


@pytest.mark.parametrize(
    ("step", "status", "other_status"),
    [
        ("publish", Status.SUBMITTED, Status.PUBLISHED),
        ("return_for_changes", Status.SUBMITTED, Status.PUBLISHED),
        ("publish", Status.SUBMITTED, Status.DRAFT),
        ("submit", Status.DRAFT, Status.SUBMITTED),
        ("unpublish", Status.PUBLISHED, Status.UNPUBLISHED),
        ("archive", Status.PUBLISHED, Status.ARCHIVED),
    ],
)
def test_a_change_made_by_someone_else_between_the_check_and_the_save_is_not_made_again(
    make_case_study, make_user, step, status, other_status
):
    coordinator = make_user(role=Role.COORDINATOR)
    case_study = make_case_study(status=status)
    assert case_study.status == status and case_study.author  # read before the other request committed
    counts = (_count(OutboxMessage), _count(AuditEntry))
    with (
        other_commits_first(_set(case_study.id, status=other_status.value)),
        pytest.raises(services.NotAllowedNow),
    ):
        _decide(step, case_study, coordinator)
    db.session.expire_all()
    assert db.session.get(CaseStudy, case_study.id).status == other_status
    assert (_count(OutboxMessage), _count(AuditEntry)) == counts


def test_a_waiting_edit_published_by_someone_else_meanwhile_is_not_published_again(
    make_case_study, make_user
):
    coordinator = make_user(role=Role.COORDINATOR)
    case_study = make_case_study(status=Status.PUBLISHED)
    content = services.content_of(case_study)
    services.update(case_study, case_study.author, {**content, "title": "A better title"}, [])
    assert case_study.pending_status == "submitted"
    counts = (_count(OutboxMessage), _count(AuditEntry))
    with other_commits_first(_set(case_study.id, pending_status=None)), pytest.raises(services.NotAllowedNow):
        services.publish(case_study, coordinator, REVIEWED)
    assert (_count(OutboxMessage), _count(AuditEntry)) == counts


def test_a_file_removed_twice_at_once_is_removed_and_audited_once(make_user, make_case_study, png_bytes):
    author = make_user(role=Role.CHAMPION)
    case_study = make_case_study(status=Status.DRAFT, author=author, files=[("plan.png", "png", png_bytes)])
    attachment = case_study.attachments[0]
    assert attachment.filename == "plan.png"  # loaded before the other sending removed it
    blobs, table = AttachmentBlob.__table__, Attachment.__table__

    def removed(other):
        other.execute(blobs.delete().where(blobs.c.attachment_id == attachment.id))
        other.execute(table.delete().where(table.c.id == attachment.id))

    audits = _count(AuditEntry)
    with other_commits_first(removed):
        files.remove(attachment, author)  # no "0 rows deleted" warning (an error in tests), no second entry
    assert _count(AuditEntry) == audits


def test_an_edit_saved_in_another_tab_between_the_check_and_the_save_is_not_overwritten(make_case_study):
    case_study = make_case_study(status=Status.DRAFT)
    opened = case_study.content_fingerprint()  # the form was opened on this version; then both tabs save
    content = services.content_of(case_study)

    def the_other_tab(other):
        other.execute(
            update(CaseStudy.__table__)
            .where(CaseStudy.__table__.c.id == case_study.id)
            .values(title="Saved in the other tab")
        )

    with other_commits_first(the_other_tab), pytest.raises(services.ChangedSinceShown):
        services.update(case_study, case_study.author, {**content, "title": "Mine"}, [], opened=opened)
    db.session.expire_all()
    assert db.session.get(CaseStudy, case_study.id).title == "Saved in the other tab"


def test_a_decision_on_a_version_changed_between_the_check_and_the_save_is_refused(
    make_case_study, make_user
):
    coordinator = make_user(role=Role.COORDINATOR)
    case_study = make_case_study(status=Status.PUBLISHED)
    content = services.content_of(case_study)
    services.update(case_study, case_study.author, {**content, "title": "A better title"}, [])
    seen = case_study.review_fingerprint()  # what the reviewer read; then the author changed the waiting edit
    changed = {**case_study.pending_changes, "title": "An even better title"}

    def the_author_edits_again(other):
        other.execute(
            update(CaseStudy.__table__)
            .where(CaseStudy.__table__.c.id == case_study.id)
            .values(pending_changes=changed)
        )

    counts = (_count(OutboxMessage), _count(AuditEntry))
    with other_commits_first(the_author_edits_again), pytest.raises(services.ChangedSinceShown):
        services.publish(case_study, coordinator, REVIEWED, seen=seen)
    assert (_count(OutboxMessage), _count(AuditEntry)) == counts
