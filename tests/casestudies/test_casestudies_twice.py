"""A second identical submit is a calm no-op (issue #12 item 5): new drafts, saving for later, useful."""

import uuid

from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.casestudies.models import Bookmark, CaseStudy, UsefulMark
from champions.extensions import db


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _draft(form_key: str) -> dict:
    return {
        "title": "Reflective practice for home care staff",
        "summary": "Monthly sessions helped carers talk about hard visits.",
        "visibility": "public",
        "form_key": form_key,
    }


def test_the_same_new_case_study_form_twice_makes_one_draft(client, as_role):
    as_role(Role.CHAMPION)
    form = client.get("/case-studies/new").get_data(as_text=True)
    assert 'name="form_key"' in form
    key = str(uuid.uuid4())
    first = client.post("/case-studies/new", data=_draft(key))
    second = client.post("/case-studies/new", data=_draft(key))
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(CaseStudy) == 1


def test_two_forms_make_two_drafts(client, as_role):
    as_role(Role.CHAMPION)
    client.post("/case-studies/new", data=_draft(str(uuid.uuid4())))
    client.post("/case-studies/new", data=_draft(str(uuid.uuid4())))
    client.post("/case-studies/new", data=_draft("not-a-key"))  # an odd key only loses the guard
    assert _count(CaseStudy) == 3


def test_save_for_later_sent_twice_stays_saved(client, as_role, make_case_study):
    case_study = make_case_study()
    as_role(Role.MEMBER)
    page = client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    assert 'name="save" value="yes"' in page
    first = client.post(f"/case-studies/{case_study.id}/save", data={"save": "yes"})
    second = client.post(f"/case-studies/{case_study.id}/save", data={"save": "yes"})
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(Bookmark) == 1
    assert 'name="save" value="no"' in client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    client.post(f"/case-studies/{case_study.id}/save", data={"save": "no"})
    client.post(f"/case-studies/{case_study.id}/save", data={"save": "no"})
    assert _count(Bookmark) == 0


def test_this_was_useful_twice_counts_once(client, as_role, make_case_study):
    case_study = make_case_study()
    as_role(Role.MEMBER)
    first = client.post(f"/case-studies/{case_study.id}/useful")
    second = client.post(f"/case-studies/{case_study.id}/useful")
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(UsefulMark) == 1
