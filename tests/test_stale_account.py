"""Two tabs with the account details form: the older save is refused kindly, with the text kept."""

import re

from champions.accounts.models import User
from champions.extensions import db

STALE = "changed by someone else"


def version_in(page: str) -> str:
    [version] = re.findall(r'name="version" type="hidden" value="(\d+)"', page)
    return version


def details(**values) -> dict:
    return {"name": "Morven Ross", "organisation": "Fife Council", "workplace": "area:fife", **values}


def test_an_older_details_form_does_not_overwrite_a_newer_save(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    older = version_in(client.get("/account/profile").get_data(as_text=True))
    newer = version_in(client.get("/account/profile").get_data(as_text=True))
    saved = client.post("/account/profile", data=details(name="Newer Name", version=newer))
    assert saved.headers["Location"] == "/account"

    refused = client.post(
        "/account/profile", data=details(name="Older Name", organisation="Typed Org", version=older)
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert STALE in page and 'value="Older Name"' in page and 'value="Typed Org"' in page
    assert "Newer Name" in page
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Newer Name"

    again = client.post("/account/profile", data=details(name="Older Name", version=version_in(page)))
    assert again.headers["Location"] == "/account"
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Older Name"


def test_a_details_form_that_names_no_version_is_refused(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    for version in (None, "", "v2", "3" * 50):
        data = details(name="Typed Without Version")
        if version is not None:
            data["version"] = version
        response = client.post("/account/profile", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and STALE in page and 'value="Typed Without Version"' in page
    db.session.expire_all()
    assert db.session.get(User, user.id).name == user.name


def test_signing_in_again_does_not_make_the_open_form_stale(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    version = version_in(client.get("/account/profile").get_data(as_text=True))
    client.post("/account/sign-out")
    sign_in(user)
    assert client.post("/account/profile", data=details(version=version)).headers["Location"] == "/account"
