"""The "Your account" page and a champion's profile bring together what each feature holds."""

import pytest

from champions.accounts.models import Role


def test_account_page_needs_sign_in(client):
    assert client.get("/account").headers["Location"].startswith("/account/sign-in?next=")


def test_account_page_shows_every_section(client, as_role):
    as_role(Role.MEMBER, name="Morven Ross")
    body = client.get("/account").get_data(as_text=True)
    for heading in ("Your details", "Morven Ross", "My events", "Trauma champion", "Discussions"):
        assert heading in body
    assert "Apply to become a trauma champion" in body


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ADMIN])
def test_account_page_query_count_is_small(client, as_role, count_queries, role):
    as_role(role)
    with count_queries() as queries:
        assert client.get("/account").status_code == 200
    assert len(queries) <= 10


def test_account_page_lists_saved_case_studies_section(client, as_role):
    as_role(Role.MEMBER)
    assert "Case studies you saved" in client.get("/account").get_data(as_text=True)
