"""Organisation sign-in with OpenID Connect: the configured providers, the Authlib client, linked identities.

Authlib does the protocol: discovery, PKCE (S256), `state` and `nonce` kept in the session, and the ID
token's signature (the provider's JWKS), issuer, audience, expiry and nonce. This module adds the
portal's rules: a verified email in an allowed domain, and never a link on an unverified one.
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, request
from joserfc.errors import JoseError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from champions import audit, versions
from champions.accounts.models import User, UserIdentity
from champions.accounts.services import normalise_email, user_by_email
from champions.clock import utcnow
from champions.extensions import db

EXTENSION = "authlib.integrations.flask_client"
SCOPE = "openid email profile"
TIMEOUT_SECONDS = 10
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Provider:
    slug: str
    issuer: str
    client_id: str
    client_secret: str
    name: str
    domains: tuple[str, ...]
    # Microsoft Entra ID sends no `email_verified`; its `xms_edov` claim says the domain owner vouches.
    verified_claim: str = "email_verified"

    def allows(self, email: str) -> bool:
        domain = email.rpartition("@")[2]
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


class Refused(Exception):
    """The provider's answer cannot sign anyone in; `reason` says why (see REASONS in the view)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Person:
    """What a provider vouched for: its subject, a verified email in an allowed domain, and a name."""

    subject: str
    email: str
    name: str
    mfa: bool
    id_token: str
    signed_in_at: int | None = None  # the ID token's auth_time: when the person last signed in there


def init_app(app: Flask) -> None:
    """Register each configured provider with Authlib; nothing is fetched until someone signs in."""
    oauth = OAuth(app)
    for provider in providers_of(app.config["OIDC_PROVIDERS"]).values():
        oauth.register(
            name=provider.slug,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "timeout": TIMEOUT_SECONDS},
        )


def providers_of(settings: list[dict]) -> dict[str, Provider]:
    return {
        str(p["slug"]): Provider(
            slug=str(p["slug"]),
            issuer=str(p["issuer"]),
            client_id=str(p["client_id"]),
            client_secret=str(p["client_secret"]),
            name=str(p["name"]),
            domains=tuple(str(d).strip().lower() for d in p.get("domains", []) if str(d).strip()),
            verified_claim=str(p.get("verified_claim", "email_verified")),
        )
        for p in settings
    }


def providers() -> dict[str, Provider]:
    """The providers configured for this app, by slug (empty when organisation sign-in is off)."""
    return providers_of(current_app.config["OIDC_PROVIDERS"])


def _client(provider: Provider):
    return current_app.extensions[EXTENSION].create_client(provider.slug)


def start(provider: Provider, redirect_uri: str, sign_in_again: bool = False):
    """Return the redirect to the provider, with state, nonce and a PKCE challenge kept in the session."""
    # To confirm it is the person, the provider is asked to sign them in afresh, not reuse its session.
    fresh = {"prompt": "login", "max_age": 0} if sign_in_again else {}
    try:
        return _client(provider).authorize_redirect(redirect_uri, **fresh)
    except (requests.RequestException, ValueError, KeyError) as error:
        raise Refused("down", repr(error)) from error


def finish(provider: Provider) -> Person:
    """Exchange the code, check the ID token and the claims, and say who the provider vouched for."""
    client = _client(provider)
    # RFC 9207: a provider that names itself in its answer must name the one this callback belongs to,
    # so a code from another provider (a mix-up attack) is never sent to this one.
    answered_by = request.args.get("iss")
    if answered_by is not None and answered_by != provider.issuer:
        raise Refused("issuer", f"the answer names {answered_by[:200]!r}")
    try:
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub") or not token.get("id_token"):
            raise Refused("token", "no validated ID token")  # Authlib checks one only when it comes
        if claims.get("iss") != provider.issuer:
            raise Refused("issuer", f"the ID token names {claims.get('iss')!r}")
        if "email" not in claims:
            # Some providers keep email and name for the userinfo endpoint; it must be the same person.
            info = dict(client.userinfo(token=token))
            if info.get("sub") != claims["sub"]:
                raise Refused("token", "userinfo is for another subject")
            claims = {**info, **claims}
    except MismatchingStateError as error:
        raise Refused("state", "state missing, expired or altered") from error
    except requests.RequestException as error:
        raise Refused("down", repr(error)) from error
    except (AuthlibBaseError, JoseError, ValueError, KeyError, TypeError) as error:
        raise Refused("token", repr(error)) from error
    return _person(provider, claims, token["id_token"])


