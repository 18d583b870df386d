"""`flask backup` and `flask restore`: a copy taken while the portal writes restores whole, table by table."""

import shlex
import sqlite3
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from champions import create_app, demo
from champions.extensions import db
from champions.mail import OutboxMessage

WRITTEN = "outbox_messages"  # the table the writer adds to while the backup runs


def _config(url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": "",
        "BASE_URL": "https://portal.example.test",
        "RECENT_TOTALS_SECONDS": 0,
    }


class Writer(threading.Thread):
    """Add outbox rows, one commit each, until stopped: the portal at work during the backup."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app, self.written, self.stop = app, 0, threading.Event()

    def run(self):
        with self.app.app_context():
            while not self.stop.is_set():
                db.session.add(
                    OutboxMessage(
                        to_address="a@example.org", subject=f"n{self.written}", body="x" * 500, headers={}
                    )
                )
                db.session.commit()
                self.written += 1
            db.session.remove()

    def wait_for(self, count: int):
        while self.written < count and self.is_alive():
            self.stop.wait(0.01)


def _sqlite_tables(path: Path) -> dict[str, list]:
    """Every table of a SQLite file (virtual and shadow search tables too), rows in a stable order."""
    with sqlite3.connect(path) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        tables = {name: sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr) for name in names}
    conn.close()
    return tables


def _assert_same_except_written(source: dict[str, list], restored: dict[str, list]) -> None:
    assert restored.keys() == source.keys()
    for name in source:
        if name != WRITTEN:
            assert restored[name] == source[name], name
    # The busy table holds exactly the rows committed before the snapshot: a prefix, none torn.
    restored_ids = sorted(row[0] for row in restored[WRITTEN])
    assert restored_ids == list(range(1, len(restored_ids) + 1))
    by_id = {row[0]: row for row in source[WRITTEN]}
    assert all(by_id[row[0]] == row for row in restored[WRITTEN])


@pytest.fixture
def seeded(tmp_path):
    """A file database with the demo content, whatever engine the rest of the suite uses."""
    path = tmp_path / "live.sqlite3"
    app = create_app(_config(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        demo.seed_demo()
        db.session.remove()
    yield app, path
    with app.app_context():
        db.engine.dispose()


def _backup(app, directory: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "--to", str(directory)])
    assert result.exit_code == 0, result.output
    assert "Backed up the database to" in result.output
    (made,) = directory.glob("champions-*.sqlite3")
    return made


def test_a_backup_taken_while_the_portal_writes_restores_every_table(seeded, tmp_path):
    app, live = seeded
    seeded_rows = len(_sqlite_tables(live)[WRITTEN])
    writer = Writer(app)
    writer.start()
    try:
        writer.wait_for(20)
        made = _backup(app, tmp_path / "backups")
        before = writer.written
        writer.wait_for(before + 20)  # still writing after the copy was taken
    finally:
        writer.stop.set()
        writer.join()

    fresh = create_app(_config(f"sqlite:///{tmp_path / 'fresh.sqlite3'}"))
    result = fresh.test_cli_runner().invoke(args=["restore", str(made)])
    assert result.exit_code == 0, result.output
    assert "into an empty database" in result.output
    with fresh.app_context():
        db.engine.dispose()

    restored = _sqlite_tables(tmp_path / "fresh.sqlite3")
    _assert_same_except_written(_sqlite_tables(live), restored)
    assert seeded_rows + 20 <= len(restored[WRITTEN]) < seeded_rows + writer.written
    assert len(restored["users"]) > len(demo.DEMO_ACCOUNTS)


def test_restore_refuses_a_database_with_data_unless_forced(seeded, tmp_path):
    app, live = seeded
    made = _backup(app, tmp_path / "backups")
    with app.app_context():
        db.session.add(OutboxMessage(to_address="b@example.org", subject="after", body="", headers={}))
        db.session.commit()
        db.session.remove()

    refused = app.test_cli_runner().invoke(args=["restore", str(made)])
    assert refused.exit_code == 1
    assert "already holds data, so it was left as it is" in refused.output
    assert "--force" in refused.output
    assert any(row[2] == "after" for row in _sqlite_tables(live)[WRITTEN])

    forced = app.test_cli_runner().invoke(args=["restore", "--force", str(made)])
    assert forced.exit_code == 0, forced.output
    assert "replacing the data that was there" in forced.output
    assert _sqlite_tables(live) == _sqlite_tables(made)


def test_a_freshly_migrated_database_counts_as_empty(seeded, tmp_path):
    app, live = seeded
    made = _backup(app, tmp_path / "backups")
    fresh = create_app(_config(f"sqlite:///{tmp_path / 'migrated.sqlite3'}"))
    with fresh.app_context():
        upgrade()  # reference data and the search index's own tables, but nothing of anyone's
        result = fresh.test_cli_runner().invoke(args=["restore", str(made)])
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert "into an empty database" in result.output
    assert _sqlite_tables(tmp_path / "migrated.sqlite3") == _sqlite_tables(made)


def test_restore_refuses_a_file_that_is_not_a_backup(seeded, tmp_path):
    app, live = seeded
    before = _sqlite_tables(live)
    junk = tmp_path / "notes.sqlite3"
    junk.write_bytes(b"these are not the pages you are looking for" * 100)
    result = app.test_cli_runner().invoke(args=["restore", "--force", str(junk)])
    assert result.exit_code == 1
    assert "is not a SQLite database the portal can use" in result.output
    assert _sqlite_tables(live) == before


@pytest.fixture
def empty_postgres(database_url):
    """A new, empty PostgreSQL database on the suite's server, dropped afterwards."""
    server = create_engine(database_url, isolation_level="AUTOCOMMIT")
    name = f"champions_restore_{uuid.uuid4().hex[:8]}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.dispose()


def _run_printed_command(output: str, tool: str) -> None:
    (line,) = [line for line in output.splitlines() if line.startswith(tool + " ")]
    subprocess.run(shlex.split(line), check=True, capture_output=True, timeout=120)


def _pg_tables(url: str) -> dict[str, list]:
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        tables = {name: sorted(conn.execute(select(t)), key=repr) for name, t in metadata.tables.items()}
    engine.dispose()
    return tables


@pytest.mark.postgres
def test_postgres_backup_and_restore_through_the_printed_commands(app, make_user, empty_postgres, tmp_path):
    for _ in range(3):
        make_user()
    writer = Writer(app)
    writer.start()
    try:
        writer.wait_for(20)
        backup_output = app.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path)]).output
        assert "pg_dump" in backup_output
        _run_printed_command(backup_output, "pg_dump")
        writer.wait_for(writer.written + 20)
    finally:
        writer.stop.set()
        writer.join()
    (made,) = tmp_path.glob("champions-*.dump")

    refused = app.test_cli_runner().invoke(args=["restore", str(made)])
    assert refused.exit_code == 1 and "already holds data, so nothing was done" in refused.output

    fresh = create_app(_config(empty_postgres))
    with fresh.app_context():  # the suite's app context is open: the command would use it otherwise
        restore_output = fresh.test_cli_runner().invoke(args=["restore", str(made)]).output
        db.engine.dispose()
    _run_printed_command(restore_output, "pg_restore")

    source = _pg_tables(app.config["SQLALCHEMY_DATABASE_URI"])
    restored = _pg_tables(empty_postgres)
    _assert_same_except_written(source, restored)
    assert len(restored["users"]) == 3
