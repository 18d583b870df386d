"""Two edit forms of one catalogue resource: the older save is refused kindly, with the text kept."""

import re

from champions.accounts.models import Role
from champions.extensions import db
from champions.resources.models import Resource
from tests.events.test_resources import resource_form

STALE = "changed by someone else"


def version_in(page: str) -> str:
    [version] = re.findall(r'name="version" type="hidden" value="(\d+)"', page)
    return version


def test_an_older_resource_form_does_not_overwrite_a_newer_save(client, as_role, make_resource):
    resource = make_resource()
    as_role(Role.COORDINATOR)
    url = f"/resources/{resource.id}/edit"
    older = version_in(client.get(url).get_data(as_text=True))
    newer = version_in(client.get(url).get_data(as_text=True))
    assert client.post(url, data=resource_form(title="The newer title", version=newer)).status_code == 302
    refused = client.post(url, data=resource_form(title="The older title", version=older))
    page = refused.get_data(as_text=True)
    assert (
        refused.status_code == 409
        and STALE in page
        and "The older title" in page
        and "The newer title" in page
    )
    db.session.expire_all()
    assert db.session.get(Resource, resource.id).title == "The newer title"
    assert (
        client.post(url, data=resource_form(title="The older title", version=version_in(page))).status_code
        == 302
    )


def test_a_resource_form_that_names_no_version_is_refused(client, as_role, make_resource):
    resource = make_resource()
    as_role(Role.COORDINATOR)
    for version in (None, "", "new"):
        data = {
            key: value
            for key, value in resource_form(title="No version", version=version).items()
            if value is not None
        }
        response = client.post(f"/resources/{resource.id}/edit", data=data)
        assert response.status_code == 400 and "No version" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Resource, resource.id).title == "Trauma-informed practice"
