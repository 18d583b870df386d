"""One-click links in emails that turn a kind of email off: a signed token that names the person.

The link works without signing in (a person reading email on their phone should not need to), so the
token is signed with the app's secret and a salt per kind of email, and names an account that is in use.
"""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from champions.accounts.models import User
from champions.extensions import db


class UnsubscribeInvalid(Exception):
    """The link was altered, made for another kind of email, or names no account in use."""


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def token_for(user: User, salt: str) -> str:
    """Sign a token naming this person, for the kind of email the salt stands for."""
    return _serializer(salt).dumps({"uid": user.id})


def person_for(token: str, salt: str) -> User:
    """Return the person a token names, or raise UnsubscribeInvalid."""
    try:
        data = _serializer(salt).loads(token)
    except BadSignature as error:
        raise UnsubscribeInvalid from error
    user_id = data.get("uid") if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.is_closed:
        raise UnsubscribeInvalid
    return user
