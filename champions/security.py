"""Response headers, safe redirects and request-size limits."""

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request
from flask import Request as FlaskRequest
from flask_login import current_user
from werkzeug.routing import IntegerConverter

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


class DatabaseInteger(IntegerConverter):
    """<int:...> in URLs, limited to what a database id column holds, so a huge id is a 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def accepts_uploads(view: Callable) -> Callable:
    """Let this view take a body up to UPLOAD_MAX_CONTENT_LENGTH instead of the small default."""
    view.accepts_uploads = True
    return view


class Request(FlaskRequest):
    """A request whose size limit is raised for the views marked @accepts_uploads."""

    @property
    def max_content_length(self) -> int | None:
        # Decided from the matched view, not in a before_request hook: CSRF protection reads the
        # form in its own hook, which may run first, and the limit must hold from the first read.
        if self._max_content_length is None and current_app and self.url_rule is not None:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            if getattr(view, "accepts_uploads", False):
                return current_app.config["UPLOAD_MAX_CONTENT_LENGTH"]
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def is_safe_next(target: str | None) -> bool:
    """Allow only a local path: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return False
    if target.startswith("//") or "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    return target if is_safe_next(target) else default


def refuse_null_characters() -> None:
    """Refuse input holding NUL: no database stores it, and no person types it."""
    values = [*request.args.values(), *request.form.values(), request.path]
    if any("\x00" in value for value in values):
        abort(400)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")

    if current_app.config["PRODUCTION"]:
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    if request.endpoint != "static" and current_user.is_authenticated:
        # Pages for a signed-in person can hold personal data: never store them.
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.request_class = Request
    app.before_request(refuse_null_characters)
    app.after_request(set_security_headers)
