"""Two real gunicorn processes over the test database, and a small cookie-keeping HTTP client.

The servers are started once for the module and share one SECRET_KEY, as several app
servers behind a load balancer would. They read everything else from the environment,
like production: rate limits are on and stored in the default `database://` store.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from champions.accounts.passwords import hash_password

ROOT = Path(__file__).resolve().parents[2]
MEMBER_PASSWORD = "a long and calm scale-out password 7"
SHARED_SECRET_KEY = "scale-out-test-secret-key-shared-by-both-processes-0123456789"
WORKERS_PER_PROCESS = 2
# Threads let many requests be in flight at once, so a missing lock fails the capacity test
# every time rather than now and then.
THREADS_PER_WORKER = 4
START_TIMEOUT = 60.0  # only reached when a server fails to start; a loaded CI machine is slow


class Server:
    """One gunicorn master with its workers, serving wsgi:app on a free port of 127.0.0.1."""

    def __init__(self, name: str, database_url: str, log_path: Path, extra_env: dict | None = None):
        self.name = name
        self.port = _free_port()
        self.base = f"127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"RATELIMIT_STORAGE_URI", "PROXY_COUNT", "FLASK_DEBUG", "TEST_DATABASE_URL"}
        }
        env.update(
            APP_ENV="development",
            DATABASE_URL=database_url,
            SECRET_KEY=SHARED_SECRET_KEY,
            MAIL_SERVER="",
            BASE_URL="https://portal.example.test",
            **(extra_env or {}),
        )
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(WORKERS_PER_PROCESS),
                "--threads",
                str(THREADS_PER_WORKER),
                "--bind",
                self.base,
                "--no-control-socket",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, deadline: float) -> None:
        """Poll /healthz until the database answers through this server."""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if Browser().get(self, "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn {self.name} did not start:\n{self.log_path.read_text()[-3000:]}")

    def ask_to_stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        self.ask_to_stop()
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Response:
    """What came back: status, headers and the body as text."""

    def __init__(self, status: int, headers, body: str):
        self.status, self.headers, self.text = status, headers, body

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """Keeps cookies like a browser behind a load balancer: one jar, whichever server answers."""

    def __init__(self, cookies: dict[str, str] | None = None):
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(self, server: Server, method: str, path: str, form: dict | None = None) -> Response:
        connection = http.client.HTTPConnection(server.base, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            self._store(header)
        return response

    def _store(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
            if expired or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, server: Server, path: str) -> Response:
        return self.request(server, "GET", path)

    def submit(self, server: Server, path: str, form: dict) -> Response:
        """Open the form's page and post it with its CSRF token."""
        page = self.get(server, path)
        assert page.status == 200, page.text[:300]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        assert token, "no CSRF token on " + path
        return self.request(server, "POST", path, {**form, "csrf_token": token.group(1)})


@pytest.fixture(scope="module")
def servers(database_url, tmp_path_factory):
    """Processes A and B, both serving the one test database; any error they logged fails the module."""
    logs = tmp_path_factory.mktemp("gunicorn")
    started = []
    try:
        for name in ("A", "B"):
            started.append(Server(name, database_url, logs / f"{name}.log"))
        deadline = time.monotonic() + START_TIMEOUT
        for server in started:
            server.wait_until_ready(deadline)
        yield tuple(started)
    finally:
        for server in started:
            server.ask_to_stop()  # both at once: each takes about a second to finish
        for server in started:
            server.stop()
    for server in started:
        logged = server.log_path.read_text()
        assert "Traceback" not in logged, f"gunicorn {server.name} logged an error:\n{logged[-3000:]}"


@pytest.fixture
def make_browser():
    """A new visitor, optionally holding cookies copied from another one."""

    def make(cookies: dict[str, str] | None = None) -> Browser:
        return Browser(cookies)

    return make


@pytest.fixture
def sign_in_over_http():
    def sign_in(browser: Browser, server: Server, email: str, password: str, remember: bool = False):
        response = browser.submit(
            server,
            "/account/sign-in",
            {"email": email, "password": password, "remember": "y" if remember else ""},
        )
        assert response.status == 302, response.text[:500]
        return response

    return sign_in


@pytest.fixture(scope="session")
def member_password_hash():
    return hash_password(MEMBER_PASSWORD)


@pytest.fixture
def member_password():
    return MEMBER_PASSWORD


@pytest.fixture
def make_member(make_user, member_password_hash):
    """make_user, with a password the tests know, to sign in through the real form."""

    def make(**overrides):
        return make_user(password_hash=member_password_hash, **overrides)

    return make
