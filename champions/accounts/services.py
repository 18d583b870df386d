"""Account workflows: registration, verification, sign-in, passwords, roles and the audit log."""

import hashlib
import logging
import secrets
import unicodedata

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from champions import audit, mail, versions
from champions.accounts import passwords, sessions
from champions.accounts.models import Role, User
from champions.clock import utcnow
from champions.extensions import db, limiter
from champions.links import external_url
from champions.reference.models import CouncilArea, HealthBoard
from champions.reference.services import find_or_create_organisation


class TokenInvalid(Exception):
    """The link was altered, has expired or has already been used."""


class EmailNotConfirmed(Exception):
    """The password is right but the email address has not been confirmed yet."""


class WrongPassword(Exception):
    """The current password given does not match."""


class LastAdmin(Exception):
    """The change would leave the portal with no active admin."""


class TooManyAttempts(Exception):
    """Too many sign-in or password-change attempts for this account, address or device: wait a while."""


# A browser that has signed in to an account before carries a signed device token for it, and is
# limited on its own, so strangers who exhaust the other limits cannot lock the owner out.
# Every other attempt counts against its address (over 5 minutes and an hour) and its account.
ADDRESS_LIMITS = (parse("10 per 5 minutes"), parse("30 per hour"))
ACCOUNT_LIMIT = parse("10 per 5 minutes")
DEVICE_LIMIT = parse("10 per 5 minutes")
# Wrong current passwords on the change-password page, per signed-in account.
PASSWORD_CHANGE_LIMIT = parse("10 per 5 minutes")
DEVICE_TOKEN_MAX_AGE = 60 * 60 * 24 * 365
log = logging.getLogger(__name__)
# Used only while the shared counter store is failing, so sign-in keeps working, limited per process.
_fallback = FixedWindowRateLimiter(MemoryStorage())

Reservation = list[tuple[RateLimitItem, str]]


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFC", email).strip().lower()


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"accounts.{purpose}")


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def password_context(name: str, email: str, organisation: str = "") -> list[str]:
    """Words a guesser would try first for this person."""
    local_part = email.lower().partition("@")[0]
    return [
        *name.lower().split(),
        "".join(name.lower().split()),
        *local_part.replace(".", " ").split(),
        local_part.replace(".", ""),
        *organisation.lower().split(),
    ]


def resolve_workplace(choice: str) -> tuple[CouncilArea | None, HealthBoard | None]:
    """Turn 'area:<slug>' or 'board:<slug>' into the council area or NHS board."""
    kind, _, slug = choice.partition(":")
    if kind == "area":
        return db.session.scalar(select(CouncilArea).where(CouncilArea.slug == slug)), None
    if kind == "board":
        return None, db.session.scalar(select(HealthBoard).where(HealthBoard.slug == slug))
    return None, None


