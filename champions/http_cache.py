"""Conditional GET for visitors' pages and feeds: an ETag, and 304 Not Modified when it matches.

Only responses for people who are not signed in get one (and none whose view set a cookie or
changed the session, such as a page showing a flash message). They
are marked `private, no-cache`: a browser may keep a copy but must ask each time, and shared caches
keep none, so a cache can never hand one person's page to another. The ETag is a hash of the body,
so a page holding a visitor's own form token has an ETag of its own (and a new one each second, as
the token is signed with the time). Nothing else in a visitor's page or feed may carry the time of
the request, or its ETag would never match (tests/test_http_cache.py walks them with the clock
moved). Signed-in pages stay `no-store` (champions.security).
"""

from flask import Flask, Response, request, session
from flask_login import current_user

CACHEABLE_TYPES = ("text/html", "application/atom+xml", "text/calendar", "application/json")


def _cacheable(response: Response) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.endpoint not in (None, "static")
        and response.status_code == 200
        and not response.direct_passthrough
        and "Cache-Control" not in response.headers
        and "Set-Cookie" not in response.headers
        # The session cookie is written after this hook: a flash shown or a form token made.
        and not session.modified
        and response.mimetype in CACHEABLE_TYPES
        and not current_user.is_authenticated
    )


def add_validators(response: Response) -> Response:
    if not _cacheable(response):
        return response
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")
    response.add_etag()
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    # Registered before security's hook, so it runs after it (Flask runs after_request in reverse).
    app.after_request(add_validators)
