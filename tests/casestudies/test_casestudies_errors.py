"""Each named exception of the case study services reaches the person as a calm message, never a 500."""

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.casestudies import services
from champions.casestudies.models import CaseStudy
from champions.extensions import db

FORM = {
    "title": "Kinship carers' reflective circle",
    "summary": "Carers met monthly to reflect.",
    "visibility": "members",
    "action": "submit",
}
CHECKS = {"consent": "y", "no_personal_data": "y", "evidence": "y"}
SHOWN = {"fingerprint": "0" * 64, "opened": "0" * 64}  # the version a page names (the services are stand-ins)


def refuse(exception):
    """A stand-in service that breaks its rule, as it would when the page was out of date."""

    def service(*args, **kwargs):
        raise exception

    return service


def test_a_checklist_the_service_refuses_is_shown_on_the_form_with_the_comment_kept(
    client, as_role, make_case_study, monkeypatch
):
    case_study = make_case_study(status="submitted")
    as_role(Role.COORDINATOR)
    monkeypatch.setattr(services, "publish", refuse(services.ChecklistIncomplete))
    response = client.post(
        f"/case-studies/{case_study.id}/review",
        data={**CHECKS, **SHOWN, "decision": "publish", "comment": "Lovely, clear evidence."},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Confirm every item on the checklist before publishing" in page
    assert "Lovely, clear evidence." in page
    db.session.refresh(case_study)
    assert case_study.status == "submitted"


@pytest.mark.parametrize("decision, step", [("publish", "publish"), ("return", "return_for_changes")])
def test_a_decision_on_a_case_study_no_longer_waiting_is_refused_kindly(
    client, as_role, make_case_study, monkeypatch, decision, step
):
    case_study = make_case_study(status="submitted")
    as_role(Role.COORDINATOR)
    monkeypatch.setattr(services, step, refuse(services.NotAllowedNow))
    response = client.post(
        f"/case-studies/{case_study.id}/review",
        data={**CHECKS, **SHOWN, "decision": decision, "comment": "Thanks."},
    )
    assert response.headers["Location"] == f"/case-studies/{case_study.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "no longer waiting for review" in page


def test_an_edit_the_service_refuses_keeps_the_text(client, as_role, make_case_study, monkeypatch):
    author = as_role(Role.CHAMPION)
    case_study = make_case_study(status="draft", author=author)
    monkeypatch.setattr(services, "update", refuse(services.NotAllowedNow))
    response = client.post(f"/case-studies/{case_study.id}/edit", data={**FORM, **SHOWN})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "cannot be changed just now" in page and "Kinship carers&#39; reflective circle" in page


def test_too_many_files_from_the_service_is_shown_on_the_files_field(client, as_role, monkeypatch):
    as_role(Role.CHAMPION)
    monkeypatch.setattr(services, "create", refuse(services.TooManyFiles))
    response = client.post("/case-studies/new", data=FORM)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "A case study can have up to 5 files." in page and "Kinship carers&#39; reflective circle" in page
    assert db.session.scalar(select(CaseStudy)) is None


def test_sending_a_published_case_study_for_review_again_is_refused_kindly(client, as_role, make_case_study):
    author = as_role(Role.CHAMPION)
    case_study = make_case_study(author=author)
    response = client.post(f"/case-studies/{case_study.id}/submit")
    assert response.headers["Location"] == f"/case-studies/{case_study.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "cannot be sent for review as it is" in page
    db.session.refresh(case_study)
    assert case_study.status == "published"
