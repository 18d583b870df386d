"""Print, as JSON, the benchmark's pages for DATABASE_URL and the SQL statements each runs.

Run by bench/run.py in a subprocess per database size. Each page is requested once to warm up
and once more while counting, with the Flask test client, signed in where the page needs it.
Single-request latency (median of several sequential requests, no load) is measured here too.
bench/run.py runs it with the production settings it serves the portal with.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bench import authenticator
from bench.pages import pages
from champions import create_app
from champions.demo import DEMO_PASSWORD
from champions.extensions import db

SEQUENTIAL = 15


def sign_in(client, email: str) -> None:
    """Sign in through the forms; a coordinator gives their second factor's code (bench/authenticator.py)."""
    database_url = os.environ["DATABASE_URL"]
    location = (
        client.post("/account/sign-in", data={"email": email, "password": DEMO_PASSWORD}).location or ""
    )
    if location.startswith("/account/sign-in/code"):
        client.post("/account/sign-in/code", data={"code": authenticator.code(database_url)})
    elif location.startswith("/account/second-factor"):
        setup = client.get("/account/second-factor").get_data(as_text=True)
        authenticator.remember(database_url, authenticator.setup_key(setup))
        client.post("/account/second-factor", data={"code": authenticator.code(database_url)})


def main() -> None:
    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        engine = db.engine
        page_list = pages()
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    clients, rows = {}, []
    # Requests run outside any pushed app context, so each gets its own, as in production.
    for name, path, who in page_list:
        if who not in clients:
            clients[who] = app.test_client()
            # As behind the TLS proxy that production mode expects (bench/run.py PROXY_HEADERS).
            clients[who].environ_base.update(HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="127.0.0.1")
            if who:
                sign_in(clients[who], who)
        client = clients[who]
        client.get(path)  # warm up
        statements.clear()
        status = client.get(path).status_code
        queries = len(statements)
        timings = []
        for _ in range(SEQUENTIAL):
            started = time.perf_counter()
            client.get(path)
            timings.append(1000 * (time.perf_counter() - started))
        rows.append(
            {
                "name": name,
                "path": path,
                "who": who,
                "status": status,
                "sql_queries": queries,
                "single_request_ms": round(statistics.median(timings), 2),
            }
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
