"""The password policy: long enough, not common, not guessable; no composition rules."""

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_SCORE = 3
# zxcvbn refuses more than 72 characters (and its cost grows with length); a
# longer password is scored on its start, and the whole of it is still hashed.
SCORED_LENGTH = 72
SERVICE_WORDS = [
    "trauma",
    "champion",
    "champions",
    "traumachampions",
    "traumachampion",
    "network",
    "scotland",
    "nttp",
    "portal",
    "traumachampionsnetwork",
]

# A valid hash to check against when no account matches, so that a sign-in
# for an unknown address takes as long as one for a known address.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password(password_hash: str | None, password: str) -> bool:
    return check_password_hash(password_hash or _DUMMY_HASH, password) and bool(password_hash)


def password_problem(password: str, context: list[str] | None = None) -> str | None:
    """Return a kind explanation of why a password will not do, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Your password needs at least {MIN_LENGTH} characters. A few words together works well."
    if len(password) > MAX_LENGTH:
        return f"Your password can be up to {MAX_LENGTH} characters. Please choose a shorter one."
    words = SERVICE_WORDS + [w for w in (context or []) if w]
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=words)
    if result["score"] < MIN_SCORE:
        return (
            "That password would be easy for someone to guess. Try a few unrelated words "
            "together, and avoid your name, email address or the name of this service."
        )
    return None
