"""When the shared rate-limit store stops answering, limits still hold in each process."""

import pytest
from limits import parse

from champions.accounts.views import SIGN_IN_LIMIT

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


@pytest.mark.app_config({"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": UNREACHABLE_REDIS})
def test_sign_in_works_and_is_still_limited_while_redis_is_down(client, make_user, caplog):
    email = make_user().email
    limit = parse(SIGN_IN_LIMIT).amount
    wrong = {"email": email, "password": "this is not the right password"}
    for _ in range(limit):
        response = client.post("/account/sign-in", data=wrong)
        assert response.status_code == 200
        assert "The email address or password is not right" in response.get_data(as_text=True)
    limited = client.post("/account/sign-in", data=wrong)
    assert limited.status_code == 429
    assert "Too many attempts" in limited.get_data(as_text=True)
    assert "falling back to in-memory storage" in caplog.text
