"""Every page waits for a coordinator's or admin's second factor, except their own account pages.

The rules come from the URL map, so a page added later is covered without being listed here.
"""

import pytest

from champions import create_app
from champions.accounts.models import Role
from champions.accounts.permissions import OPEN_BEFORE_SECOND_FACTOR

REQUIRED = pytest.mark.app_config({"SECOND_FACTOR_REQUIRED": True})
VALUES = {"int": 1, "default": "x", "path": "x"}


def _rules():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40})
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in OPEN_BEFORE_SECOND_FACTOR]
    return sorted(rules, key=lambda rule: rule.rule)


def _url(rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        kind = type(converter).__name__.lower()
        # An any(...) part (the dashboard's csv or ods) takes only one of its words.
        values[name] = 1 if "integer" in kind else min(converter.items) if "any" in kind else "x"
    return rule.build(values, append_unknown=False)[1]


def _cases():
    for rule in _rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield pytest.param(rule, method, id=f"{method} {rule.rule}")


CASES = list(_cases())


def test_the_open_pages_are_few_and_hold_nothing_privileged():
    assert "accounts.reset_second_factor" not in OPEN_BEFORE_SECOND_FACTOR
    assert all(
        name == "static" or name.startswith(("accounts.", "home.account"))
        for name in OPEN_BEFORE_SECOND_FACTOR
    )
    assert len(CASES) > 100


@REQUIRED
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_every_other_page_waits_for_the_second_factor(app, client, as_role, role):
    as_role(role)
    failures = []
    for param in CASES:
        rule, method = param.values
        url = _url(rule)
        response = client.open(url, method=method)
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not location.startswith("/account/second-factor"):
            failures.append(f"{method} {url}: {response.status_code} {location}")
    assert failures == []


@REQUIRED
def test_the_admin_reset_page_waits_too(client, as_role, make_user):
    other = make_user()
    as_role(Role.ADMIN)
    response = client.get(f"/account/second-factor/reset/{other.id}")
    assert response.headers["Location"].startswith("/account/second-factor")
