"""The NTTP resources catalogue: filter by level, and coordinators manage the entries."""

import pytest

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.extensions import db
from champions.reference.models import NttpLevel
from champions.resources import demo, services
from champions.resources.models import Resource


def resource_form(**overrides):
    data = {
        "title": "Trauma-skilled practice",
        "provider": "NHS Education for Scotland",
        "format": "e-learning",
        "levels": ["trauma-skilled"],
        "url": "https://www.nes.scot.nhs.uk/",
        "description": "Level 2",
    }
    data.update(overrides)
    return data


def test_catalogue_filters_by_level(client, make_resource):
    skilled = db.session.scalar(db.select(NttpLevel).where(NttpLevel.slug == "trauma-skilled"))
    make_resource(title="Level two thing", levels=[skilled])
    make_resource(title="Everyone thing")
    assert "Level two thing" in client.get("/resources").get_data(as_text=True)
    page = client.get("/resources?level=trauma-skilled").get_data(as_text=True)
    assert "Level two thing" in page and "Everyone thing" not in page
    page = client.get("/resources?level=unknown").get_data(as_text=True)
    assert "Everyone thing" in page


def test_demo_resources_use_public_names(app):
    demo.seed({})
    titles = set(db.session.scalars(db.select(Resource.title)))
    assert {
        "Trauma-informed practice",
        "Trauma-skilled practice",
        "National Wellbeing Hub",
        "Scottish Trauma Informed Leaders Training (STILT)",
        "Roadmap for creating trauma-informed and responsive change",
    } <= titles


def test_coordinator_adds_edits_and_removes(client, as_role):
    as_role(Role.COORDINATOR)
    response = client.post("/resources/new", data=resource_form())
    assert response.headers["Location"] == "/resources"
    resource = db.session.scalar(db.select(Resource))
    assert [x.slug for x in resource.levels] == ["trauma-skilled"]
    client.post(
        f"/resources/{resource.id}/edit",
        data=resource_form(title="Renamed", levels=[], version=resource.version),
    )
    assert resource.title == "Renamed" and resource.levels == []
    assert "Renamed" in client.get(f"/resources/{resource.id}/edit").get_data(as_text=True)
    client.post(f"/resources/{resource.id}/delete")
    assert db.session.scalar(db.select(Resource)) is None
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"resource.create", "resource.update", "resource.delete"} <= actions


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "Enter a title"),
        ({"title": "x" * 10_000}, "up to 200 characters"),
        ({"url": "javascript:alert(1)"}, "Enter a full web address"),
        ({"url": "not a url"}, "Enter a full web address"),
        ({"format": "hologram"}, "Choose a format"),
        ({"levels": ["trauma-wizard"]}, "Choose practice levels from the list"),
        ({"provider": "\u202eevil"}, "hidden or formatting characters"),
    ],
)
def test_bad_input(client, as_role, overrides, message):
    as_role(Role.COORDINATOR)
    response = client.post("/resources/new", data=resource_form(**overrides))
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Resource)) is None


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_others_cannot_manage(client, as_role, make_resource, role):
    resource = make_resource()
    as_role(role)
    for url in ["/resources/new", f"/resources/{resource.id}/edit", f"/resources/{resource.id}/delete"]:
        assert client.get(url).status_code == 403
    assert client.post(f"/resources/{resource.id}/delete").status_code == 403


def test_unknown_resource_is_404(client, as_role):
    as_role(Role.COORDINATOR)
    assert client.get("/resources/99999/edit").status_code == 404


@pytest.mark.parametrize("editing", [False, True])
def test_a_level_gone_from_the_reference_data_keeps_the_typed_words(
    client, as_role, make_resource, monkeypatch, editing
):
    resource = make_resource(title="Before") if editing else None

    def gone(*args, **kwargs):
        raise services.UnknownLevel

    monkeypatch.setattr(services, "update_resource" if editing else "create_resource", gone)
    as_role(Role.COORDINATOR)
    path = f"/resources/{resource.id}/edit" if editing else "/resources/new"
    shown = {"version": resource.version} if editing else {}  # the version an edit form names
    response = client.post(path, data=resource_form(title="Words typed with care", **shown))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose practice levels from the list" in page and "Words typed with care" in page
