"""Reply addresses: `reply+<token>@REPLY_DOMAIN`, naming a person and the thread or conversation they answer.

The token is a signed, compact binary claim: the kind and id of the thread or conversation, the person's
id, when it expires (in whole minutes) and a 4-byte nonce, with an HMAC-SHA256 (truncated to 80 bits)
keyed from SECRET_KEY. It is written in base32 without padding, in lower case, so it fits an email's local
part (44 characters; `reply+` and the token make 50, under the limit of 64) and survives a mail server
that changes the letter case of addresses (base32 has one letter case: it is read back in upper case).
"""

import base64
import binascii
import hashlib
import hmac
import os
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from champions.clock import utcnow

PREFIX = "reply+"
KINDS = {"thread": 1, "conversation": 2}
_KIND_NAMES = {number: name for name, number in KINDS.items()}
# kind, person, thread or conversation, expiry in minutes since 1970, nonce: 17 bytes
_PAYLOAD = struct.Struct(">BIII4s")
_MAC_BYTES = 10
_EPOCH = datetime(1970, 1, 1)


class TokenInvalid(Exception):
    """Not a token this portal made: forged, damaged or cut short."""


class TokenExpired(Exception):
    """A genuine token, too old to use; `claim` says whose it was."""

    def __init__(self, claim: "ReplyClaim"):
        super().__init__("expired")
        self.claim = claim


@dataclass(frozen=True)
class ReplyClaim:
    kind: str  # "thread" or "conversation"
    user_id: int
    target_id: int
    expires_at: datetime


def _key() -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"champions.reply-address", hashlib.sha256).digest()


def _mac(payload: bytes) -> bytes:
    return hmac.new(_key(), payload, hashlib.sha256).digest()[:_MAC_BYTES]


def make_token(user_id: int, kind: str, target_id: int, now: datetime | None = None) -> str:
    days = current_app.config["REPLY_TOKEN_DAYS"]
    expires = (now or utcnow()) + timedelta(days=days)
    minutes = int((expires - _EPOCH).total_seconds() // 60)
    payload = _PAYLOAD.pack(KINDS[kind], user_id, target_id, minutes, os.urandom(4))
    return base64.b32encode(payload + _mac(payload)).decode().rstrip("=").lower()


def read_token(token: str, now: datetime | None = None) -> ReplyClaim:
    """The claim a token makes; TokenInvalid unless this portal signed it, TokenExpired when too old."""
    if not token.isascii() or len(token) > 64:  # before upper(): "ß".upper() is "SS", a second spelling
        raise TokenInvalid
    text = token.upper()
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as error:
        raise TokenInvalid from error
    # Only the one spelling this portal writes: the last letter has spare bits that decoding ignores.
    if len(raw) != _PAYLOAD.size + _MAC_BYTES or base64.b32encode(raw).decode().rstrip("=") != text:
        raise TokenInvalid
    payload, mac = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
    if not hmac.compare_digest(mac, _mac(payload)):
        raise TokenInvalid
    kind, user_id, target_id, minutes, _nonce = _PAYLOAD.unpack(payload)
    if kind not in _KIND_NAMES:
        raise TokenInvalid
    claim = ReplyClaim(_KIND_NAMES[kind], user_id, target_id, _EPOCH + timedelta(minutes=minutes))
    if claim.expires_at <= (now or utcnow()):
        raise TokenExpired(claim)
    return claim


def domain() -> str:
    return (current_app.config.get("REPLY_DOMAIN") or "").strip().lower()


def address(user_id: int, kind: str, target_id: int) -> str | None:
    """The person's reply address for this thread or conversation; None when replies by email are off."""
    if not domain():
        return None
    return f"{PREFIX}{make_token(user_id, kind, target_id)}@{domain()}"


def headers(user_id: int, kind: str, target_id: int) -> dict:
    """A Reply-To header for a notification email, or none when REPLY_DOMAIN is not set."""
    reply_to = address(user_id, kind, target_id)
    return {"Reply-To": reply_to} if reply_to else {}


def token_in(recipient: str) -> str | None:
    """The token of a reply address at our domain (any letter case), or None for any other address."""
    local, at, host = recipient.strip().strip("<>").rpartition("@")
    if not at or not domain() or host.lower() != domain():
        return None
    if not local.lower().startswith(PREFIX) or len(local) > 64:
        return None
    return local[len(PREFIX) :] or None
