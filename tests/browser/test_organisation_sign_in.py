"""A newcomer signs in with a work account, completes their profile and reaches the portal, in Chromium.

The provider is the one `OIDC_DEMO=1 make run` starts (scripts/oidc_demo.sh, running tests/oidc/provider.mjs),
so this walks the issue's "Done when" path as a person would, and checks the new pages with axe-core.
"""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import threading

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from champions import create_app
from champions.extensions import db
from tests.browser.conftest import ROOT, _require


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_provider_portal(tmp_path_factory):
    """The portal and the demo work-account provider, each on a free port."""
    _require((ROOT / "node_modules" / "oidc-provider" / "package.json").exists(), "needs npm ci")
    base = f"http://127.0.0.1:{_port()}"
    started = subprocess.run(
        ["bash", str(ROOT / "scripts" / "oidc_demo.sh"), base, str(_port())],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    settings = dict(re.findall(r"^(?:export )?(\w+)=(.*)$", started.stdout, flags=re.MULTILINE))
    pid = int(settings["OIDC_DEMO_PID"])
    try:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path_factory.mktemp('oidc') / 'live.sqlite3'}",
                "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
                "RATELIMIT_ENABLED": False,
                "BASE_URL": base,
                "OIDC_PROVIDERS": json.loads(shlex.split(settings["OIDC_PROVIDERS"])[0]),
            }
        )
        with app.app_context():
            upgrade()  # the reference data (areas, boards) is enough: a newcomer needs no demo content
            db.session.remove()
        server = make_server("127.0.0.1", int(base.rpartition(":")[2]), app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield base
        server.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()
    finally:
        os.kill(pid, signal.SIGTERM)


def test_a_newcomer_signs_in_with_a_work_account_and_completes_their_profile(page, demo_provider_portal, axe):
    base = demo_provider_portal
    page.goto(f"{base}/account/sign-in?next=/events")
    assert axe(page) == []
    page.get_by_role("link", name="Sign in with demo work account").click()
    page.get_by_label("Test account").fill("newcomer")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/account/profile?next=/events")
    expect(page.get_by_role("heading", name="Welcome to the network")).to_be_visible()
    assert axe(page) == []
    page.goto(f"{base}/account")  # nothing else opens until the profile is complete
    assert page.url.startswith(f"{base}/account/profile?next=")
    page.get_by_role("button", name="Save details").click()  # nothing chosen: a kind error, not a 500
    page.wait_for_load_state()
    assert "Choose the council area or NHS board you work in" in page.content()
    assert axe(page) == []
    page.get_by_label("Organisation").fill("NHS Fife")
    page.get_by_label("Council area or NHS board you work in").select_option("area:fife")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_load_state()
    assert "Your details have been saved" in page.content()
    page.goto(f"{base}/account")
    assert "Nia Newcomer" in page.content() and "demo work account" in page.content()
