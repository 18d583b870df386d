"""Closing accounts and retention; views and commands call them as `services.<name>`."""

from champions.lifecycle.services.closing import (
    LastAdmin,
    WrongPassword,
    close_on_request,
    close_own_account,
    close_own_account_confirmed,
)
from champions.lifecycle.services.erasure import FORMER_MEMBER, erase
from champions.lifecycle.services.retention import apply_retention

__all__ = [
    "FORMER_MEMBER",
    "LastAdmin",
    "WrongPassword",
    "apply_retention",
    "close_on_request",
    "close_own_account",
    "close_own_account_confirmed",
    "erase",
]
