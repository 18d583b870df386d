"""Visitors' pages carry an ETag and answer 304 when unchanged; signed-in pages are never stored."""

import pytest

from champions.accounts.models import Role


@pytest.mark.parametrize("path", ["/", "/resources", "/champions/coverage", "/case-studies/feed.atom"])
def test_a_visitors_page_is_validated_with_an_etag(client, path):
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first.headers["Vary"]
    etag = first.headers["ETag"]

    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""

    changed = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200
    assert changed.data == first.data


def test_a_signed_in_page_has_no_etag_and_is_never_stored(client, as_role):
    as_role(Role.MEMBER)
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_a_changed_page_gets_a_new_etag(client, make_user, app):
    from champions.extensions import db
    from champions.resources.models import Resource

    before = client.get("/resources").headers["ETag"]
    with app.app_context():
        db.session.add(
            Resource(
                title="A new guide to trauma-informed supervision",
                provider="NES",
                format="guide",
                url="https://example.org/guide",
                description="A guide.",
            )
        )
        db.session.commit()
    after = client.get("/resources", headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["ETag"] != before


def test_errors_and_forms_posts_get_no_etag(client):
    assert "ETag" not in client.get("/no-such-page").headers
    assert "ETag" not in client.post("/account/sign-in", data={}).headers


def _visitor_pages(app) -> list[str]:
    """Every GET page a visitor can open without filling in a part of its address."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


def test_a_visitors_etag_holds_while_the_clock_moves_on(app, client, move_clock):
    """The ETag is a hash of the body, so a body stamped with the time of the request (a feed's
    'updated' or a calendar's DTSTAMP) would never answer 304. Guarded for every page at once."""
    etags = {}
    for path in _visitor_pages(app):
        response = client.get(path)
        # A form's token is signed with the time it was made, so such a page is left out here.
        if response.status_code == 200 and "ETag" in response.headers and b"csrf_token" not in response.data:
            etags[path] = response.headers["ETag"]
    assert "/case-studies/feed.atom" in etags and "/events.ics" in etags
    move_clock(5)
    for path, etag in etags.items():
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304, path
