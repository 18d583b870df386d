"""The demo coordinator's authenticator app, for the benchmark's sign-ins.

Coordinators need a second factor in production mode, and the demo coordinator has none until the
first sign-in sets one up: the benchmark reads the setup key from the real setup page, keeps it (as an
app would, in a file beside the benchmark's databases, one per database) and from then on gives the
code of the current 30-second step. A code is good once, so when the step's code was used already it
waits for the next one, as a person would.
"""

import hashlib
import json
import re
import time
from pathlib import Path

import pyotp

ROOT = Path(__file__).resolve().parent.parent
STEP = 30  # champions.accounts.second_factor.STEP
SETUP_KEY = re.compile(r'class="second-factor-key">([A-Z2-7 ]+)<')


def _state(database_url: str) -> Path:
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:12]
    return ROOT / "instance" / f"bench-authenticator-{digest}.json"


def setup_key(page: str) -> str:
    """The setup key shown on the second-factor setup page, without its spaces."""
    found = SETUP_KEY.search(page)
    if not found:
        raise RuntimeError("The second-factor setup page showed no setup key")
    return found.group(1).replace(" ", "")


def remember(database_url: str, secret: str) -> None:
    path = _state(database_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"secret": secret, "last_step": 0}))


def knows(database_url: str) -> bool:
    return _state(database_url).exists()


def code(database_url: str) -> str:
    """The current code, waiting for a fresh 30-second step if this one's code was used already."""
    path = _state(database_url)
    state = json.loads(path.read_text())
    step = int(time.time()) // STEP
    if step <= state["last_step"]:
        time.sleep((state["last_step"] + 1) * STEP - time.time() + 0.5)
        step = int(time.time()) // STEP
    state["last_step"] = step
    path.write_text(json.dumps(state))
    return pyotp.TOTP(state["secret"], interval=STEP).at(step * STEP)
