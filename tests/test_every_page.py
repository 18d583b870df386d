"""Every page, every role (issue #12): each GET rule of the URL map, as each demo role, never gives a 5xx
and never changes a row.

One app and one database seeded with the demo content serve the whole module. Each rule is requested
with ids found in the demo data and again with ids that do not exist. A URL variable the FILL table
cannot fill fails the walk, so a new page is covered as soon as it is added.
"""

import hashlib
import re
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import event, select, text, update

from champions import clock, create_app, demo
from champions.accounts import passwords, permissions, second_factor
from champions.accounts import services as accounts_services
from champions.accounts.models import User
from champions.assessments import services as assessments_services
from champions.assessments.models import Assessment, Domain
from champions.buddies.models import BuddyPairing, BuddyRequest
from champions.casestudies.models import Attachment, CaseStudy
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.discussions.models import Category, Post, Thread
from champions.discussions.services import notify
from champions.events.models import Event, Pledge
from champions.events.services import followups
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.messages import services as messages_services
from champions.messages.models import Conversation
from champions.privacy.models import DataExport
from champions.reference.models import REFERENCE_TABLES
from champions.resources.models import Resource
from champions.returns.models import QuarterlyReturn, ReturnWindow

ROLES = ["anonymous", "member", "champion", "coordinator", "admin"]
UNKNOWN_ID = 999_999_999


def _config(url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "walk-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        # On, as in production, so a GET that counts against a limit shows up in the checksum.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "database://",
        "BASE_URL": "https://portal.example.test",
        "MAIL_SERVER": "",
        "REGISTRATION_EMAIL_DOMAINS": [],
        "RECENT_TOTALS_SECONDS": 0,
    }


def _first(query) -> int:
    value = db.session.scalar(query.limit(1))
    assert value is not None, f"the demo data has nothing for {query}"
    return value


def _published_case_study_with_attachment() -> int:
    return _first(
        select(CaseStudy.id).join(Attachment).where(CaseStudy.status == "published").order_by(CaseStudy.id)
    )


def _demo_user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _token_mailed_to(address: str, path: str) -> str:
    """Return the token in the link under this path in the newest message queued for this address."""
    newest = select(OutboxMessage.body).where(OutboxMessage.to_address == address)
    body = db.session.scalar(newest.order_by(OutboxMessage.id.desc()))
    return re.search(re.escape(path) + r"([\w.\-]+)", body).group(1)


def _verify_token() -> str:
    # A new unverified account each time, so every role's request meets the same state.
    n = db.session.scalar(select(db.func.count(User.id))) + 1
    user = User(email=f"walk-unverified-{n}@example.org", name="Walk Unverified", password_hash="x")
    db.session.add(user)
    db.session.flush()
    accounts_services.queue_verification(user)
    db.session.commit()
    return _token_mailed_to(user.email, "/account/verify/")


def _reset_token() -> str:
    accounts_services.request_password_reset("member@example.org")
    return _token_mailed_to("member@example.org", "/account/reset-password/")


def _export_token() -> str:
    # A ready export of the member's data, asked for by the member: the GET only asks before downloading.
    member = _demo_user("member@example.org")
    token = f"walk-export-{db.session.scalar(select(db.func.count(DataExport.id))) + 1}"
    # One copy waits per person and asker (uq_data_exports_one_waiting): the last walk's copy is spent.
    db.session.execute(
        update(DataExport)
        .where(
            DataExport.requested_by_id == member.id, DataExport.status.in_(["queued", "building", "ready"])
        )
        .values(status="used", used_at=utcnow())
    )
    db.session.add(
        DataExport(
            subject=member,
            requested_by=member,
            status="ready",
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            expires_at=utcnow() + timedelta(days=7),
            data=b"PK",
            size=2,
        )
    )
    db.session.commit()
    return token


def _invitation_token() -> str:
    # A fresh invitation to the first demo organisation's assessment in progress, for the demo member.
    draft = db.session.get(Assessment, _first(select(Assessment.id).where(Assessment.status == "draft")))
    n = db.session.scalar(select(db.func.count(OutboxMessage.id))) + 1
    address = f"walk-invited-{n}@example.org"
    assessments_services.invite(draft, draft.started_by, address)
    return _token_mailed_to(address, "/assessments/invitations/")


