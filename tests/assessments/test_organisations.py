"""The register of organisations: champions propose, coordinators approve and merge duplicates (audited)."""

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role, User
from champions.assessments import services
from champions.assessments.models import Assessment
from champions.audit import AuditEntry
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.reference.models import CouncilArea, Organisation, organisation_council_areas
from champions.reference.services import find_or_create_organisation


def _named(name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def test_a_champion_proposes_and_a_coordinator_approves(client, as_role, sign_in, make_user):
    champion = as_role(Role.CHAMPION)
    data = {"name": "Kingdom Carers Trust", "kind": "third-sector", "council_areas": ["fife"]}
    assert client.post("/assessments/organisations/propose", data=data).status_code == 302
    assert client.post("/assessments/organisations/propose", data=data).status_code == 302
    organisation = _named("Kingdom Carers Trust")
    assert organisation.status == "proposed" and [a.slug for a in organisation.council_areas] == ["fife"]
    assert organisation.health_board.name == "NHS Fife"  # left empty, so the area's board
    assert (
        db.session.scalar(select(func.count(Organisation.id)).where(Organisation.name.like("Kingdom%"))) == 1
    )
    lower = {**data, "name": "kingdom carers trust"}
    assert client.post("/assessments/organisations/propose", data=lower).status_code == 302
    assert (
        db.session.scalar(select(func.count(Organisation.id)).where(Organisation.name.ilike("kingdom%"))) == 1
    )
    client.post("/account/sign-out")
    sign_in(make_user(role=Role.COORDINATOR))
    page = client.get("/assessments/organisations").get_data(as_text=True)
    assert "Kingdom Carers Trust" in page and "Fife; NHS Fife" in page
    assert client.post(f"/assessments/organisations/{organisation.id}/approve").status_code == 302
    assert client.post(f"/assessments/organisations/{organisation.id}/approve").status_code == 302
    db.session.expire_all()
    assert _named("Kingdom Carers Trust").status == "listed"
    audits = list(
        db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == organisation.id))
    )
    assert sorted(audits) == ["organisation.approve", "organisation.propose"]
    assert champion.id in set(db.session.scalars(select(AuditEntry.actor_id)))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": ""}, "Enter the organisation"),
        ({"name": "x" * 201}, "200 characters"),
        ({"name": "Two\nlines"}, "one line"),
        ({"kind": "empire"}, "Not a valid choice"),
        ({"council_areas": ["fife", "atlantis"]}, "Choose council areas from the list"),
        ({"health_board": "nhs-atlantis"}, "Choose an NHS board from the list"),
        ({"council_areas": ["fife"], "health_board": "nhs-lothian"}, "the board of one of the council areas"),
    ],
)
def test_a_bad_proposal_is_a_clear_message(client, as_role, values, message):
    as_role(Role.CHAMPION)
    data = {"name": "New Trust", "kind": "third-sector", "health_board": "", **values}
    response = client.post("/assessments/organisations/propose", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert data["name"].split("\n")[0] in page  # what was typed is kept
    assert _named("New Trust") is None


def test_an_organisation_works_in_several_areas_with_one_board(client, as_role, make_user, sign_in):
    as_role(Role.CHAMPION)
    across = {"name": "Tay Carers", "kind": "third-sector", "council_areas": ["fife", "perth-and-kinross"]}
    assert client.post("/assessments/organisations/propose", data=across).status_code == 302
    tay = _named("Tay Carers")
    assert [a.name for a in tay.council_areas] == ["Fife", "Perth and Kinross"]
    assert tay.health_board is None  # two boards and none chosen: none is guessed
    chosen = {**across, "name": "Tay Trust", "health_board": "nhs-tayside"}
    assert client.post("/assessments/organisations/propose", data=chosen).status_code == 302
    assert _named("Tay Trust").places == "Fife, Perth and Kinross; NHS Tayside"
    client.post("/account/sign-out")
    sign_in(make_user(role=Role.COORDINATOR))
    page = client.get("/assessments/organisations").get_data(as_text=True)
    assert "Fife, Perth and Kinross; NHS Tayside" in page


def test_an_organisation_made_with_one_area_has_it_in_its_areas(app):
    fife = db.session.scalar(select(CouncilArea).where(CouncilArea.slug == "fife"))
    made = find_or_create_organisation("Fife Library Service", "council", fife)
    db.session.commit()
    assert made.council_areas == [fife] and made.council_area == fife
    assert made.health_board == fife.health_board and made.places == "Fife; NHS Fife"


def test_merging_moves_people_profiles_and_assessments_and_is_audited(
    client, as_role, make_org_champion, make_assessment, fill
):
    champion = make_org_champion("Fife Council Social Work")
    assessment, _ = make_assessment("Fife Council Social Work", champion)
    kept = make_org_champion("Fife Council").organisation
    duplicate = _named("Fife Council Social Work")
    coordinator = as_role(Role.COORDINATOR)
    response = client.post(f"/assessments/organisations/{duplicate.id}/merge", data={"into": str(kept.id)})
    assert response.status_code == 302
    assert _named("Fife Council Social Work") is None
    assert db.session.get(User, champion.id).organisation_id == kept.id
    profile = db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == champion.id))
    assert profile.organisation_id == kept.id
    assert db.session.get(Assessment, assessment.id).organisation_id == kept.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.merge"))
    assert entry.actor_id == coordinator.id and "Fife Council Social Work" in entry.detail
    assert (
        client.post(f"/assessments/organisations/{duplicate.id}/merge", data={"into": "1"}).status_code == 404
    )


