"""Settings read from the environment, in one place."""

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the app is started with settings that are unsafe."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret(instance_path: Path) -> str:
    """Read or create a random key kept in instance/ for development."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def from_environment(instance_path: Path) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = os.environ
    production = env.get("FLASK_ENV", env.get("APP_ENV", "development")) == "production"
    default_db = f"sqlite:///{instance_path / 'champions.sqlite3'}"
    secret = env.get("SECRET_KEY", "")
    if production and (len(secret) < 32 or secret in {"change-me", "dev", "secret"}):
        raise ConfigError("SECRET_KEY must be set to a random value of at least 32 characters in production.")
    domains = [d.strip().lower() for d in env.get("REGISTRATION_EMAIL_DOMAINS", "").split(",")]
    return {
        "PRODUCTION": production,
        "DEBUG": False if production else _bool(env.get("FLASK_DEBUG")),
        "SECRET_KEY": secret or _development_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL", default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25") or 25),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_FROM": env.get("MAIL_FROM", "Trauma Champions Network <no-reply@example.org>"),
        "REGISTRATION_EMAIL_DOMAINS": [d for d in domains if d],
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "database://"),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "MAX_CONTENT_LENGTH": 55 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
        "EMAIL_TOKEN_MAX_AGE": 60 * 60 * 24 * 3,
        "RESET_TOKEN_MAX_AGE": 60 * 60,
    }
