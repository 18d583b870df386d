"""Draft, review, publish or return (by email), edits of published case studies, history and audit."""

import re
from datetime import date, datetime

from sqlalchemy import select

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.casestudies.models import CaseStudy, Topic
from champions.casestudies.services import default_review_by
from champions.clock import LONDON
from champions.extensions import db

FORM = {
    "title": "Reflective practice for home care teams",
    "summary": "Monthly sessions helped carers.",
    "challenge": "Carers felt isolated.",
    "approach": "Monthly sessions.",
    "involvement": "Carers.",
    "impact": "Absence fell.",
    "learning": "Protect time.",
    "advice": "Start small.",
    "visibility": "public",
    "topics": "Peer support, peer-support,  PEER SUPPORT , Supervision",
}
CHECKS = {"consent": "y", "no_personal_data": "y", "evidence": "y"}


def test_a_champion_writes_submits_and_a_coordinator_publishes(
    client, as_role, make_user, sign_in, outbox, sector
):
    author = as_role(Role.CHAMPION)
    response = client.post("/case-studies/new", data={**FORM, "sectors": [str(sector.id)], "action": "draft"})
    case_study = db.session.scalar(select(CaseStudy))
    assert response.headers["Location"] == f"/case-studies/{case_study.id}"
    assert case_study.status == "draft" and case_study.sectors == [sector]
    assert sorted(t.slug for t in case_study.topics) == ["peer-support", "supervision"]
    response = client.post(f"/case-studies/{case_study.id}/submit")
    assert response.headers["Location"] == f"/case-studies/{case_study.id}"
    db.session.refresh(case_study)
    assert case_study.status == "submitted"

    coordinator = make_user(role=Role.COORDINATOR)
    client.post("/account/sign-out")
    sign_in(coordinator)
    assert case_study.title in client.get("/case-studies/review").get_data(as_text=True)
    seen = {"fingerprint": case_study.review_fingerprint()}
    response = client.post(f"/case-studies/{case_study.id}/review", data={**seen, "decision": "publish"})
    assert "Confirm every item on the checklist" in response.get_data(as_text=True)
    response = client.post(
        f"/case-studies/{case_study.id}/review",
        data={**CHECKS, **seen, "decision": "publish", "comment": "Lovely work."},
    )
    assert response.headers["Location"] == "/case-studies/review"
    db.session.refresh(case_study)
    assert case_study.status == "published" and case_study.published_at
    [mail] = outbox.messages(author.email)
    assert "published" in mail.subject and "Lovely work." in mail.body
    assert f"https://portal.example.test/case-studies/{case_study.id}" in mail.body
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.actor_id == coordinator.id))
        == "casestudy.publish"
    )
    page = client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    assert "History" in page and "submitted → published" in page


def test_returning_needs_comments_and_emails_them(client, make_case_study, as_role, outbox):
    case_study = make_case_study(status="submitted")
    as_role(Role.COORDINATOR)
    seen = {"fingerprint": case_study.review_fingerprint()}
    response = client.post(f"/case-studies/{case_study.id}/review", data={**seen, "decision": "return"})
    assert "Tell the author what to change" in response.get_data(as_text=True)
    client.post(
        f"/case-studies/{case_study.id}/review",
        data={**seen, "decision": "return", "comment": "Please remove the surname in the second section."},
    )
    db.session.refresh(case_study)
    assert case_study.status == "draft"
    [mail] = outbox.messages(case_study.author.email)
    assert "Please remove the surname" in mail.body
    assert case_study.transitions[-1].comment.startswith("Please remove")


def test_an_edit_of_a_published_case_study_waits_for_review(client, make_case_study, sign_in, make_user):
    case_study = make_case_study(status="published")
    sign_in(case_study.author)
    form = client.get(f"/case-studies/{case_study.id}/edit").get_data(as_text=True)
    assert "Send changes for review" in form
    opened = case_study.content_fingerprint()
    response = client.post(
        f"/case-studies/{case_study.id}/edit",
        data={**FORM, "title": "A better title", "action": "submit", "opened": opened},
    )
    assert response.headers["Location"] == f"/case-studies/{case_study.id}"
    db.session.refresh(case_study)
    assert case_study.title == "Reflective practice sessions for home care staff"
    assert case_study.pending_changes["title"] == "A better title"
    client.post("/account/sign-out")
    assert "A better title" not in client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)

    sign_in(make_user(role=Role.COORDINATOR))
    review = client.get(f"/case-studies/{case_study.id}/review").get_data(as_text=True)
    assert "A better title" in review
    assert "This edit changes: Title, Topic tags" in review or "This edit changes: Title" in review
    seen = {"fingerprint": case_study.review_fingerprint()}
    client.post(f"/case-studies/{case_study.id}/review", data={**CHECKS, **seen, "decision": "publish"})
    db.session.refresh(case_study)
    assert case_study.title == "A better title" and case_study.pending_changes is None
    assert case_study.status == "published"


def test_unpublish_then_archive(client, make_case_study, as_role):
    case_study = make_case_study(status="published")
    as_role(Role.COORDINATOR)
    response = client.post(f"/case-studies/{case_study.id}/unpublish", data={"reason": "Checking a figure"})
    assert response.headers["Location"] == f"/case-studies/{case_study.id}"
    db.session.refresh(case_study)
    assert case_study.status == "unpublished"
    client.post(f"/case-studies/{case_study.id}/archive")
    db.session.refresh(case_study)
    assert case_study.status == "archived"
    response = client.post(f"/case-studies/{case_study.id}/unpublish", follow_redirects=True)
    assert "cannot be unpublished now" in response.get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"casestudy.unpublish", "casestudy.archive"} <= actions


