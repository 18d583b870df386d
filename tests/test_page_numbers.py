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


@pytest.mark.parametrize("role", [None, Role.MEMBER])
def test_odd_page_numbers_never_give_an_error(client, as_role, role):
    as_role(role)
    for listing in LISTINGS:
        for page in ODD_PAGES:
            url = f"{listing}{'&' if '?' in listing else '?'}page={page}"
            assert client.get(url).status_code == 200, url[:60]
