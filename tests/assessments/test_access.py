"""Who may see and change an assessment: its organisation's people; coordinators and admins read."""

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.assessments.models import Answer
from champions.extensions import db

READ = ["", "/summary", "/submit", "/report.ods"]
CHAMPION_ONLY = ["/invite", "/reopen"]


def _urls(assessment) -> list[str]:
    domain = assessment.framework.domains[0]
    return [f"/assessments/{assessment.id}{u}" for u in READ] + [
        f"/assessments/{assessment.id}/domains/{domain.id}"
    ]


def test_signed_out_people_are_asked_to_sign_in(client, make_assessment):
    assessment, _ = make_assessment()
    for url in ["/assessments", *_urls(assessment), f"/assessments/{assessment.id}/invite"]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert client.post("/assessments/start").status_code == 302


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_someone_from_another_organisation_gets_the_same_404_as_for_nothing(
    client, make_assessment, make_org_champion, make_user, sign_in, role
):
    assessment, _ = make_assessment("Fife Council")
    other = make_assessment("Highland Council")[0]
    if role == Role.CHAMPION:
        sign_in(make_org_champion("Highland Council"))
    else:
        sign_in(make_user(organisation=other.organisation))
    missing = f"/assessments/{assessment.id + 1000}"
    for url in _urls(assessment) + [f"/assessments/{assessment.id}{u}" for u in CHAMPION_ONLY]:
        assert client.get(url).status_code == 404, url
        assert client.get(url.replace(f"/assessments/{assessment.id}", missing)).status_code == 404
    domain = assessment.framework.domains[0]
    posts = {
        f"/assessments/{assessment.id}/domains/{domain.id}": {"version": "1", "evidence": "x"},
        f"/assessments/{assessment.id}/submit": {"version": "1"},
        f"/assessments/{assessment.id}/invite": {"email": "a@example.org"},
        f"/assessments/{assessment.id}/reopen": {"reason": "x"},
    }
    for url, data in posts.items():
        assert client.post(url, data=data).status_code == 404, url
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    assert "Fife Council" not in client.get("/assessments").get_data(as_text=True)


def test_a_member_of_the_organisation_who_was_not_invited_sees_nothing(
    client, make_assessment, make_user, sign_in
):
    assessment, _ = make_assessment()
    sign_in(make_user(organisation=assessment.organisation))
    assert client.get(f"/assessments/{assessment.id}").status_code == 404


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_read_but_do_not_write(client, make_assessment, as_role, role):
    assessment, _ = make_assessment()
    as_role(role)
    assert "Fife Council" in client.get("/assessments").get_data(as_text=True)
    for url in _urls(assessment)[:-1]:
        assert client.get(url).status_code == 200, url
    domain_url = _urls(assessment)[-1]
    assert client.get(domain_url).status_code == 403
    assert client.post(domain_url, data={"version": "1", "evidence": "x"}).status_code == 403
    assert client.get(f"/assessments/{assessment.id}/invite").status_code == 403
    assert client.post(f"/assessments/{assessment.id}/submit", data={"version": "1"}).status_code == 403


def test_an_unknown_domain_is_a_404(client, make_assessment, sign_in):
    assessment, champion = make_assessment()
    sign_in(champion)
    assert client.get(f"/assessments/{assessment.id}/domains/999999").status_code == 404
    response = client.post(
        f"/assessments/{assessment.id}/domains/999999", data={"version": "1", "evidence": "x"}
    )
    assert response.status_code == 404


def test_a_pending_champion_is_not_one_of_the_organisation(
    client, make_assessment, make_org_champion, sign_in
):
    assessment, _ = make_assessment()
    sign_in(make_org_champion("Fife Council", status="pending"))
    assert client.get(f"/assessments/{assessment.id}").status_code == 404


def test_another_champion_of_the_organisation_can_work_on_it(
    client, make_assessment, make_org_champion, sign_in
):
    assessment, _ = make_assessment()
    sign_in(make_org_champion("Fife Council"))
    assert client.get(f"/assessments/{assessment.id}").status_code == 200
    domain_url = _urls(assessment)[-1]
    assert client.post(domain_url, data={"version": "1", "evidence": "Ours"}).status_code == 302


def test_the_chart_of_a_draft_is_not_found(client, make_assessment, sign_in):
    assessment, champion = make_assessment()
    sign_in(champion)
    assert client.get(f"/assessments/{assessment.id}/chart.svg").status_code == 404


def test_a_contributor_who_moved_to_another_organisation_no_longer_sees_it(
    client, make_assessment, make_user, add_contributor, sign_in, organisation
):
    assessment, champion = make_assessment()
    colleague = make_user(organisation=assessment.organisation)
    add_contributor(assessment, colleague)
    sign_in(colleague)
    assert client.get(f"/assessments/{assessment.id}").status_code == 200
    colleague.organisation_id = organisation("Highland Council").id
    db.session.commit()
    for url in _urls(assessment):
        assert client.get(url).status_code == 404, url
    assert "Fife Council" not in client.get("/assessments").get_data(as_text=True)
    sign_in(champion)
    domain_page = client.get(_urls(assessment)[-1]).get_data(as_text=True)
    assert colleague.name not in domain_page  # no longer offered as an action's owner


def test_a_champion_whose_profile_was_revoked_loses_the_assessment_they_started(
    client, make_assessment, sign_in
):
    from champions.directory.models import ChampionProfile

    assessment, champion = make_assessment()
    sign_in(champion)
    assert client.get(f"/assessments/{assessment.id}").status_code == 200
    profile = db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == champion.id))
    profile.status = "revoked"
    db.session.commit()
    for url in _urls(assessment) + [f"/assessments/{assessment.id}/sharing"]:
        assert client.get(url).status_code == 404, url
    assert client.post("/assessments/start").status_code == 403
