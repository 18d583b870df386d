"""Profile signed-in requests in-process, in production mode, and say where the CPU goes per page.

    .venv/bin/python -m bench.profile --size large            # every key page, 30 requests each
    .venv/bin/python -m bench.profile --size large --page thread --top 25

Each page is requested a few times to warm up, then N times under cProfile. Time is grouped by
where it is spent (templates, ORM, SQLite, Flask-Login and so on, from each function's own time)
and the costliest functions are listed by their own time and by cumulative time.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import pages  # noqa: E402
from bench.run import PROXY_HEADERS, database_env, production_env, session_cookie  # noqa: E402

# The key pages (names as bench/pages.py gives them), and "home, anonymous" to compare with.
KEY_PAGES = {
    "home-anonymous": "home, anonymous",
    "home": "home, member",
    "thread": "thread page",
    "category": "category page",
    "event": "event page",
    "events": "events listing",
    "library": "case-study library, filtered",
    "directory": "directory by council area",
    "search-trauma": "site-wide search, 'trauma'",
    "search-wellbeing": "site-wide search, 'wellbeing'",
    "search-phrase": "site-wide search",
    "cs-search": "case-study search",
    # Issue #14's dashboards: the coordinator signs in with a second factor, the champion is Fife's.
    "dashboard": "dashboard, coordinator",
    "dashboard-board": "dashboard, NHS board and sector",
    "dashboard-area": "local dashboard, champion",
}

# Where a function's own time goes, by the first matching piece of its file name.
AREAS = [
    ("templates", ("jinja2", "/templates/", "<template>", "markupsafe")),
    ("ORM", ("sqlalchemy",)),
    ("SQLite", ("sqlite3",)),
    ("psycopg", ("psycopg",)),
    ("Flask-Login", ("flask_login",)),
    ("Flask-WTF/CSRF", ("flask_wtf", "wtforms")),
    ("Flask-Limiter", ("flask_limiter", "limits")),
    ("sessions (itsdangerous)", ("itsdangerous",)),
    ("Markdown", ("markdown", "bleach", "nh3")),
    ("werkzeug", ("werkzeug",)),
    ("flask", ("/flask/",)),
    ("app code", ("/champions/",)),
]


def area(filename: str, name: str) -> str:
    where = f"{filename}:{name}"
    for label, needles in AREAS:
        if any(needle in where for needle in needles):
            return label
    return "other (stdlib, builtins)"


def profile_page(client, path: str, repeat: int) -> tuple[pstats.Stats, float]:
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    profiler = cProfile.Profile(time.process_time)  # CPU time: other work on the machine does not count
    started = time.process_time()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    cpu_ms = 1000 * (time.process_time() - started) / repeat
    return pstats.Stats(profiler), cpu_ms


def report(name: str, stats: pstats.Stats, cpu_ms: float, repeat: int, top: int) -> None:
    by_area = defaultdict(float)
    total = 0.0
    for (filename, _line, function), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        by_area[area(filename, function)] += own
        total += own
    print(f"\n## {name}: {cpu_ms:.2f} CPU ms per request (with the profiler's own overhead)")
    for label, seconds in sorted(by_area.items(), key=lambda item: -item[1]):
        print(f"  {label:28} {100 * seconds / total:5.1f} %  {1000 * seconds / repeat:6.2f} ms")
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][3])
    print("  cumulative (per request):")
    shown = 0
    for (filename, line, function), (_cc, calls, _own, cumulative, _callers) in rows:
        if "/champions/" not in filename and "/templates/" not in filename and "flask_login" not in filename:
            continue
        print(
            f"    {1000 * cumulative / repeat:7.2f} ms  {calls / repeat:6.1f} calls  "
            f"{function} ({filename.split('/site-packages/')[-1].split(str(ROOT) + '/')[-1]}:{line})"
        )
        shown += 1
        if shown >= top:
            break


BASE = "http://localhost"  # the test client's host; the proxy headers make it https, as in bench.run


def in_process(app):
    """bench.run's transport, but calling the app in-process: sign in through the same real forms."""
    browser = app.test_client(use_cookies=False)

    def send(url: str, headers: dict, data: bytes | None) -> tuple[str, list[str], str]:
        response = browser.open(
            url,
            method="GET" if data is None else "POST",
            headers=headers,
            data=data,
            content_type=None if data is None else "application/x-www-form-urlencoded",
        )
        location = response.headers.get("Location", "")
        return location, response.headers.getlist("Set-Cookie"), response.get_data(as_text=True)

    return send


def production_clients(size: str):
    """The portal in production mode on this size's database, its key pages by name, and a client per
    page behind the benchmark's stated TLS proxy: signed in as the page's person (as bench.run signs in,
    with the coordinator's second factor), or a visitor's."""
    env = production_env(database_env(size))
    os.environ.update(env)
    os.environ["SECRET_KEY"] = secrets.token_hex(32)

    from champions import create_app

    app = create_app({"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True})
    with app.app_context():
        listed = pages()
    headers = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in PROXY_HEADERS.items()}
    clients: dict[str | None, object] = {}
    send = in_process(app)
    for _name, _path, who in listed:
        if who in clients:
            continue
        client = app.test_client(use_cookies=False)
        client.environ_base.update(headers)
        if who is not None:
            client.environ_base["HTTP_COOKIE"] = session_cookie(BASE, who, env["DATABASE_URL"], send)
        clients[who] = client
    found = {name: (path, clients[who]) for name, path, who in listed}
    return app, found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", default="large", choices=["demo", "medium", "large"])
    parser.add_argument("--page", action="append", choices=sorted(KEY_PAGES), help="default: all")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    _app, found = production_clients(args.size)
    for key in args.page or list(KEY_PAGES):
        name, (path, client) = next((n, found[n]) for n in found if n.startswith(KEY_PAGES[key]))
        stats, cpu_ms = profile_page(client, path, args.repeat)
        report(f"{name} ({path})", stats, cpu_ms, args.repeat, args.top)


if __name__ == "__main__":
    main()
