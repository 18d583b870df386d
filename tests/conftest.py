"""Shared fixtures: an app with a fresh database per test, clients, factories and a real SMTP server.

The suite runs on SQLite by default. With TEST_DATABASE_URL set (as .ci/run does) it
runs on that PostgreSQL database instead. Migrations run once per session; each test
then starts from empty tables (the reference data from the migration stays).
"""

import copy
import os
import re
import socket
import time
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller
from flask import g
from flask_migrate import upgrade
from sqlalchemy import event, text
from werkzeug.security import generate_password_hash

from champions import create_app
from champions.accounts.models import Role, User
from champions.clock import utcnow
from champions.extensions import db, limiter
from champions.mail import OutboxMessage
from champions.reference.models import REFERENCE_TABLES, CouncilArea

os.environ.setdefault("APP_ENV", "development")  # before any create_app(): production is the default
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_PASSWORD = "correct horse battery staple 42"


def pytest_collection_modifyitems(config, items):
    if POSTGRES_URL:
        return
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="needs TEST_DATABASE_URL (a PostgreSQL server)"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = POSTGRES_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app(_test_config(url))
    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        db.session.remove()
        db.engine.dispose()
    return url


def _test_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "database://",
        "BASE_URL": "https://portal.example.test",
        "MAIL_SERVER": "",
        "REGISTRATION_EMAIL_DOMAINS": [],
        "RECENT_TOTALS_SECONDS": 0,  # tests see each change at once; champions.recent is tested on its own
        # Most tests sign in as coordinators and admins with a password alone; tests/test_second_factor*.py
        # turn the requirement back on, as it is in every deployment.
        "SECOND_FACTOR_REQUIRED": False,
    }


def _empty_tables() -> None:
    """Empty every table a test wrote to, and restart its ids; leave the reference data.

    Emptying all ~60 tables after every test cost more than most tests (TRUNCATE of every table on
    PostgreSQL about 0.2 s), so one statement first finds the tables that have rows or whose id
    sequence has moved, and only those are emptied.
    """
    tables = [t for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
    used = _tables_used(tables)
    if not used:
        return
    _empty_used(tables, used)
    drop_framework_versions_made_by_tests()  # after the assessments that may use them


def _empty_used(tables, used: set[str]) -> None:
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables if t.name in used)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            if table.name in used:
                db.session.execute(table.delete())
    db.session.commit()


def drop_framework_versions_made_by_tests() -> None:
    """The framework tables are reference data (version 1 comes from the migration, id 1), so they are not
    emptied; a test that makes another version (an admin's copy) has it removed here."""
    made = text("SELECT id FROM assessment_frameworks WHERE id > 1")
    if not db.session.scalars(made).first():
        return
    domains = "SELECT id FROM assessment_domains WHERE framework_id > 1"
    db.session.execute(text(f"DELETE FROM assessment_statements WHERE domain_id IN ({domains})"))
    db.session.execute(text("DELETE FROM assessment_domains WHERE framework_id > 1"))
    db.session.execute(text("DELETE FROM assessment_frameworks WHERE id > 1"))
    db.session.commit()


def _tables_used(tables) -> set[str]:
    """Name the tables with rows, and on PostgreSQL also those whose id sequence has been used."""
    checks = " UNION ALL ".join(
        f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables
    )
    used = set(db.session.scalars(text(checks)))
    if db.engine.dialect.name == "postgresql":
        # A row added and deleted within a test leaves the table empty but its sequence moved on;
        # TRUNCATE ... RESTART IDENTITY puts it back, so the next test's ids start at 1 again.
        moved = text(
            "SELECT t.relname FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a' "
            "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_sequences q ON q.sequencename = s.relname "
            "WHERE s.relkind = 'S' AND q.last_value IS NOT NULL"
        )
        names = {t.name for t in tables}
        used |= {name for name in db.session.scalars(moved) if name in names}
    return used


@pytest.fixture
def config_overrides(request):
    """Settings for this test's app: mark a test with @pytest.mark.app_config({...})."""
    marker = request.node.get_closest_marker("app_config")
    return marker.args[0] if marker else {}


def _build_app(database_url: str, overrides: dict):
    app = create_app({**_test_config(database_url), **overrides})

    def fresh_globals():
        # Requests share the app context this fixture pushes, so start each with an empty g,
        # as a real request would (Flask-Login caches the signed-in user there). First of all the
        # hooks, since the app's own hooks read the signed-in user.
        vars(g).clear()

    app.before_request_funcs.setdefault(None, []).insert(0, fresh_globals)
    return app


_SHARED_APPS: dict[str, tuple] = {}
# Caches an app keeps between requests; a test on the shared app starts without them.
_PER_APP_CACHES = ("recent_totals", "reference_items")


