"""link() gives exactly what url_for gives, from a pattern for whole-number values."""

import pytest
from flask import url_for

from champions.links import link


@pytest.mark.parametrize(
    ("endpoint", "values"),
    [
        ("discussions.post", {"post_id": 1}),
        ("discussions.post", {"post_id": 2_147_483_000}),
        ("discussions.reply", {"thread_id": 12, "quote": 345}),
        ("discussions.detail", {"thread_id": 7, "page": 3}),
        ("events.detail", {"event_id": 0}),
        ("directory.index", {}),
        ("discussions.category", {"slug": "staff-wellbeing"}),
        ("discussions.detail", {"thread_id": 7, "_anchor": "post-9"}),
        ("casestudies.index", {"sector": "health", "page": 2}),
    ],
)
def test_link_matches_url_for(app, endpoint, values):
    with app.test_request_context("/"):
        assert link(endpoint, **values) == url_for(endpoint, **values)
        assert link(endpoint, **values) == url_for(endpoint, **values)  # from the stored pattern


def test_link_follows_the_script_root(app):
    with app.test_request_context("/", base_url="http://localhost/portal/"):
        assert link("discussions.post", post_id=5) == "/portal/discussions/p/5"
    with app.test_request_context("/"):
        assert link("discussions.post", post_id=5) == "/discussions/p/5"