def _person(provider: Provider, claims: dict, id_token: str) -> Person:
    # Only a real true counts: a missing claim, false, or the string "false" is not a verified address.
    if claims.get(provider.verified_claim) not in (True, "true", "True"):
        raise Refused("unverified", str(claims.get("email", "")))
    email = normalise_email(str(claims.get("email", "")))
    if "@" not in email or not provider.allows(email):
        raise Refused("domain", email)
    name = " ".join(str(claims.get("name") or "").split())[:120] or email.partition("@")[0]
    amr = claims.get("amr") or []
    auth_time = claims.get("auth_time")
    signed_in_at = auth_time if isinstance(auth_time, int) and not isinstance(auth_time, bool) else None
    return Person(
        str(claims["sub"]), email, name, isinstance(amr, list) and "mfa" in amr, id_token, signed_in_at
    )


def record_refusal(provider: Provider, reason: str) -> None:
    """Note a refused organisation sign-in in the audit log."""
    audit.record(None, "organisation_sign_in.refused", provider, f"{provider.slug}: {reason}")
    db.session.commit()


def identity_for(provider: Provider, subject: str) -> UserIdentity | None:
    statement = select(UserIdentity).where(
        UserIdentity.provider == provider.slug, UserIdentity.subject == subject
    )
    return db.session.scalar(statement)


def note_use(identity: UserIdentity) -> None:
    """Move the identity's last-used time on."""
    identity.last_used_at = utcnow()
    db.session.commit()


def link(user: User, provider: Provider, person: Person) -> UserIdentity | None:
    """Link the organisation account to the user and audit it; None if it is linked to someone already."""
    identity = UserIdentity(
        user_id=user.id,
        provider=provider.slug,
        subject=person.subject,
        email=person.email,
        last_used_at=utcnow(),
    )
    db.session.add(identity)
    audit.record(user, "organisation_sign_in.link", user, f"{provider.slug}: {person.email}")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return identity


def create_account(provider: Provider, person: Person) -> User | None:
    """Make an account from the claims, its email verified by the provider; None if the email is taken."""
    if user_by_email(person.email):
        return None
    user = User(name=person.name, email=person.email, password_hash="", email_verified_at=utcnow())
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same address registered a moment ago
        return None
    return user if link(user, provider, person) else None


def unlink(user: User, identity_id: int) -> bool:
    """Remove one of the user's linked organisation accounts; False if it is not theirs."""
    identity = db.session.get(UserIdentity, identity_id)
    if identity is None or identity.user_id != user.id:
        return False
    if not versions.take(identity):  # removed twice at once: the other did it (and audited it)
        return True
    db.session.delete(identity)
    audit.record(user, "organisation_sign_in.unlink", user, f"{identity.provider}: {identity.email}")
    db.session.commit()
    return True


def logout_url(provider: Provider, id_token: str, after: str) -> str | None:
    """The provider's own sign-out address, when it advertises one (RP-initiated logout)."""
    try:
        endpoint = _client(provider).load_server_metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError, KeyError) as error:
        log.warning("Could not read %s's metadata for sign-out: %r", provider.slug, error)
        return None
    if not endpoint:
        return None
    query = {"client_id": provider.client_id, "post_logout_redirect_uri": after}
    if id_token:
        query["id_token_hint"] = id_token
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"
