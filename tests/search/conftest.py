"""Search fixtures: the features' own factories, and a helper that reads a results page."""

import re

import pytest
from casestudies.conftest import make_case_study  # noqa: F401 - fixtures reused from the features
from directory.conftest import make_profile  # noqa: F401
from discussions.conftest import make_category, make_thread  # noqa: F401
from events.conftest import coordinator, make_event, make_resource  # noqa: F401

from champions.accounts.models import Role

ROLES = [None, Role.MEMBER, Role.CHAMPION, Role.COORDINATOR]
_LINK = re.compile(r'class="ds_search-result__link" href="([^"]+)"')


@pytest.fixture
def search(client):
    """GET /search and return (response text, result links)."""

    def run(q: str, **params) -> tuple[str, list[str]]:
        response = client.get("/search", query_string={"q": q, **params})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        return body, _LINK.findall(body)

    return run
