"""Print, as JSON, how many SQL statements each benchmark page runs (for bench/run.py)."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from bench.pages import PAGES  # noqa: E402
from champions import create_app  # noqa: E402
from champions.extensions import db  # noqa: E402

DEMO_PASSWORD = "champions-demo-2026"


def main() -> None:
    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    counts = {}
    clients = {}
    with app.app_context():
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    # Requests run outside any pushed app context, so each gets its own, as in production.
    for _, path, who in PAGES:
        if who not in clients:
            clients[who] = app.test_client()
            if who:
                clients[who].post("/account/sign-in", data={"email": who, "password": DEMO_PASSWORD})
        clients[who].get(path)  # warm up
        statements.clear()
        clients[who].get(path)
        counts[f"{who or 'anonymous'} {path}"] = len(statements)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
