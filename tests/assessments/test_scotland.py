"""Across Scotland: counts under the rule of five, and an organisation named only when it chose to share."""

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.assessments import queries, services
from champions.assessments.models import Assessment
from champions.audit import AuditEntry
from champions.extensions import db

COUNCILS = [
    "Fife Council",
    "Highland Council",
    "Moray Council",
    "Angus Council",
    "Falkirk Council",
    "Orkney Council",
]


def _submit(make_assessment, fill, name: str, rating: str = "developing") -> Assessment:
    assessment, champion = make_assessment(name)
    assessment = fill(assessment, champion, rating=rating)
    services.submit(assessment, champion, assessment.version)
    return queries.assessment(assessment.id)


def test_few_organisations_are_never_singled_out(client, as_role, make_assessment, fill):
    for name in COUNCILS[:3]:
        _submit(make_assessment, fill, name)
    as_role(Role.COORDINATOR)
    page = client.get("/assessments/scotland").get_data(as_text=True)
    assert "Organisations that have assessed: fewer than 5" in page
    assert "every group would point to fewer than 5" in page
    assert not any(name in page for name in COUNCILS)


def test_figures_and_shared_names(client, as_role, make_assessment, fill, sign_in):
    shared = None
    for n, name in enumerate(COUNCILS):
        assessment = _submit(make_assessment, fill, name, rating="embedded" if n == 0 else "developing")
        if n == 0:
            shared = assessment
    champion = db.session.get(Assessment, shared.id).started_by
    sign_in(champion)
    assert "Not shared" in client.get(f"/assessments/{shared.id}").get_data(as_text=True)
    seen = str(shared.version)
    url = f"/assessments/{shared.id}/sharing"
    assert client.post(url, data={"share": "yes", "version": seen}).status_code == 302
    assert (
        client.post(url, data={"share": "yes", "version": seen}).status_code == 302
    )  # sent twice: one change
    assert client.post(url, data={"share": "maybe", "version": seen}).status_code == 400
    stale = client.post(url, data={"share": "no", "version": seen})  # opened before the change: refused
    assert stale.status_code == 409 and "changed" in stale.get_data(as_text=True)
    audited = select(func.count(AuditEntry.id)).where(AuditEntry.action.like("assessment.%share"))
    assert db.session.scalar(audited) == 1
    client.post("/account/sign-out")
    as_role(Role.COORDINATOR)
    page = client.get("/assessments/scotland").get_data(as_text=True)
    assert "Organisations that have assessed: 6" in page
    assert '<th scope="row">Council</th><td>6</td>' in page
    # 5 developing and 1 embedded in each domain: showing the 5 would point to the 1, so neither shows
    assert '<th scope="row">Embedded</th>' not in page and '<th scope="row">Developing</th>' not in page
    assert page.count("every group would point to fewer than 5") == 10
    assert "Fife Council" in page  # it chose to share
    assert not any(name in page for name in COUNCILS[1:])


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_only_coordinators_see_scotland(client, as_role, role):
    as_role(role)
    assert client.get("/assessments/scotland").status_code == 403


def test_only_the_organisations_champions_choose_to_share(
    client, make_assessment, make_user, add_contributor, sign_in
):
    assessment, _ = make_assessment()
    colleague = make_user(organisation=assessment.organisation)
    add_contributor(assessment, colleague)
    sign_in(colleague)
    assert (
        client.post(
            f"/assessments/{assessment.id}/sharing", data={"share": "yes", "version": str(assessment.version)}
        ).status_code
        == 403
    )
    assert not db.session.get(Assessment, assessment.id).shared_with_network
    assert db.session.scalar(select(Assessment.shared_with_network)) is False


def test_a_domain_where_every_group_is_large_enough_is_shown(client, as_role, make_assessment, fill):
    for name in COUNCILS[:5]:
        _submit(make_assessment, fill, name)
    as_role(Role.ADMIN)
    page = client.get("/assessments/scotland").get_data(as_text=True)
    assert page.count('<th scope="row">Developing</th><td>5</td>') == 10
    assert page.count('<th scope="row">Embedded</th><td>0</td>') == 10


def test_the_coordinator_pages_make_as_many_queries_however_many_assessments(
    client, as_role, make_assessment, fill, count_queries
):
    _submit(make_assessment, fill, COUNCILS[0])
    as_role(Role.COORDINATOR)
    counted = {}
    for url in ("/assessments/scotland", "/assessments", "/assessments/organisations"):
        with count_queries() as few:
            client.get(url)
        counted[url] = len(few)
    for name in COUNCILS[1:]:
        _submit(make_assessment, fill, name)
        make_assessment(name)  # and this year's, in progress
    for url, before in counted.items():
        with count_queries() as many:
            client.get(url)
        assert len(many) == before, url


def test_the_figures_beside_the_shared_names_do_not_give_away_the_one_that_did_not_share(
    client, as_role, make_assessment, fill
):
    """6 councils, 5 of them named with their ratings: "Developing: 6" and "Council: 6" would tell the
    sixth one's rating and kind by subtracting the named rows."""
    assessments = [_submit(make_assessment, fill, name) for name in COUNCILS]
    for assessment in assessments[:5]:
        services.set_sharing(assessment.started_by, assessment, True, assessment.version)
    as_role(Role.COORDINATOR)
    page = client.get("/assessments/scotland").get_data(as_text=True)
    assert all(name in page for name in COUNCILS[:5]) and COUNCILS[5] not in page
    assert '<th scope="row">Developing</th>' not in page
    assert '<th scope="row">Council</th>' not in page


def test_figures_show_when_those_not_named_are_at_least_five(client, as_role, make_assessment, fill):
    names = COUNCILS + ["Perth Council", "Stirling Council", "Dundee Council", "Clackmannan Council"]
    assessments = [
        _submit(make_assessment, fill, name, rating="embedded" if n < 5 else "developing")
        for n, name in enumerate(names)
    ]
    for assessment in assessments[:5]:
        services.set_sharing(assessment.started_by, assessment, True, assessment.version)
    as_role(Role.COORDINATOR)
    page = client.get("/assessments/scotland").get_data(as_text=True)
    assert '<th scope="row">Embedded</th><td>5</td>' in page
    assert '<th scope="row">Developing</th><td>5</td>' in page
    assert '<th scope="row">Council</th><td>10</td>' in page


def test_an_organisation_in_two_areas_counts_in_both(app, make_assessment, fill):
    from champions.reference.models import CouncilArea, Organisation

    fife, highland = (
        db.session.scalar(select(CouncilArea).where(CouncilArea.slug == slug))
        for slug in ("fife", "highland")
    )
    for name in COUNCILS[:5]:
        _submit(make_assessment, fill, name)
        db.session.scalar(select(Organisation).where(Organisation.name == name)).council_areas = [
            fife,
            highland,
        ]
    db.session.commit()
    figures = queries.scotland()
    assert figures.assessed == 5
    assert figures.by_area.rows == (("Fife", 5), ("Highland", 5))