def _token(endpoint: str) -> str:
    makers: dict[str, Callable[[], str]] = {
        "accounts.verify": _verify_token,
        "accounts.reset_password": _reset_token,
        "discussions.unsubscribe": lambda: notify.unsubscribe_url(
            _demo_user("member@example.org")
        ).rpartition("/")[2],
        "events.pledge_answer": lambda: followups.pledge_token(
            db.session.get(Pledge, _first(select(Pledge.id).order_by(Pledge.id))), "done"
        ),
        "privacy.download": _export_token,
        "messages.unsubscribe": lambda: messages_services.unsubscribe_url(
            _demo_user("member@example.org")
        ).rpartition("/")[2],
        "assessments.invitation": _invitation_token,
    }
    if endpoint not in makers:
        pytest.fail(f"{endpoint} takes a <token>: add a way to make one to _token() in {__file__}")
    return makers[endpoint]()


# URL variable name -> how to find a real value in the demo data (given the rule's endpoint).
FILL: dict[str, Callable[[str], object]] = {
    "event_id": lambda endpoint: _first(select(Event.id).order_by(Event.id)),
    "case_study_id": lambda endpoint: _published_case_study_with_attachment(),
    "attachment_id": lambda endpoint: _first(
        select(Attachment.id).where(Attachment.case_study_id == _published_case_study_with_attachment())
    ),
    "profile_id": lambda endpoint: _first(select(ChampionProfile.id).order_by(ChampionProfile.id)),
    # The admin's reset page asks only about someone who has a second factor: the walk's coordinator.
    "user_id": lambda endpoint: (
        _demo_user(
            "coordinator@example.org" if endpoint == "accounts.reset_second_factor" else "member@example.org"
        ).id
    ),
    "thread_id": lambda endpoint: _first(select(Thread.id).order_by(Thread.id)),
    "post_id": lambda endpoint: _first(select(Post.id).order_by(Post.id)),
    "category_id": lambda endpoint: _first(select(Category.id).order_by(Category.id)),
    "slug": lambda endpoint: _first(select(Category.slug).order_by(Category.id)),
    "resource_id": lambda endpoint: _first(select(Resource.id).order_by(Resource.id)),
    "token": _token,
    "filename": lambda endpoint: "app.js",
    # The dashboard's tables and charts: the walk's data is never refreshed, so these are 404s too.
    "key": lambda endpoint: "coverage",
    "area_slug": lambda endpoint: "fife",
    "kind": lambda endpoint: "csv",
    # The demo configures no organisation sign-in, so nobody has a linked identity: its page is a 404.
    "identity_id": lambda endpoint: UNKNOWN_ID,
    # The demo member's conversation with the demo champion: others (coordinators too, while it is not
    # reported) get a 404.
    "conversation_id": lambda endpoint: _first(select(Conversation.id).order_by(Conversation.id)),
    # The demo's open window for last quarter (the demo champion of Fife has a return to write in it).
    # (Not the newest window: the dashboard demo's closed ones come after it.)
    "window_id": lambda endpoint: _first(
        select(ReturnWindow.id).where(ReturnWindow.is_open(clock.today())).order_by(ReturnWindow.id.desc())
    ),
    # A return sent by another champion: a 404 for every role, the walk's champion too.
    "return_id": lambda endpoint: _first(select(QuarterlyReturn.id).order_by(QuarterlyReturn.id.desc())),
    # The demo's open request for a buddy and its active pairing: the walk's people are in neither, so
    # members and champions get a 404, and coordinators and admins see them.
    "request_id": lambda endpoint: _first(
        select(BuddyRequest.id).where(BuddyRequest.status == "open").order_by(BuddyRequest.id)
    ),
    "pairing_id": lambda endpoint: _first(select(BuddyPairing.id).order_by(BuddyPairing.id)),
    # The demo member helps with City of Edinburgh Council's assessment in progress; the demo champion's
    # organisation has none, so champions get a 404 and coordinators read it.
    "assessment_id": lambda endpoint: (
        _first(select(Assessment.id).where(Assessment.status == "submitted").order_by(Assessment.id))
        if endpoint in ("assessments.summary", "assessments.chart", "assessments.reopen")
        else _first(select(Assessment.id).where(Assessment.status == "draft").order_by(Assessment.id))
    ),
    "domain_id": lambda endpoint: _first(select(Domain.id).order_by(Domain.id)),
    "organisation_id": lambda endpoint: _first(select(Assessment.organisation_id).order_by(Assessment.id)),
    "framework_id": lambda endpoint: 1,  # version 1, from the migration (published: its edit page redirects)
}
# URL variable name -> a value that names nothing.
UNKNOWN: dict[str, object] = {
    "event_id": UNKNOWN_ID,
    "case_study_id": UNKNOWN_ID,
    "attachment_id": UNKNOWN_ID,
    "profile_id": UNKNOWN_ID,
    "user_id": UNKNOWN_ID,
    "thread_id": UNKNOWN_ID,
    "post_id": UNKNOWN_ID,
    "category_id": UNKNOWN_ID,
    "slug": "no-such-category",
    "resource_id": UNKNOWN_ID,
    "token": "not-a-real-token",
    "filename": "no-such-file.js",
    "key": "no-such-table",
    "area_slug": "no-such-area",
    "kind": "csv",
    "identity_id": UNKNOWN_ID,
    "conversation_id": UNKNOWN_ID,
    "window_id": UNKNOWN_ID,
    "return_id": UNKNOWN_ID,
    "request_id": UNKNOWN_ID,
    "pairing_id": UNKNOWN_ID,
    "assessment_id": UNKNOWN_ID,
    "domain_id": UNKNOWN_ID,
    "framework_id": UNKNOWN_ID,
    "organisation_id": UNKNOWN_ID,
}