@pytest.fixture
def app(request, database_url, config_overrides):
    """The app under test, on a database emptied after each test.

    Building the app compiles ~600 URL rules (about a quarter of a second), so tests without their
    own settings share one app; its settings and caches are put back after each test. A test with
    @pytest.mark.app_config, or marked fresh_app (one that adds routes, say), gets an app of its own.
    """
    own = bool(config_overrides) or request.node.get_closest_marker("fresh_app") is not None
    if own:
        app = _build_app(database_url, config_overrides)
    else:
        if database_url not in _SHARED_APPS:
            shared = _build_app(database_url, {})
            _SHARED_APPS[database_url] = (shared, dict(vars(limiter)))
        app, limiter_state = _SHARED_APPS[database_url]
        # Flask-Limiter is one object for every app and keeps the settings (enabled, storage) of the
        # app built last, which may be another test's; give it back the shared app's.
        vars(limiter).clear()
        vars(limiter).update(limiter_state)
    settings = copy.deepcopy(dict(app.config))
    for name in _PER_APP_CACHES:
        app.extensions.pop(name, None)
    try:
        with app.app_context():
            yield app
            db.session.remove()
            _empty_tables()
            db.session.remove()
            db.engine.dispose()
    finally:
        app.config.clear()
        app.config.update(settings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash():
    # The hash the portal makes (scrypt, N=2^15) takes ~0.1 s to check, paid at every sign-in of every
    # test. Test people get a scrypt hash with a smaller work factor: the same checks, a hundredth of
    # the time. Hashes the portal makes (registration, password changes) keep the real cost.
    return generate_password_hash(TEST_PASSWORD, method="scrypt:256:8:1")


@pytest.fixture
def make_user(app, password_hash):
    counter = iter(range(1, 1_000_000))

    def make(**overrides) -> User:
        n = next(counter)
        area = overrides.pop("council_area", None)
        if area is None and "health_board" not in overrides:
            area = db.session.scalar(db.select(CouncilArea).where(CouncilArea.name == "Fife"))
        values = dict(
            email=f"person{n}@example.org",
            name=f"Test Person {n}",
            password_hash=password_hash,
            role=Role.MEMBER.value,
            email_verified_at=utcnow(),
            council_area=area,
        )
        values.update(overrides)
        if isinstance(values["role"], Role):
            values["role"] = values["role"].value
        user = User(**values)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def sign_in(client):
    def do(user: User, password: str = TEST_PASSWORD, remember: bool = False):
        response = client.post(
            "/account/sign-in",
            data={
                "email": user.email,
                "password": password,
                "remember": "y" if remember else "",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


@pytest.fixture
def as_role(make_user, sign_in):
    """Sign the test client in as a fresh user with the given role; return the user."""

    def become(role: Role | None, **overrides) -> User | None:
        if role is None:
            return None
        user = make_user(role=role, **overrides)
        sign_in(user)
        return user

    return become


@pytest.fixture
def count_queries(app):
    @contextmanager
    def counting():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        db.session.expire_all()  # as in a real request, nothing is cached yet
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def move_clock(monkeypatch):
    """move_clock(seconds): from now on the portal's clock (champions.clock.utcnow) runs that much further
    ahead (on top of any earlier move, or place_clock)."""
    from datetime import datetime, timedelta

    import champions.clock

    ahead = [timedelta(0)]
    clock = champions.clock.datetime  # the clock as it is now (another fixture may have set it)

    class Ahead(datetime):
        @classmethod
        def now(cls, tz=None):
            return clock.now(tz) + ahead[0]

    def move(seconds: float) -> None:
        ahead[0] += timedelta(seconds=seconds)
        monkeypatch.setattr(champions.clock, "datetime", Ahead)

    return move


@pytest.fixture
def place_clock(move_clock):
    """place_clock(moment): the portal's clock reads `moment` now and runs on from there, to run a test at
    an edge (a London midnight, a month's or quarter's end). A naive moment is UTC, as stored; an aware one
    (tzinfo=champions.clock.LONDON) is converted."""
    from datetime import UTC

    import champions.clock

    def place(moment) -> None:
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        move_clock((moment - champions.clock.utcnow()).total_seconds())

    return place


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost; `.messages` holds what it received."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


class _Outbox:
    def messages(self, to: str | None = None) -> list[OutboxMessage]:
        query = db.select(OutboxMessage).order_by(OutboxMessage.id)
        if to:
            query = query.where(OutboxMessage.to_address == to)
        return list(db.session.scalars(query))

    def links(self, to: str) -> list[str]:
        """Every link in the mail queued for one address, oldest first."""
        return [link for m in self.messages(to) for link in re.findall(r"https?://\S+", m.body)]


@pytest.fixture
def outbox(app):
    return _Outbox()


@pytest.fixture
def wait_for():
    return _wait_for


def _wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
