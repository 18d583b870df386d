"""A live portal with demo data, served on 127.0.0.1, and Debian's Chromium driven by Playwright."""

import json
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from champions import create_app, demo
from champions.dashboard import services as dashboard_services
from champions.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def pytest_collection_modifyitems(config, items):
    # This hook sees every collected test, so mark only the ones in this folder.
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and the browser suite cannot run: {reason}")
    pytest.skip(reason)


@contextmanager
def serving(path: Path, **settings):
    """The portal with demo content in a SQLite file, on a free port, in a thread: yields (app, address)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
            "RATELIMIT_ENABLED": False,
            "BASE_URL": "http://127.0.0.1",
            # The crawl signs in as the demo coordinator and admin with a password alone;
            # tests/browser/test_second_factor.py walks the set-up with the requirement on.
            "SECOND_FACTOR_REQUIRED": False,
            **settings,
        }
    )
    with app.app_context():
        upgrade()
        demo.seed_demo()
        dashboard_services.refresh_statistics()  # as `flask seed-demo` does, so the dashboard has charts
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The portal with demo content, on a free port, in a thread."""
    with serving(tmp_path_factory.mktemp("live") / "live.sqlite3") as (_app, address):
        yield address


@pytest.fixture(scope="session")
def browser():
    _require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed")
    _require(AXE.exists(), "axe-core is not installed (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    # axe is injected as an inline script, which our own CSP rightly blocks.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def vnu_jar():
    _require(VNU.exists(), "vnu-jar is not installed (npm ci)")
    _require(shutil.which("java") is not None, "java is not installed")
    return VNU


def tick_box(page, label: str, exact: bool = False) -> None:
    """Tick a checkbox or radio by clicking its label, as a person does, and wait until it is ticked.

    The design system hides the input under a drawn box; a forced click on the input's coordinates can
    land on something else while the page still settles (it did, once, in CI), and the label is what
    people click.
    """
    box = page.get_by_label(label, exact=exact)
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    expect(box).to_be_checked()


@pytest.fixture(scope="session")
def tick():
    """tick(page, label, exact=False): tick a box by its label and wait until it is ticked."""
    return tick_box


@pytest.fixture(scope="session")
def nu_check(vnu_jar):
    """Check HTML files with the Nu Html Checker: nu_check(paths) returns its error messages."""
    return lambda files: nu_messages(vnu_jar, files)


def nu_messages(vnu_jar, files) -> list[dict]:
    """Check HTML files with the Nu Html Checker; return its messages (errors only)."""
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--format", "json", "--stdout", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(result.stdout or '{"messages": []}')["messages"]


def run_axe(page) -> list[dict]:
    """Run axe-core's WCAG 2.2 AA rules on the page; return serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
    return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]


@pytest.fixture(scope="session")
def axe():
    return run_axe


def sign_in_as(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture(scope="session")
def sign_in_page():
    return sign_in_as
