"""The "Your account" page and a champion's profile bring together what each feature holds."""

import pytest

from champions.accounts.models import Role
from champions.reference.services import find_or_create_organisation


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


@pytest.fixture
def member_with_organisation(make_user, sign_in):
    """A signed-in member whose account names an organisation, as every demo account does."""
    organisation = find_or_create_organisation("Fife Council")
    user = make_user(name="Morven Ross", organisation=organisation)
    sign_in(user)
    return user


def test_profile_page_shows_details_of_an_account_with_an_organisation(client, member_with_organisation):
    response = client.get("/account/profile")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'value="Morven Ross"' in body
    assert 'value="Fife Council"' in body
    assert '<option selected value="area:fife">' in body


def test_profile_form_saves_for_an_account_with_an_organisation(client, member_with_organisation):
    response = client.post(
        "/account/profile",
        data={
            "name": "Morven  Ross-Smith",
            "organisation": "NHS Tayside",
            "workplace": "board:nhs-tayside",
            "version": member_with_organisation.version,
        },
    )
    assert response.headers["Location"] == "/account"
    user = member_with_organisation
    assert user.name == "Morven Ross-Smith"
    assert user.organisation.name == "NHS Tayside"
    assert user.health_board.name == "NHS Tayside" and user.council_area is None


def test_profile_form_keeps_what_was_typed_on_an_error(client, member_with_organisation):
    response = client.post(
        "/account/profile", data={"name": "", "organisation": "Typed Organisation", "workplace": "area:fife"}
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Enter your name" in body
    assert 'value="Typed Organisation"' in body
    assert '<option selected value="area:fife">' in body
    assert member_with_organisation.name == "Morven Ross"
    assert member_with_organisation.organisation.name == "Fife Council"
