"""`make bench`: serve the portal with gunicorn, load each page with wrk, report ratios to a ceiling app.

Throughput and latency come from wrk; server CPU milliseconds per request come from the
gunicorn workers' user+system time (/proc), the steadiest figure on a shared machine; SQL
queries per page are counted in-process. The report is printed and written as JSON.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path

from bench.pages import PAGES

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DEMO_PASSWORD = "champions-demo-2026"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True)


def prepare_database(size: str, env: dict) -> None:
    """Create and seed the benchmark database when it is missing."""
    path = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    if path.exists():
        return
    print(f"Seeding a {size} database at {path} ...", flush=True)
    flask(env, "db", "upgrade")
    flask(env, "seed-demo", *([] if size == "demo" else ["--size", size]))


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


def session_cookie(base: str, email: str) -> str:
    """Sign in through the real form and return the Cookie header value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/account/sign-in").read().decode()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', form
    )
    data = {"email": email, "password": DEMO_PASSWORD, "csrf_token": next(g for g in token.groups() if g)}
    opener.open(base + "/account/sign-in", urllib.parse.urlencode(data).encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


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


def count_queries(env: dict) -> dict[str, int]:
    """SQL statements per page, counted in-process with the Flask test client."""
    script = ROOT / "bench" / "query_counts.py"
    out = subprocess.run(
        [str(BIN / "python"), str(script)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--size", default=os.environ.get("BENCH_SIZE", "demo"), choices=["demo", "medium", "large"]
    )
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk (make bench does this)", file=sys.stderr)
        return 2

    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'instance' / f'bench-{args.size}.sqlite3'}"
        ),
    }
    prepare_database(args.size, env)

    ceiling = Server("bench.ceiling:create_app()", env)
    try:
        ceiling_result = measure(ceiling, "/", args.duration, args.connections, None)
    finally:
        ceiling.stop()

    portal = Server("wsgi:app", env)
    rows = []
    try:
        cookies = {}
        for name, path, who in PAGES:
            if who and who not in cookies:
                cookies[who] = session_cookie(portal.url, who)
            result = measure(portal, path, args.duration, args.connections, cookies.get(who))
            result.update(
                name=name,
                path=path,
                who=who or "anonymous",
                ratio_to_ceiling=round(result["rps"] / ceiling_result["rps"], 3),
            )
            rows.append(result)
    finally:
        portal.stop()

    queries = count_queries(env)
    for row in rows:
        row["sql_queries"] = queries.get(f"{row['who']} {row['path']}")

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": args.size,
        "duration_s": args.duration,
        "connections": args.connections,
        "workers": 2,
        "ceiling": ceiling_result,
        "pages": rows,
    }
    print_table(report)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{report['when'].replace(':', '')}-{args.size}.json"
    target.write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {target.relative_to(ROOT)}")
    return 0


def print_table(report: dict) -> None:
    ceiling = report["ceiling"]
    print(
        f"\nCeiling app: {ceiling['rps']:.0f} requests/s, p50 {ceiling['p50']}, "
        f"{ceiling['cpu_ms_per_request']} ms CPU per request\n"
    )
    header = (
        f"{'page':34} {'req/s':>8} {'ratio':>6} {'p50':>9} {'p99':>9} {'CPU ms':>7} {'SQL':>4} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in report["pages"]:
        queries = "" if row["sql_queries"] is None else row["sql_queries"]
        print(
            f"{row['name'][:34]:34} {row['rps']:8.0f} {row['ratio_to_ceiling']:6.3f} {row['p50'] or '':>9} "
            f"{row['p99'] or '':>9} {row['cpu_ms_per_request']:7.2f} {queries:>4} "
            f"{row['non_2xx']:>6}"
        )


if __name__ == "__main__":
    sys.exit(main())