def test_the_author_cannot_edit_while_it_is_in_review(client, make_case_study, sign_in):
    case_study = make_case_study(status="submitted")
    sign_in(case_study.author)
    assert client.get(f"/case-studies/{case_study.id}/edit").status_code == 403


def test_topics_merge_across_case_studies(make_case_study):
    make_case_study(topics=["Peer Support"])
    make_case_study(topics=["peer-support", "Café culture"])
    assert sorted(db.session.scalars(select(Topic.slug))) == ["cafe-culture", "peer-support"]


def test_review_by_date_and_out_of_date_notice(client, make_case_study):
    case_study = make_case_study(review_by="2020-01-01")
    page = client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    assert "may be out of date" in page


def test_a_review_date_passes_at_midnight_in_scotland(make_case_study, place_clock):
    place_clock(datetime(2027, 7, 1, 0, 30, tzinfo=LONDON))  # still 30 June in UTC
    assert default_review_by() == date(2029, 7, 1)
    assert make_case_study(review_by="2027-06-30").is_out_of_date
    assert not make_case_study(review_by="2027-07-01").is_out_of_date


def test_bad_form_input_never_fails(client, as_role):
    as_role(Role.CHAMPION)
    for data in [
        {},
        {"title": "x" * 10_000, "summary": "y" * 10_000},
        {"title": "\u202etitle", "summary": "s"},
        {**FORM, "sectors": ["abc", "99999"], "review_by": "not a date"},
        {**FORM, "visibility": "everyone"},
        {**FORM, "contact_email": "not-an-email"},
    ]:
        response = client.post("/case-studies/new", data=data)
        assert response.status_code == 200
        assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(select(CaseStudy)) is None


def test_editing_an_unpublished_case_study_replaces_a_waiting_edit(client, make_case_study, make_user):
    from champions.casestudies import services

    case_study = make_case_study(status="published")
    author = case_study.author
    services.update(case_study, author, {**services.content_of(case_study), "title": "Waiting"}, [])
    services.unpublish(case_study, make_user(role=Role.COORDINATOR))
    services.update(case_study, case_study.author, {**services.content_of(case_study), "title": "Fresh"}, [])
    assert case_study.title == "Fresh" and case_study.pending_changes is None


def test_profile_hook_can_leave_out_members_only(make_case_study, make_user):
    from champions.casestudies import services

    author = make_user(role=Role.CHAMPION)
    make_case_study(author=author, visibility="members", title="Members")
    make_case_study(author=author, visibility="public", title="Public")
    assert [c.title for c in services.published_by_author(author.id, public_only=True)] == ["Public"]
    assert len(services.published_by_author(author.id)) == 2


def test_a_decision_about_a_version_the_reviewer_never_saw_is_refused(
    client, make_case_study, sign_in, make_user
):
    case_study = make_case_study(status="published")
    sign_in(case_study.author)
    opened = case_study.content_fingerprint()
    client.post(
        f"/case-studies/{case_study.id}/edit",
        data={**FORM, "title": "A better title", "action": "submit", "opened": opened},
    )
    client.post("/account/sign-out")
    sign_in(make_user(role=Role.COORDINATOR))
    review = client.get(f"/case-studies/{case_study.id}/review").get_data(as_text=True)
    [seen] = re.findall(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', review)

    db.session.refresh(case_study)  # the author's later edit, made while the review page was open
    case_study.pending_changes = {**case_study.pending_changes, "summary": "Text the reviewer never saw."}
    db.session.commit()

    response = client.post(
        f"/case-studies/{case_study.id}/review",
        data={**CHECKS, "decision": "publish", "comment": "Lovely work.", "fingerprint": seen},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "changed this case study after you opened it" in page
    assert "Lovely work." in page and "Text the reviewer never saw." in page
    db.session.refresh(case_study)
    assert case_study.title == "Reflective practice sessions for home care staff"
    assert case_study.pending_status == "submitted"
    [fresh] = re.findall(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page)
    client.post(
        f"/case-studies/{case_study.id}/review",
        data={**CHECKS, "decision": "publish", "comment": "Lovely work.", "fingerprint": fresh},
    )
    db.session.refresh(case_study)
    assert case_study.title == "A better title" and case_study.summary == "Text the reviewer never saw."


def test_an_older_edit_form_does_not_overwrite_a_newer_save(client, make_case_study, sign_in):
    case_study = make_case_study(status="draft")
    sign_in(case_study.author)
    older = client.get(f"/case-studies/{case_study.id}/edit").get_data(as_text=True)
    [opened] = re.findall(r'name="opened" type="hidden" value="([0-9a-f]+)"', older)
    newer = client.get(f"/case-studies/{case_study.id}/edit").get_data(as_text=True)
    [same] = re.findall(r'name="opened" type="hidden" value="([0-9a-f]+)"', newer)
    response = client.post(
        f"/case-studies/{case_study.id}/edit",
        data={**FORM, "title": "The newer title", "action": "draft", "opened": same},
    )
    assert response.status_code == 302
    response = client.post(
        f"/case-studies/{case_study.id}/edit",
        data={**FORM, "title": "The older title", "action": "draft", "opened": opened},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "your changes were not saved" in page and "The older title" in page
    db.session.refresh(case_study)
    assert case_study.title == "The newer title"


def test_a_coordinator_cannot_publish_their_own_case_study(client, make_case_study, make_user, sign_in):
    coordinator = make_user(role=Role.COORDINATOR)
    case_study = make_case_study(status="submitted", author=coordinator)
    sign_in(coordinator)
    assert client.get(f"/case-studies/{case_study.id}/review").status_code == 403
    response = client.post(f"/case-studies/{case_study.id}/review", data={**CHECKS, "decision": "publish"})
    assert response.status_code == 403
    db.session.refresh(case_study)
    assert case_study.status == "submitted"