# GETs that write, each for a stated reason. A GET must never change state, so every entry here is a
# defect to fix, kept narrow: (endpoint, variant) -> (roles, reason). The case fails when the write stops.
KNOWN_WRITES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}
# Known 5xx: (endpoint, role, variant) -> what breaks. The case fails when the defect is fixed.
KNOWN_ERRORS: dict[tuple[str, str, str], str] = {}
# Tables a GET may change on purpose, per endpoint, with why. Keep this to read markers and rate limits.
ALLOWED_ON_EVERY_PAGE = {
    "user_sessions": "the signed-in session's last-used time, moved on at most every 5 minutes",
}
ALLOWED_WRITES: dict[str, dict[str, str]] = {
    "discussions.detail": {
        "discussion_thread_reads": "read marker: opening a thread records how far the reader has read",
    },
    "messages.detail": {
        "conversation_members": "read marker: opening a conversation clears its news for the reader",
        "users": "read marker: the reader's count of conversations with news, shown in the header",
    },
    "directory.export_csv": {
        "audit_entries": "audit entry recording who downloaded personal data: an access log, not a change "
        "anyone sees",
    },
}


def _get_rules() -> list:
    app = create_app(_config("sqlite://"))
    return sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods),
        key=lambda r: r.rule,
    )


RULES = _get_rules()


def _known_defect(endpoint: str, role: str, variant: str) -> list:
    roles, reason = KNOWN_WRITES.get((endpoint, variant), ((), ""))
    reason = KNOWN_ERRORS.get((endpoint, role, variant)) or (reason if role in roles else "")
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _cases():
    for rule in RULES:
        for variant in ("demo", "unknown") if rule.arguments else ("demo",):
            for role in ROLES:
                yield pytest.param(
                    rule.endpoint,
                    role,
                    variant,
                    marks=_known_defect(rule.endpoint, role, variant),
                    id=f"{rule.rule}-{role}-{variant}",
                )


def _empty_tables() -> None:
    tables = [t for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(scope="module")
def walk_app(database_url):
    app = create_app(_config(database_url))
    with app.app_context():
        demo.seed_demo()
        db.session.remove()
    yield app
    with app.app_context():
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


def _give_second_factor(walk_app, email: str) -> str:
    """Set up a second factor for a demo account, as its owner would; return the code for signing in."""
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret, interval=second_factor.STEP)
    with walk_app.app_context():
        step = second_factor.current_step()
        second_factor.confirm_setup(_demo_user(email), secret, totp.generate_otp(step), None)
        db.session.remove()
    return totp.generate_otp(step + 1)  # a newer code: the one used to set it up is spent


