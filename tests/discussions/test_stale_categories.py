"""Two edit forms of one discussion category: the older save is refused kindly, with the text kept."""

import re

from champions.accounts.models import Role
from champions.discussions import services
from champions.discussions.models import Category
from champions.extensions import db

STALE = "changed by someone else"


def version_in(page: str) -> str:
    [version] = re.findall(r'name="version" type="hidden" value="(\d+)"', page)
    return version


def test_an_older_category_form_does_not_overwrite_a_newer_save(client, as_role, make_thread, form_key):
    thread = make_thread()
    category = thread.category
    as_role(Role.COORDINATOR)
    url = f"/discussions/categories/{category.id}/edit"
    older = version_in(client.get(url).get_data(as_text=True))
    newer = version_in(client.get(url).get_data(as_text=True))
    services.reply(thread, thread.author, "Counters move, the version does not", form_key=form_key())
    data = {"name": "Newer name", "description": "", "position": "1"}
    assert client.post(url, data={**data, "version": newer}).status_code == 302
    refused = client.post(
        url, data={**data, "name": "Older name", "description": "Typed here", "version": older}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and STALE in page and "Older name" in page and "Typed here" in page
    db.session.expire_all()
    assert db.session.get(Category, category.id).name == "Newer name"
    missing = client.post(url, data={**data, "name": "No version"})
    assert missing.status_code == 400 and "No version" in missing.get_data(as_text=True)
    again = client.post(url, data={**data, "name": "Older name", "version": version_in(page)})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, category.id).name == "Older name"
