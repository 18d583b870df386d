"""Settings read from the environment, in one place."""

import json
import os
import secrets
from pathlib import Path

WEAK_SECRETS = {"change-me", "changeme", "dev", "secret", "development"}


class ConfigError(RuntimeError):
    """Raised when the app is started with settings that are unsafe."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _days(env, name: str, default: int) -> int:
    value = env.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


def _development_secret(instance_path: Path) -> str:
    """Read or create a random key kept in instance/ for development.

    Workers that start together must agree on one key, or a session made by one would be
    refused by another: the key is written aside and linked into place, so the first wins.
    """
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        draft = instance_path / f"secret_key.{os.getpid()}.{secrets.token_hex(8)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(draft, key_file)  # atomic; fails if another process made the key first
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


PROVIDER_KEYS = {"slug", "issuer", "client_id", "client_secret", "name"}


def _providers(value: str) -> list[dict]:
    """Read OIDC_PROVIDERS: a JSON list of organisation sign-in providers (none when unset)."""
    if not value.strip():
        return []
    try:
        providers = json.loads(value)
    except ValueError as error:
        raise ConfigError(f"OIDC_PROVIDERS is not valid JSON: {error}") from error
    if not isinstance(providers, list) or not all(isinstance(p, dict) for p in providers):
        raise ConfigError("OIDC_PROVIDERS must be a JSON list of objects.")
    for provider in providers:
        if missing := PROVIDER_KEYS - provider.keys():
            raise ConfigError(f"An OIDC_PROVIDERS entry lacks {', '.join(sorted(missing))}.")
        if not str(provider["slug"]).replace("-", "").isalnum() or len(provider["slug"]) > 40:
            raise ConfigError("An OIDC_PROVIDERS slug must be up to 40 letters, digits and hyphens.")
    return providers


def _production_problems(env, secret: str) -> list[str]:
    problems = []
    if len(secret) < 32 or secret in WEAK_SECRETS:
        problems.append("SECRET_KEY must be a random value of at least 32 characters.")
    if _bool(env.get("FLASK_DEBUG")):
        problems.append("FLASK_DEBUG must not be set: the debugger must never run in production.")
    if not env.get("MAIL_SERVER"):
        problems.append("MAIL_SERVER must be set, or no email would ever be delivered.")
    if not env.get("BASE_URL", "").startswith("https://"):
        problems.append("BASE_URL must be the portal's public https:// address.")
    return problems


def from_environment(instance_path: Path) -> dict:
    """Build the Flask config mapping from environment variables.

    The app runs as production unless APP_ENV=development says otherwise, so a
    forgotten setting fails closed. The Makefile and the tests set development.
    """
    env = os.environ
    production = env.get("APP_ENV", "production").strip().lower() != "development"
    default_db = f"sqlite:///{instance_path / 'champions.sqlite3'}"
    secret = env.get("SECRET_KEY", "")
    if production and (problems := _production_problems(env, secret)):
        raise ConfigError(
            "The portal is running in production mode (set APP_ENV=development for a local copy), "
            "and these settings are needed: " + " ".join(problems)
        )
    database_url = env.get("DATABASE_URL", default_db)
    domains = [d.strip().lower() for d in env.get("REGISTRATION_EMAIL_DOMAINS", "").split(",")]
    return {
        "PRODUCTION": production,
        "DEBUG": False if production else _bool(env.get("FLASK_DEBUG")),
        "SECRET_KEY": secret or _development_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A server database can drop idle connections: one idle for longer than this is tested before use
        # (champions.connection_checks), rather than every one on every request.
        "DATABASE_PING_AFTER_IDLE_SECONDS": float(env.get("DATABASE_PING_AFTER_IDLE_SECONDS", "10") or 10),
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25") or 25),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_FROM": env.get("MAIL_FROM", "Trauma Champions Network <no-reply@example.org>"),
        # Reply by email (champions.replies): notification emails carry reply+<token>@REPLY_DOMAIN as their
        # Reply-To, and `flask receive-mail` takes the replies. Unset: no Reply-To, nothing to receive.
        "REPLY_DOMAIN": env.get("REPLY_DOMAIN", "").strip().lower(),
        "REPLY_TOKEN_DAYS": _days(env, "REPLY_TOKEN_DAYS", 30),
        "REPLY_MAX_BYTES": int(env.get("REPLY_MAX_BYTES", "1000000") or 1_000_000),
        "REGISTRATION_EMAIL_DOMAINS": [d for d in domains if d],
        # Organisation sign-in (OpenID Connect): README "Organisation sign-in" describes each entry.
        "OIDC_PROVIDERS": _providers(env.get("OIDC_PROVIDERS", "")),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "database://"),
        # If Redis (or the database) stops answering, count in each process's memory until it is
        # back, rather than failing every sign-in with an error page.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "PROXY_COUNT": int(env.get("PROXY_COUNT", "0") or 0),
        "CONTACT_EMAIL": env.get("CONTACT_EMAIL", ""),
        "RECENT_TOTALS_SECONDS": int(env.get("RECENT_TOTALS_SECONDS", "60") or 0),
        # The rule of five: a count of people below this (but above 0) is shown as "fewer than 5".
        "SMALL_NUMBER_THRESHOLD": 5,
        # Dashboard charts drawn on request (README "The network in figures"): views per refresh, and
        # how many charts one person's requests may draw.
        "DASHBOARD_CHART_VIEWS": int(env.get("DASHBOARD_CHART_VIEWS", "200") or 0),
        "DASHBOARD_CHART_DRAWS": env.get("DASHBOARD_CHART_DRAWS", "200 per hour"),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        # Every form is small; only views marked @accepts_uploads take files (5 of up to 10 MB each).
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "UPLOAD_MAX_CONTENT_LENGTH": 55 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
        # Tokens are bound to the session; no extra timeout, so a long-open form is not lost.
        "WTF_CSRF_TIME_LIMIT": None,
        # Coordinators and admins must use a second factor. Not read from the environment: only a
        # test's settings turn it off, never a deployment.
        "SECOND_FACTOR_REQUIRED": True,
        # A session's "last used" time moves on at most this often, not on every request.
        "SESSION_SEEN_EVERY": 300,
        "EMAIL_TOKEN_MAX_AGE": 60 * 60 * 24 * 3,
        # Who answers for personal data: the privacy notice shows these (champions.lifecycle).
        "PRIVACY_CONTROLLER": env.get("PRIVACY_CONTROLLER", "The Trauma Champions Network (demonstration)"),
        "PRIVACY_ADDRESS": env.get("PRIVACY_ADDRESS", "Example House, 1 Example Street, Edinburgh EH1 1AA"),
        "PRIVACY_CONTACT_EMAIL": env.get("PRIVACY_CONTACT_EMAIL", "privacy@example.org"),
        "DPO_NAME": env.get("DPO_NAME", "The Data Protection Officer"),
        "DPO_EMAIL": env.get("DPO_EMAIL", "dpo@example.org"),
        # Retention periods in days: `flask apply-retention` applies them and the privacy notice shows them.
        "RETENTION_UNCONFIRMED_DAYS": _days(env, "RETENTION_UNCONFIRMED_DAYS", 14),
        "RETENTION_INACTIVE_DAYS": _days(env, "RETENTION_INACTIVE_DAYS", 3 * 365),
        "RETENTION_WARNING_DAYS": _days(env, "RETENTION_WARNING_DAYS", 30),
        "RETENTION_EVENT_NEEDS_DAYS": _days(env, "RETENTION_EVENT_NEEDS_DAYS", 30),
        "RETENTION_OUTBOX_BODY_DAYS": _days(env, "RETENTION_OUTBOX_BODY_DAYS", 90),
        "RETENTION_AUDIT_DAYS": _days(env, "RETENTION_AUDIT_DAYS", 365),
        "RETENTION_RATE_LIMIT_DAYS": _days(env, "RETENTION_RATE_LIMIT_DAYS", 365),
        "RETENTION_SESSION_DAYS": _days(env, "RETENTION_SESSION_DAYS", 30),
        "RETENTION_RECEIVED_MAIL_DAYS": _days(env, "RETENTION_RECEIVED_MAIL_DAYS", 90),
        "RESET_TOKEN_MAX_AGE": 60 * 60,
    }
