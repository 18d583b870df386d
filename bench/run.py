"""`make bench`: serve the portal with gunicorn, load each page with wrk, report ratios to a ceiling app.

Throughput and latency come from wrk; server CPU milliseconds per request come from the
gunicorn workers' user+system time (/proc), the steadiest figure on a shared machine; SQL
queries per page are counted in-process. The report is printed and written as JSON.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path

from bench import authenticator, targets

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DEMO_PASSWORD = "champions-demo-2026"  # champions.demo.DEMO_PASSWORD, without importing the app
TICKS = os.sysconf("SC_CLK_TCK")
# What the TLS proxy in front of the portal adds to every request (README "Production": PROXY_COUNT=1).
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True)


def prepare_database(size: str, env: dict) -> None:
    """Create and seed the benchmark database when it is missing (SQLite: seeded aside, then moved)."""
    size_args = [] if size == "demo" else ["--size", size]
    url = env["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        flask(env, "db", "upgrade")
        flask(env, "seed-demo", "--if-empty", *size_args)
        flask(env, "refresh-statistics")  # prints how long the figures and charts took
        return
    path = Path(url.removeprefix("sqlite:///"))
    if path.exists():
        flask(env, "db", "upgrade")  # a database seeded before the statistics tables existed
        flask(env, "refresh-statistics")
        return
    print(f"Seeding a {size} database at {path} ...", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    seeding = {**env, "DATABASE_URL": f"sqlite:///{partial}"}
    flask(seeding, "db", "upgrade")
    flask(seeding, "seed-demo", *size_args)
    partial.rename(path)


class Server:
    """gunicorn with two workers on 127.0.0.1, stopped when the benchmark ends."""

    def __init__(self, app: str, env: dict, workers: int = 2):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--no-control-socket",
                "--log-level",
                "warning",
                app,
            ],
            cwd=ROOT,
            env=env,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start on {self.url}")

    def cpu_seconds(self) -> float:
        """User plus system time of the workers (the master's children)."""
        total = 0
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


# How a request reaches the portal: (url, headers, body or None) -> (Location or "", Set-Cookies, body).
# Over HTTP here; bench/profile.py passes one that calls the app in-process, to sign in the same way.
Transport = Callable[[str, dict, bytes | None], tuple[str, list[str], str]]


def over_http(url: str, headers: dict, data: bytes | None) -> tuple[str, list[str], str]:
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.build_opener(NoRedirect).open(request) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        return response.headers.get("Location", ""), cookies, response.read().decode()


def _open(url: str, cookies: SimpleCookie, data: bytes | None = None, send: Transport = over_http) -> str:
    """One request as the browser behind the TLS proxy sends it; keep the cookies it sets."""
    return _request(url, cookies, data, send)[1]


def _request(
    url: str, cookies: SimpleCookie, data: bytes | None = None, send: Transport = over_http
) -> tuple[str, str]:
    """One request as `_open` sends it: the redirect's Location (or "") and the body."""
    headers = {**PROXY_HEADERS}
    if data is not None:
        # Over https, Flask-WTF checks that a form came from this site, as a browser's Referer says.
        headers["Referer"] = "https://" + urllib.parse.urlsplit(url).netloc + urllib.parse.urlsplit(url).path
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
    location, set_cookies, body = send(url, headers, data)
    for header in set_cookies:
        cookies.load(header)
    return location, body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Stop at a redirect, as the cookies it sets are all the sign-in needs."""

    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, request, response, code, message, headers):
        return response

    http_error_303 = http_error_301 = http_error_307 = http_error_302


def _csrf(form: str) -> str:
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', form
    )
    return next(g for g in token.groups() if g)


def _post(url: str, cookies: SimpleCookie, fields: dict, send: Transport = over_http) -> tuple[str, str]:
    """Fetch a form, then send it with its CSRF token, as a browser would."""
    form = _open(url, cookies, send=send)
    data = urllib.parse.urlencode({**fields, "csrf_token": _csrf(form)}).encode()
    return _request(url, cookies, data, send)


def session_cookie(base: str, email: str, database_url: str, send: Transport = over_http) -> str:
    """Sign in through the real forms and return the Cookie header value.

    The portal runs in production mode, so its cookies are Secure: the requests say they came through
    the TLS proxy (X-Forwarded-Proto: https) and the cookies are sent back by hand, as a browser would
    over https. A coordinator gives the code of their second factor (bench/authenticator.py), setting
    one up on the real setup page the first time.
    """
    cookies = SimpleCookie()
    fields = {"email": email, "password": DEMO_PASSWORD}
    location, _body = _post(base + "/account/sign-in", cookies, fields, send)
    if location.startswith("/account/sign-in/code"):
        _post(base + "/account/sign-in/code", cookies, {"code": authenticator.code(database_url)}, send)
    elif location.startswith("/account/second-factor"):
        setup = _open(base + "/account/second-factor", cookies, send=send)
        authenticator.remember(database_url, authenticator.setup_key(setup))
        code = authenticator.code(database_url)
        _request(
            base + "/account/second-factor",
            cookies,
            urllib.parse.urlencode({"code": code, "csrf_token": _csrf(setup)}).encode(),
            send,
        )
    if "remember_token" not in cookies and "session" not in cookies:
        raise RuntimeError(f"Signing in as {email} set no session cookie")
    return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())


def wrk(url: str, duration: int, connections: int, cookie: str | None) -> dict:
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--latency",
        url,
    ]
    for name, value in PROXY_HEADERS.items():
        command[1:1] = ["--header", f"{name}: {value}"]
    if cookie:
        command[1:1] = ["--header", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def measure(server: Server, path: str, duration: int, connections: int, cookie: str | None) -> dict:
    before = server.cpu_seconds()
    result = wrk(server.url + path, duration, connections, cookie)
    used = server.cpu_seconds() - before
    result["cpu_ms_per_request"] = round(1000 * used / max(result["requests"], 1), 2)
    return result


def page_facts(env: dict) -> list[dict]:
    """The pages for this database, with SQL statements and single-request latency for each."""
    script = ROOT / "bench" / "query_counts.py"
    out = subprocess.run(
        [str(BIN / "python"), str(script)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def database_env(size: str) -> dict:
    """Settings for seeding and for the ceiling app (development mode, as `flask seed-demo` needs)."""
    default = f"sqlite:///{ROOT / 'instance' / f'bench-{size}.sqlite3'}"
    url = os.environ.get(f"BENCH_DATABASE_URL_{size.upper()}", default)
    return {**os.environ, "APP_ENV": "development", "DATABASE_URL": url}


def production_env(env: dict) -> dict:
    """Serve the portal as README's production section does, with what production requires.

    A fresh random SECRET_KEY per run (both workers share it through the environment); a mail server
    name (mail goes out only from `flask send-mail`, which the benchmark never runs); an https BASE_URL;
    PROXY_COUNT=1 because the requests carry what a TLS proxy adds (PROXY_HEADERS), so Secure cookies
    and HSTS behave as they do behind that proxy.
    """
    production = {
        key: value for key, value in env.items() if key not in ("FLASK_DEBUG", "RATELIMIT_STORAGE_URI")
    }
    return {
        **production,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "MAIL_SERVER": "smtp.bench.invalid",
        "BASE_URL": "https://champions.bench.invalid",
        "PROXY_COUNT": "1",
    }


def run_size(size: str, duration: int, connections: int) -> dict:
    """Ceiling first, then every page, against one database size."""
    env = database_env(size)
    prepare_database(size, env)
    serving = production_env(env)
    facts = page_facts(serving)
    ceiling = Server("bench.ceiling:create_app()", env)
    try:
        ceiling_result = measure(ceiling, "/", duration, connections, None)
    finally:
        ceiling.stop()
    portal = Server("wsgi:app", serving)
    rows = []
    try:
        cookies = {}
        for page in facts:
            who = page["who"]
            if who and who not in cookies:
                cookies[who] = session_cookie(portal.url, who, serving["DATABASE_URL"])
            result = measure(portal, page["path"], duration, connections, cookies.get(who))
            result.update(
                page,
                who=who or "anonymous",
                ratio_to_ceiling=round(result["rps"] / ceiling_result["rps"], 3),
                # CPU per request against the ceiling's: the same ratio on a quiet machine,
                # and much steadier on a busy one.
                cpu_ratio_to_ceiling=round(
                    ceiling_result["cpu_ms_per_request"] / max(result["cpu_ms_per_request"], 0.01), 3
                ),
            )
            rows.append(result)
    finally:
        portal.stop()
    return {"ceiling": ceiling_result, "pages": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_SIZES", "medium,large"),
        help="comma-separated: demo, medium, large",
    )
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "5")))
    parser.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", "16")))
    args = parser.parse_args()
    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    if not sizes or any(size not in ("demo", "medium", "large") for size in sizes):
        parser.error("sizes must be demo, medium or large")
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk (make bench does this)", file=sys.stderr)
        return 2

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": args.duration,
        "connections": args.connections,
        "workers": 2,
        "sizes": {},
    }
    for size in sizes:
        print(f"\nMeasuring the {size} database ...", flush=True)
        report["sizes"][size] = run_size(size, args.duration, args.connections)
        print_table(size, report["sizes"][size])
    report["checks"] = targets.check(report)
    targets.print_checks(report["checks"])
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{report['when'].replace(':', '')}-{'-'.join(sizes)}.json"
    target.write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {target.relative_to(ROOT)}")
    return 0


def print_table(size: str, result: dict) -> None:
    ceiling = result["ceiling"]
    print(
        f"\n{size}: ceiling app {ceiling['rps']:.0f} requests/s, p50 {ceiling['p50']}, p99 {ceiling['p99']}, "
        f"{ceiling['cpu_ms_per_request']} ms CPU per request\n"
    )
    header = (
        f"{'page':32} {'req/s':>7} {'ratio':>6} {'p50':>8} {'p99':>8} {'CPU ms':>7} {'CPU r':>6} "
        f"{'1 req':>7} {'SQL':>4} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in result["pages"]:
        print(
            f"{row['name'][:32]:32} {row['rps']:7.0f} {row['ratio_to_ceiling']:6.3f} {row['p50'] or '':>8} "
            f"{row['p99'] or '':>8} {row['cpu_ms_per_request']:7.2f} {row['cpu_ratio_to_ceiling']:6.3f} "
            f"{row['single_request_ms']:7.2f} "
            f"{row['sql_queries']:>4} {row['non_2xx']:>6}"
        )


if __name__ == "__main__":
    sys.exit(main())
