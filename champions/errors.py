"""Styled error pages in calm, plain words."""

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from champions.extensions import db

log = logging.getLogger(__name__)

STYLED = {400, 403, 404, 413, 429, 500}


def _render(code: int, **context):
    # A failed transaction would make loading the signed-in user fail too.
    db.session.rollback()
    return render_template(f"errors/{code}.html", **context), code


def handle_http_error(error: HTTPException):
    code = error.code or 500
    if code not in STYLED:
        return error
    return _render(code)


def handle_csrf_error(error: CSRFError):
    return _render(400, form_expired=True)


def handle_unexpected_error(error: Exception):
    log.exception("Unhandled error", exc_info=error)
    return _render(InternalServerError.code)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
