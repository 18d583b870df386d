"""Two gunicorn processes over one PostgreSQL database: sign-out, rate limits and event capacity hold.

Each test talks to processes A and B over real HTTP, as a browser behind a load balancer
would, and checks a rule that would break if the app kept its state in a process.
"""

import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
from limits import parse
from sqlalchemy import select

from champions.accounts.models import Role
from champions.accounts.views import SIGN_IN_LIMIT
from champions.clock import utcnow
from champions.events import services as events
from champions.events.models import EventFormat, EventType, Registration
from champions.extensions import db

pytestmark = pytest.mark.postgres

WRONG_PASSWORD = "this is not the right password at all"


def test_signing_out_on_one_process_ends_the_session_on_the_other(
    servers, make_member, member_password, make_browser, sign_in_over_http
):
    a, b = servers
    email = make_member(name="Ailsa Scale-Out").email
    db.session.commit()
    visitor = make_browser()
    sign_in_over_http(visitor, a, email, member_password, remember=True)
    assert {"session", "remember_token"} <= visitor.cookies.keys()

    on_b = visitor.get(b, "/account/profile")
    assert on_b.status == 200
    assert "Ailsa Scale-Out" in on_b.text
    copied = dict(visitor.cookies)  # the same cookies, as another tab or device would hold them

    signed_out = visitor.submit(b, "/account/sign-out", {})
    assert signed_out.status == 302
    assert "remember_token" not in visitor.cookies

    for server in (a, b):
        for cookies in (copied, {"remember_token": copied["remember_token"]}):
            refused = make_browser(cookies).get(server, "/account/profile")
            assert refused.status == 302
            assert refused.location.startswith("/account/sign-in")


def test_failed_sign_ins_are_limited_in_total_not_per_process(
    servers, make_member, member_password, make_browser
):
    limit = parse(SIGN_IN_LIMIT).amount
    email = make_member().email
    db.session.commit()
    visitor = make_browser()
    wrong = {"email": email, "password": WRONG_PASSWORD}
    for attempt in range(limit):
        failed = visitor.submit(servers[attempt % 2], "/account/sign-in", wrong)
        assert failed.status == 200
        assert "The email address or password is not right" in failed.text

    # Each process saw only half of the attempts; kept per process, the limit would not be reached yet.
    for server in servers:
        limited = visitor.submit(server, "/account/sign-in", {"email": email, "password": member_password})
        assert limited.status == 429
        assert "Too many attempts" in limited.text
    assert visitor.get(servers[0], "/account/profile").location.startswith("/account/sign-in")


CAPACITY = 3
PEOPLE = 10


@pytest.fixture
def small_event(make_member):
    organiser = make_member(role=Role.COORDINATOR)
    starts = utcnow().replace(microsecond=0) + timedelta(days=10)
    event = events.create_event(
        organiser,
        {
            "title": "A small trauma-informed practice session",
            "description": "Only a few places.",
            "event_type": EventType.TRAINING.value,
            "format": EventFormat.ONLINE.value,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "joining_link": "https://meet.example.org/small-room",
            "capacity": CAPACITY,
        },
    )
    events.publish_event(organiser, event)
    return event


def test_event_capacity_holds_when_both_processes_register_people_at_once(
    servers, small_event, make_member, member_password, make_browser, sign_in_over_http
):
    path = f"/events/{small_event.id}/register"
    emails = [make_member().email for _ in range(PEOPLE)]
    db.session.commit()
    visitors, tokens = [], []
    for n, email in enumerate(emails):
        visitor = make_browser()
        sign_in_over_http(visitor, servers[n % 2], email, member_password)
        form = visitor.get(servers[n % 2], path)
        tokens.append(re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text).group(1))
        visitors.append(visitor)

    barrier = threading.Barrier(PEOPLE)
    responses, errors = [None] * PEOPLE, []

    def register(n: int) -> None:
        try:
            barrier.wait(timeout=20)  # every request leaves at the same moment
            # The form came from one process; the registration goes to the other.
            responses[n] = visitors[n].request(
                servers[(n + 1) % 2], "POST", path, {"csrf_token": tokens[n], "sector": "", "needs": ""}
            )
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert [r.status for r in responses] == [302] * PEOPLE
    assert all(r.location.endswith(f"/events/{small_event.id}") for r in responses)

    detail = f"/events/{small_event.id}"
    pages = [visitor.get(servers[n % 2], detail).text for n, visitor in enumerate(visitors)]
    told = Counter("You have a place at this event" in page for page in pages)
    assert told == {True: CAPACITY, False: PEOPLE - CAPACITY}
    assert all(
        "you are on the waiting list" in page
        for page in pages
        if "You have a place at this event" not in page
    )

    statuses = Counter(
        db.session.scalars(select(Registration.status).where(Registration.event_id == small_event.id))
    )
    assert statuses == {"confirmed": CAPACITY, "waitlisted": PEOPLE - CAPACITY}
