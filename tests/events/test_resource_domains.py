"""Resources carry implementation domain tags: chosen on the form, shown, and a filter on the catalogue."""

from champions.accounts.models import Role
from champions.extensions import db
from champions.resources.models import Resource


def _form(**overrides) -> dict:
    return {
        "title": "Leading change",
        "provider": "NHS Education for Scotland",
        "format": "guide",
        "url": "https://www.nes.scot.nhs.uk/",
        "description": "For leaders",
        "domains": ["governance-and-leadership", "policy"],
        **overrides,
    }


def test_a_coordinator_tags_a_resource_and_the_catalogue_filters_by_it(client, as_role):
    as_role(Role.COORDINATOR)
    assert client.post("/resources/new", data=_form()).status_code == 302
    assert client.post("/resources/new", data=_form(title="Untagged", domains=[])).status_code == 302
    resource = db.session.scalar(db.select(Resource).where(Resource.title == "Leading change"))
    assert [d.slug for d in resource.domains] == ["governance-and-leadership", "policy"]
    page = client.get("/resources?domain=policy").get_data(as_text=True)
    assert "Leading change" in page and "Untagged" not in page and "Governance and leadership, Policy" in page
    assert "Untagged" in client.get("/resources?domain=no-such-domain").get_data(as_text=True)
    edit = client.get(f"/resources/{resource.id}/edit").get_data(as_text=True)
    assert 'value="policy" checked' in edit and 'value="finance" checked' not in edit
    data = _form(domains=["finance"], version=resource.version)
    assert client.post(f"/resources/{resource.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert [d.slug for d in db.session.get(Resource, resource.id).domains] == ["finance"]


def test_an_unknown_domain_is_refused_kindly(client, as_role):
    as_role(Role.COORDINATOR)
    response = client.post("/resources/new", data=_form(domains=["astrology"]))
    assert response.status_code in (200, 400)
    assert "Choose implementation domains from the list" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Resource.id))) == 0
