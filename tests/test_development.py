"""Development: `make run` links mail to its own port, prints it readably, seeds quietly, takes a crowd."""

import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from champions import demo, mail
from champions.extensions import db
from champions.mail import OutboxMessage
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
LONG_LINK = "https://portal.example.test/account/verify/" + "a1B2c3D4e5" * 12
# The set-up targets install packages and assets; they are done already wherever the tests run.
SET_UP = [".venv/.installed", "node_modules/.installed", "static/sgds/.copied", ".flaskenv"]


def test_printed_mail_is_decoded_with_whole_links(app, make_user, caplog):
    user = make_user(name="Zoë Ó Súilleabháin")
    mail.queue(
        user.email, "Confirm your email address", "accounts/verify_email", user=user, verify_url=LONG_LINK
    )
    db.session.commit()
    with caplog.at_level("INFO", logger="champions.mail"):
        assert mail.deliver_pending()["sent"] == 1
    assert LONG_LINK in caplog.text
    assert "Zoë Ó Súilleabháin" in caplog.text
    assert "=\n" not in caplog.text and "=C3" not in caplog.text
    assert f"To: {user.email}" in caplog.text and "Subject: Confirm your email address" in caplog.text


def test_mail_held_back_is_not_queued(app, make_user):
    user = make_user()
    with mail.held_back():
        mail.queue(user.email, "Hello", "accounts/verify_email", user=user, verify_url=LONG_LINK)
    db.session.commit()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    mail.queue(user.email, "Hello", "accounts/verify_email", user=user, verify_url=LONG_LINK)
    db.session.commit()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_demo_content_queues_no_email(app):
    assert demo.seed_demo() is True
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def _make_dry_run(*args: str) -> str:
    skip = [arg for target in SET_UP for arg in ("-o", target)]
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL"}}
    return subprocess.run(
        ["make", "--no-print-directory", "-n", *skip, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_run_takes_no_more_requests_at_once_than_the_pool_has_connections(app):
    recipe = _make_dry_run("run", "RUN_WORKERS=3")
    assert "gunicorn" in recipe and "--workers 3" in recipe
    threads = int(re.search(r"--threads (\d+)", recipe).group(1))
    assert threads <= db.engine.pool.size()


class MakeRun:
    """`make run` on a spare port, over its own SQLite file, in its own process group."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.database = tmp_path / "run.sqlite3"
        self.log = (tmp_path / "make-run.log").open("w")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.database}", "PROXY_COUNT": "1"}
        for name in ("BASE_URL", "TEST_DATABASE_URL", "MAKEFLAGS", "MAKELEVEL"):
            env.pop(name, None)
        skip = [arg for target in SET_UP for arg in ("-o", target)]
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", *skip, "run", "HOST=127.0.0.1", f"PORT={self.port}"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_until_serving(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.url + "/", timeout=5).close()
                return
            except OSError:
                time.sleep(0.5)
        raise AssertionError("make run did not serve:\n" + Path(self.log.name).read_text()[-3000:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # make, gunicorn and the mail loop: our group only
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def outbox(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.database) as conn:
            rows = conn.execute("SELECT to_address, body FROM outbox_messages ORDER BY id").fetchall()
        conn.close()
        return rows

    def demo_emails(self, count: int) -> list[str]:
        with sqlite3.connect(self.database) as conn:
            rows = conn.execute(
                "SELECT email FROM users WHERE is_demo AND active AND email_verified_at "
                "IS NOT NULL ORDER BY id LIMIT ?",
                (count,),
            ).fetchall()
        conn.close()
        return [row[0] for row in rows]


@pytest.fixture
def make_run(tmp_path):
    server = MakeRun(tmp_path)
    try:
        server.wait_until_serving()
        yield server
    finally:
        server.stop()


class Browser:
    """A cookie-keeping HTTP client that fills in the CSRF token, from one forwarded address."""

    def __init__(self, base_url: str, address: str):
        self.base_url, self.address = base_url, address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def post_form(self, path: str, fields: dict) -> int:
        headers = {"X-Forwarded-For": self.address}
        page_request = urllib.request.Request(self.base_url + path, headers=headers)
        with self.opener.open(page_request, timeout=120) as page:
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode()).group(1)
        data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method="POST")
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_make_run_serves_quietly_links_to_its_port_and_takes_thirty_sign_ins_at_once(make_run):
    assert make_run.outbox() == []  # the demo content queued nothing

    browser = Browser(make_run.url, "10.5.0.1")
    assert browser.post_form("/account/reset-password", {"email": "admin@example.org"}) == 200
    ((to, body),) = make_run.outbox()
    assert f"http://127.0.0.1:{make_run.port}/account/reset-password/" in body

    emails = make_run.demo_emails(30)
    assert len(emails) == 30

    def sign_in(n: int) -> int:
        browser = Browser(make_run.url, f"10.5.1.{n}")
        return browser.post_form("/account/sign-in", {"email": emails[n], "password": demo.DEMO_PASSWORD})

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(sign_in, range(30)))
    assert statuses == [302] * 30