def register(
    name: str, email: str, password: str, organisation: str, workplace: str, retry: bool = True
) -> User | None:
    """Create an unverified account and queue its verification email.

    When the address already has an account, nothing is created; the owner is told
    by email instead, so the page the visitor sees is the same either way.
    """
    existing = user_by_email(email)
    password_hash = passwords.hash_password(password)  # the same work either way
    if existing:
        _tell_owner_of_registration_attempt(existing)
        return None
    area, board = resolve_workplace(workplace)
    user = User(
        name=" ".join(name.split()),
        email=normalise_email(email),
        password_hash=password_hash,
        organisation=find_or_create_organisation(organisation, council_area=area),
        council_area=area,
        health_board=board,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        # Someone registered the same address (or organisation) a moment ago.
        db.session.rollback()
        existing = user_by_email(email)
        if existing is None:
            if not retry:
                raise
            return register(name, email, password, organisation, workplace, retry=False)
        _tell_owner_of_registration_attempt(existing)
        return None
    queue_verification(user)
    db.session.commit()
    return user


def _tell_owner_of_registration_attempt(user: User) -> None:
    mail.queue(
        user.email,
        "Someone tried to register with your email address",
        "accounts/already_registered",
        user=user,
        sign_in_url=external_url("accounts.sign_in"),
        reset_url=external_url("accounts.reset_request"),
    )
    db.session.commit()


def queue_verification(user: User) -> None:
    token = _serializer("verify").dumps({"uid": user.id, "email": user.email})
    mail.queue(
        user.email,
        "Confirm your email address",
        "accounts/verify_email",
        user=user,
        verify_url=external_url("accounts.verify", token=token),
    )


def user_to_verify(token: str) -> User:
    """Return the user a verification link is for, changing nothing."""
    try:
        data = _serializer("verify").loads(token, max_age=current_app.config["EMAIL_TOKEN_MAX_AGE"])
    except (BadSignature, SignatureExpired) as error:
        raise TokenInvalid from error
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        raise TokenInvalid
    return user


def verify_email(token: str) -> User:
    """Mark the address in a verification link as confirmed."""
    user = user_to_verify(token)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


def _email_digest(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode("utf-8", "replace")).hexdigest()


def device_token(user: User) -> str:
    """Sign a token that marks this browser as one the user has signed in from."""
    return _serializer("device").dumps({"e": _email_digest(user.email), "n": secrets.token_hex(8)})


def _device_id(email: str, token: str | None) -> str | None:
    if not token:
        return None
    try:
        data = _serializer("device").loads(token, max_age=DEVICE_TOKEN_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or data.get("e") != _email_digest(email):
        return None
    return str(data.get("n"))


def hit_limit(item: RateLimitItem, key: str, cost: int = 1, scope: str = "sign-in") -> bool:
    """Count against a limit in the shared store (every worker sees it), or in memory when it is down."""
    try:
        return limiter.limiter.hit(item, scope, key, cost=cost)
    except limiter.limiter.storage.base_exceptions:
        log.warning("Rate limit storage unreachable - falling back to in-memory storage for %s limits", scope)
        return _fallback.hit(item, scope, key, cost=cost)


def _hit(item: RateLimitItem, key: str, cost: int = 1) -> bool:
    return hit_limit(item, key, cost)


def reserve_sign_in(email: str, address: str, device: str | None) -> Reservation:
    """Count one attempt against every limit it falls under, before any password is checked.

    Each count is one atomic increment that returns the new total, so many simultaneous attempts
    cannot all read a total under the limit and then all go ahead.
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return []
    device_id = _device_id(email, device)
    if device_id:
        reserved = [(DEVICE_LIMIT, f"device:{device_id}")]
    else:
        reserved = [(item, f"address:{address}") for item in ADDRESS_LIMITS]
        reserved.append((ACCOUNT_LIMIT, f"email:{_email_digest(email)}"))
    return _reserve(reserved)


def _reserve(reserved: Reservation) -> Reservation:
    """Count one attempt against each limit, atomically; refuse it when any limit is passed."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return []
    allowed = [_hit(item, key) for item, key in reserved]
    if not all(allowed):
        raise TooManyAttempts
    return reserved


def release_sign_in(reserved: Reservation) -> None:
    """Give back the attempts of a sign-in that was right, so only failures count."""
    for item, key in reserved:
        _hit(item, key, cost=-1)


def sign_in(email: str, password: str, address: str, device: str | None) -> User | None:
    """Reserve an attempt, then check the credentials; a right password does not count."""
    reserved = reserve_sign_in(email, address, device)
    try:
        user = authenticate(email, password)
    except EmailNotConfirmed:
        release_sign_in(reserved)
        raise
    if user:
        release_sign_in(reserved)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, doing the same work when there is none."""
    user = user_by_email(email)
    valid = passwords.check_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.active:
        return None
    if user.email_verified_at is None:
        # Only someone who knows the password learns this, so it reveals nothing new.
        queue_verification(user)
        db.session.commit()
        raise EmailNotConfirmed
    return user


def record_sign_in(user: User) -> None:
    """Note when the user last signed in."""
    user.last_signed_in_at = utcnow()
    db.session.commit()


def end_sessions(user: User) -> None:
    """Make every existing session and remember-me cookie for this user stop working."""
    user.session_version += 1


def sign_out(user: User) -> None:
    """End this browser's session only: the person's other devices stay signed in."""
    sessions.end(user, user.session_record_id or 0)


def _reset_fingerprint(user: User) -> str:
    # Tied to the current hash: once the password changes, the link no longer works.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account, or say there is none.

    Either way one message is queued, so the page and its timing are the same.
    """
    user = user_by_email(email)
    if user is None or not user.active:
        mail.queue(
            normalise_email(email),
            "Resetting your password",
            "accounts/reset_no_account",
            register_url=external_url("accounts.register"),
        )
        db.session.commit()
        return
    token = _serializer("reset").dumps({"uid": user.id, "fp": _reset_fingerprint(user)})
    mail.queue(
        user.email,
        "Reset your password",
        "accounts/reset_password",
        user=user,
        reset_url=external_url("accounts.reset_password", token=token),
    )
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    try:
        data = _serializer("reset").loads(token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"])
    except (BadSignature, SignatureExpired) as error:
        raise TokenInvalid from error
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _reset_fingerprint(user):
        raise TokenInvalid
    return user


def set_password(user: User, new_password: str) -> None:
    """Store a new password and end every other session.

    Only while the password is the one read (the reset link's fingerprint, the current password checked):
    the same form sent twice at once changes it, and emails about it, once; the second finds it done.
    """
    new_hash = passwords.hash_password(new_password)  # slow on purpose: before the row is held
    if not versions.take(user, User.password_hash == user.password_hash):
        return
    user.password_hash = new_hash
    user.password_changed_at = utcnow()
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the reset link proved they read this inbox
    end_sessions(user)
    mail.queue(
        user.email,
        "Your password was changed",
        "accounts/password_changed",
        user=user,
        reset_url=external_url("accounts.reset_request"),
    )
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Reserve an attempt, check the current password, then replace it; a right password does not count."""
    # Counted before the check, as sign-in is: a count read before and written after let many
    # simultaneous guesses all see a total under the limit.
    reserved = _reserve([(PASSWORD_CHANGE_LIMIT, f"password-change:{user.id}")])
    if not passwords.check_password(user.password_hash, current_password):
        raise WrongPassword
    release_sign_in(reserved)
    set_password(user, new_password)
    sessions.keep_through_new_version(user, user.session_record_id)  # this session stays signed in


def update_profile(user: User, name: str, organisation: str, workplace: str, seen: int | None = None) -> None:
    """Save a person's own details; a save over a newer version than `seen` raises versions.Stale."""
    versions.claim(user, seen)
    area, board = resolve_workplace(workplace)
    user.name = " ".join(name.split())
    user.organisation = find_or_create_organisation(organisation, council_area=area)
    user.council_area, user.health_board = area, board
    db.session.commit()


def workplace_value(user: User) -> str:
    if user.council_area:
        return f"area:{user.council_area.slug}"
    return f"board:{user.health_board.slug}" if user.health_board else ""


def hold_active_admins() -> int:
    """Count the active admins, holding their rows until commit (no commit).

    "Is there another admin?" is read, then the write comes later: two admins taking each other's role (or
    deactivating each other) at once would both count two and leave none. Held, the second waits for the
    first's commit and counts what it left. SQLite ignores FOR UPDATE and reads outside a transaction, so
    there a write that changes nothing takes the database's write lock first.
    """
    admins = (User.role >= Role.ADMIN, User.active.is_(True))
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(User).where(*admins).values(role=User.role),
            execution_options={"synchronize_session": False},
        )
        return db.session.scalar(select(func.count(User.id)).where(*admins))
    return len(db.session.scalars(select(User.id).where(*admins).order_by(User.id).with_for_update()).all())


def change_role(actor: User, user: User, role: Role) -> None:
    """Give a user a new role (admins only: the view checks), ending their sessions."""
    if user.role == role:
        return
    if user.is_admin and role < Role.ADMIN and hold_active_admins() <= 1:
        db.session.rollback()
        raise LastAdmin
    # Only while the role is as read: the same change sent twice at once is made (and audited) once.
    if not versions.take(user, User.role == user.role):
        return
    assign_role(actor, user, role)
    db.session.commit()


def assign_role(actor: User | None, user: User, role: Role) -> None:
    """Set the role, audit it and end the user's sessions (no commit: saved with its cause)."""
    audit.record(actor, "role.change", user, f"{user.role_enum.label} to {role.label}")
    user.role = role.value
    end_sessions(user)


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate or reactivate an account; deactivation signs it out everywhere."""
    if user.active == active:
        return
    if not active and user.is_admin and hold_active_admins() <= 1:
        db.session.rollback()
        raise LastAdmin
    if not versions.take(user, User.active.is_(not active)):  # the same change sent twice at once: once
        return
    audit.record(actor, "account.activate" if active else "account.deactivate", user)
    user.active = active
    end_sessions(user)
    db.session.commit()


def users_page(page: int, query: str = "", per_page: int = 50):
    statement = select(User).order_by(User.name, User.id)
    if query:
        needle = query.lower()
        statement = statement.where(
            func.lower(User.name).contains(needle, autoescape=True)
            | User.email.contains(needle, autoescape=True)
        )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: the id carries the session version and record, which must both still hold."""
    parts = user_id.split(":")
    if len(parts) != 3 or not all(part.isdecimal() for part in parts):
        return None  # an id from before session records (or a made-up one) signs in again
    raw_id, version, record_id = (int(part) for part in parts)
    loaded = sessions.load(raw_id, record_id)
    if loaded is None:
        return None
    user, record = loaded
    if user.session_version != version or not user.is_active:
        return None
    user.session_record_id, user.session_seen_at = record.id, record.last_seen_at
    return user


# One-click links in emails that turn a kind of email off. They work without signing in (a person
# reading email on a phone should not need to), so each names the person, signed with a salt per kind.
class UnsubscribeInvalid(Exception):
    """The link was altered, made for another kind of email, or names no account in use."""


def _unsubscribe_serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def unsubscribe_token(user: User, salt: str) -> str:
    """Sign a token naming this person, for the kind of email the salt stands for."""
    return _unsubscribe_serializer(salt).dumps({"uid": user.id})


def person_for_unsubscribe_token(token: str, salt: str) -> User:
    """Return the person a token names, or raise UnsubscribeInvalid."""
    try:
        data = _unsubscribe_serializer(salt).loads(token)
    except BadSignature as error:
        raise UnsubscribeInvalid from error
    user_id = data.get("uid") if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.is_closed:
        raise UnsubscribeInvalid
    return user
