"""Edit and review POSTs must name the version they were shown; one that names none is refused kindly."""

import re

from champions.accounts.models import Role
from champions.casestudies.models import CaseStudy
from champions.extensions import db

FORM = {
    "title": "Typed in a form with no version",
    "summary": "Monthly sessions helped carers.",
    "visibility": "public",
    "action": "draft",
}
CHECKS = {"consent": "y", "no_personal_data": "y", "evidence": "y"}
STALE = "changed by someone else"


def hidden(page: str, name: str) -> str:
    [value] = re.findall(rf'name="{name}" type="hidden" value="([0-9a-f]+)"', page)
    return value


def test_an_edit_that_names_no_version_is_refused_with_the_text_kept(client, make_case_study, sign_in):
    case_study = make_case_study(status="draft")
    title = case_study.title
    sign_in(case_study.author)
    response = client.post(f"/case-studies/{case_study.id}/edit", data=FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert STALE in page and "Typed in a form with no version" in page and "Monthly sessions helped" in page
    db.session.expire_all()
    assert db.session.get(CaseStudy, case_study.id).title == title

    again = client.post(
        f"/case-studies/{case_study.id}/edit", data={**FORM, "opened": hidden(page, "opened")}
    )
    assert again.headers["Location"] == f"/case-studies/{case_study.id}"
    db.session.expire_all()
    assert db.session.get(CaseStudy, case_study.id).title == "Typed in a form with no version"


def test_a_refused_older_edit_shows_the_newer_text_and_can_be_saved_again(client, make_case_study, sign_in):
    case_study = make_case_study(status="draft")
    sign_in(case_study.author)
    url = f"/case-studies/{case_study.id}/edit"
    older = hidden(client.get(url).get_data(as_text=True), "opened")
    client.post(url, data={**FORM, "title": "The newer title", "opened": older})
    response = client.post(url, data={**FORM, "title": "The older title", "opened": older})
    page = response.get_data(as_text=True)
    assert "The older title" in page and "The newer title" in page  # the person's text, and what is stored
    again = client.post(url, data={**FORM, "title": "The older title", "opened": hidden(page, "opened")})
    assert again.headers["Location"] == f"/case-studies/{case_study.id}"


def test_a_malformed_version_is_refused(client, make_case_study, sign_in):
    case_study = make_case_study(status="draft")
    title = case_study.title
    sign_in(case_study.author)
    for opened in ("not-hex", "0" * 64, "9" * 400):
        response = client.post(f"/case-studies/{case_study.id}/edit", data={**FORM, "opened": opened})
        assert response.status_code < 500 and "Typed in a form with no version" in response.get_data(
            as_text=True
        )
    db.session.expire_all()
    assert db.session.get(CaseStudy, case_study.id).title == title


def test_a_review_that_names_no_version_is_refused_with_the_comment_kept(
    client, make_case_study, make_user, sign_in
):
    case_study = make_case_study(status="submitted")
    sign_in(make_user(role=Role.COORDINATOR))
    for fingerprint in (None, "", "zz"):
        data = {**CHECKS, "decision": "publish", "comment": "Lovely work, kept."}
        if fingerprint is not None:
            data["fingerprint"] = fingerprint
        response = client.post(f"/case-studies/{case_study.id}/review", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code in (200, 400) and "Lovely work, kept." in page
        assert "decision was not sent" in page
    assert response.status_code == 200  # "zz" names a version, just not this one
    db.session.expire_all()
    assert db.session.get(CaseStudy, case_study.id).status == "submitted"

    data = {**CHECKS, "decision": "publish", "fingerprint": hidden(page, "fingerprint")}
    assert client.post(f"/case-studies/{case_study.id}/review", data=data).headers["Location"] == (
        "/case-studies/review"
    )
    db.session.expire_all()
    assert db.session.get(CaseStudy, case_study.id).status == "published"


def test_a_review_without_a_version_is_a_bad_request(client, make_case_study, make_user, sign_in):
    case_study = make_case_study(status="submitted")
    sign_in(make_user(role=Role.COORDINATOR))
    response = client.post(f"/case-studies/{case_study.id}/review", data={**CHECKS, "decision": "publish"})
    assert response.status_code == 400