@pytest.fixture(scope="module")
def clients(walk_app):
    """One test client per role, each signed in once as that role's demo account.

    Coordinators and admins must have a second factor (as in production), so theirs is set up first.
    """
    clients = {"anonymous": walk_app.test_client()}
    for role in ROLES[1:]:
        client = walk_app.test_client()
        email = f"{role}@example.org"
        code = _give_second_factor(walk_app, email) if role in ("coordinator", "admin") else None
        response = client.post("/account/sign-in", data={"email": email, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, f"{role} could not sign in"
        if code:
            assert response.headers["Location"] == "/account/sign-in/code"
            response = client.post("/account/sign-in/code", data={"code": code})
            assert response.status_code == 302, f"{role}'s code was refused"
        assert client.get("/account").status_code == 200, f"{role} is not signed in"
        clients[role] = client
    return clients


def table_checksums() -> dict[str, str]:
    """Return a digest of every table's rows, read in primary-key (else full-row) order."""
    sums = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        digest = hashlib.sha256()
        for row in db.session.execute(select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode())
        sums[table.name] = digest.hexdigest()
    db.session.rollback()  # end the read transaction so the next request sees fresh rows
    return sums


def _url(walk_app, endpoint: str, variant: str) -> str:
    rule = next(r for r in RULES if r.endpoint == endpoint)
    values = {}
    for name in sorted(rule.arguments):
        if name not in FILL or name not in UNKNOWN:
            pytest.fail(f"{rule.rule} has <{name}>: add it to FILL and UNKNOWN in {__file__}")
        values[name] = FILL[name](endpoint) if variant == "demo" else UNKNOWN[name]
    with walk_app.test_request_context():
        return walk_app.url_for(endpoint, **values)


def test_every_rule_variable_can_be_filled():
    known = FILL.keys() & UNKNOWN.keys()
    missing = {f"<{name}> in {rule.rule}" for rule in RULES for name in rule.arguments - known}
    assert not missing, f"add these URL variables to FILL and UNKNOWN in {__file__}: {sorted(missing)}"


@pytest.fixture(scope="module")
def last_checksums():
    """The checksums after the previous case, reused as the next case's "before" when nothing wrote since."""
    return {}


@contextmanager
def statements_that_write():
    """Collect every statement other than a SELECT run while the block runs."""
    writes: list[str] = []

    def record(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith("SELECT"):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield writes
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("endpoint, role, variant", list(_cases()))
def test_get_gives_no_server_error_and_changes_nothing(
    walk_app, clients, last_checksums, endpoint, role, variant
):
    with walk_app.app_context():
        with statements_that_write() as writes:
            url = _url(walk_app, endpoint, variant)
        # A checksum of every table takes most of the walk's time, so reuse the last one when it still holds.
        before = last_checksums.get("after") if not writes else None
        before = before or table_checksums()
    last_checksums.clear()
    response = clients[role].get(url)
    response.close()  # a file sent from disk stays open until then
    assert response.status_code < 500, f"GET {url} as {role} gave {response.status_code}"
    with walk_app.app_context():
        after = last_checksums["after"] = table_checksums()
    allowed = ALLOWED_WRITES.get(endpoint, {}) | ALLOWED_ON_EVERY_PAGE
    changed = sorted(name for name in before if before[name] != after[name] and name not in allowed)
    assert not changed, f"GET {url} as {role} changed {changed}"


def test_a_newcomer_without_details_is_sent_to_the_profile_form_from_every_page(walk_app, last_checksums):
    """Someone an organisation sign-in made (no password, no organisation or workplace yet), on every GET
    rule: never a 5xx, and every page but the few left open sends them to the profile form first."""
    last_checksums.clear()  # this test writes, so the walk's cached checksums no longer hold
    client = walk_app.test_client()
    with walk_app.app_context():
        newcomer = User(
            email="walk-newcomer@example.org",
            name="Walk Newcomer",
            password_hash=passwords.hash_password(demo.DEMO_PASSWORD),
            email_verified_at=utcnow(),
        )
        db.session.add(newcomer)
        db.session.commit()
        data = {"email": newcomer.email, "password": demo.DEMO_PASSWORD}
        assert client.post("/account/sign-in", data=data).status_code == 302
        newcomer.password_hash = ""  # as an account made from an organisation sign-in's claims
        db.session.commit()
        urls = {rule.endpoint: _url(walk_app, rule.endpoint, "demo") for rule in RULES}
    for endpoint, url in urls.items():
        response = client.get(url)
        response.close()
        assert response.status_code < 500, f"GET {url} as a newcomer gave {response.status_code}"
        if endpoint not in permissions.OPEN_BEFORE_PROFILE:
            assert response.headers.get("Location", "").startswith("/account/profile"), url
    assert "Welcome to the network" in client.get("/account/profile").get_data(as_text=True)
