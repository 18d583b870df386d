"""The "ceiling" app: one SQLite query and a small Jinja template, under the same gunicorn settings.

Every page of the portal is reported as a ratio to this app's throughput, because absolute
numbers vary between machines and with whatever else the machine is doing.
"""

import sqlite3
import tempfile
from pathlib import Path

from flask import Flask, render_template_string

DATABASE = Path(tempfile.gettempdir()) / "champions-bench-ceiling.sqlite3"
TEMPLATE = """<!doctype html><html lang="en"><head><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ul>{% for row in rows %}<li>{{ row[1] }}</li>{% endfor %}</ul>
</main></body></html>"""


def _prepare() -> None:
    with sqlite3.connect(DATABASE) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)")
        if not conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]:
            conn.executemany("INSERT INTO items (name) VALUES (?)", [(f"Item {n}",) for n in range(20)])


def create_app() -> Flask:
    _prepare()
    app = Flask(__name__)

    @app.route("/")
    def index():
        with sqlite3.connect(DATABASE) as conn:
            rows = conn.execute("SELECT id, name FROM items ORDER BY id LIMIT 10").fetchall()
        return render_template_string(TEMPLATE, title="Ceiling", rows=rows)

    return app
