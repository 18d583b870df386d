"""A page number typed into an address is read calmly on every listing that pages (champions.pagination):
a digit Python counts but int() cannot read ("²"), or more digits than int() reads, is never an error."""

import pytest

from champions.accounts.models import Role

ODD_PAGES = ["%C2%B2", "%D9%A3", "9" * 5000, "0" * 5000 + "2"]
LISTINGS = [
    "/events",
    "/events/past",
    "/champions",
    "/champions?area=fife",
    "/case-studies",
    "/case-studies?q=trauma",
    "/search?q=trauma",
]


# Kept or not: with RECENT_TOTALS_SECONDS above 0 the listings page through kept ids (champions.recent).
@pytest.mark.parametrize(
    "keeping", [0, pytest.param(60, marks=pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60}))]
)
@pytest.mark.parametrize("role", [None, Role.MEMBER])
def test_odd_page_numbers_never_give_an_error(client, as_role, role, keeping):
    assert client.application.config["RECENT_TOTALS_SECONDS"] == keeping
    as_role(role)
    for listing in LISTINGS:
        for page in ODD_PAGES:
            url = f"{listing}{'&' if '?' in listing else '?'}page={page}"
            assert client.get(url).status_code == 200, url[:60]