def test_merging_keeps_every_area_and_the_kept_boards(client, as_role, organisation):
    areas = {a.slug: a for a in db.session.scalars(select(CouncilArea))}
    duplicate, kept = organisation("Tay Carers"), organisation("Tayside Carers")
    duplicate.council_areas = [areas["fife"], areas["perth-and-kinross"]]
    duplicate.health_board = areas["fife"].health_board
    kept.council_areas = [areas["dundee-city"], areas["perth-and-kinross"]]
    kept.health_board = areas["dundee-city"].health_board
    db.session.commit()
    duplicate_id = duplicate.id
    as_role(Role.COORDINATOR)
    page = client.get(f"/assessments/organisations/{duplicate.id}/merge").get_data(as_text=True)
    assert "Fife, Perth and Kinross; NHS Fife" in page
    response = client.post(f"/assessments/organisations/{duplicate.id}/merge", data={"into": str(kept.id)})
    assert response.status_code == 302
    db.session.expire_all()
    kept = _named("Tayside Carers")
    assert kept.places == "Dundee City, Fife, Perth and Kinross; NHS Tayside"
    links = select(func.count()).where(organisation_council_areas.c.organisation_id == duplicate_id)
    assert db.session.scalar(links) == 0


def test_merging_two_organisations_with_open_drafts_is_refused(client, as_role, make_assessment):
    make_assessment("Fife Council Social Work")
    make_assessment("Fife Council")
    duplicate, kept = _named("Fife Council Social Work"), _named("Fife Council")
    as_role(Role.COORDINATOR)
    response = client.post(f"/assessments/organisations/{duplicate.id}/merge", data={"into": str(kept.id)})
    assert response.status_code == 409 and "Submit one of them first" in response.get_data(as_text=True)
    assert _named("Fife Council Social Work") is not None
    bad = client.post(f"/assessments/organisations/{duplicate.id}/merge", data={"into": str(duplicate.id)})
    assert bad.status_code == 400


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_only_coordinators_keep_the_register(client, as_role, organisation, role):
    fife = organisation("Fife Council")
    as_role(role)
    assert client.get("/assessments/organisations").status_code == 403
    assert client.get(f"/assessments/organisations/{fife.id}/merge").status_code == 403
    assert client.post(f"/assessments/organisations/{fife.id}/approve").status_code == 403


def test_members_cannot_propose(client, as_role):
    as_role(Role.MEMBER)
    assert client.get("/assessments/organisations/propose").status_code == 403


def test_merge_service_refuses_the_same_organisation(app, organisation, make_user):
    fife = organisation("Fife Council")
    with pytest.raises(services.SameOrganisation):
        services.merge_organisations(make_user(role=Role.COORDINATOR), fife, fife)
