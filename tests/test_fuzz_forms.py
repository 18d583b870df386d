"""Text that fits and travels: the shared field helpers, and the forms fuzzed with Hypothesis.

Whatever anyone types, from anywhere in Unicode, huge or empty, a form never answers with a 5xx,
and when it asks for a correction the page still holds what was typed (after the shared filters).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from form_fields import text_fields
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField, TextAreaField, ValidationError

from champions import clock
from champions.accounts import sessions
from champions.accounts.models import Role, User
from champions.casestudies.models import CaseStudy
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.discussions.models import Category
from champions.events.models import Event
from champions.extensions import db
from champions.forms import LINE_SEPARATORS, clean_text, multiline_clean, no_control_characters, xml_safe
from champions.reference.services import find_or_create_organisation
from champions.returns import queries as return_queries
from champions.returns import services as return_services

XML_FORBIDDEN = "\x00\x01\x08\x0b\x0c\x0e\x1f\ufffe\uffff"
PROBLEM = "There is a problem"


def _bound(validator, text: str):
    form = Form()
    bound = StringField().bind(form, "title")
    bound.data = text
    return lambda: validator(form, bound)


@pytest.mark.parametrize("separator", list(LINE_SEPARATORS))
def test_single_line_fields_refuse_every_line_separator_kindly(separator):
    with pytest.raises(ValidationError, match="fit on one line"):
        _bound(no_control_characters, f"Spring{separator}gathering")()


@pytest.mark.parametrize("separator", list(LINE_SEPARATORS))
def test_a_single_line_field_never_keeps_a_line_separator(separator):
    cleaned = clean_text(f"Spring{separator}gathering")
    if separator in cleaned:
        with pytest.raises(ValidationError, match="fit on one line"):
            _bound(no_control_characters, cleaned)()


def test_every_splitlines_separator_is_covered():
    every = {chr(n) for n in range(0x110000) if len(f"a{chr(n)}b".splitlines()) == 2}
    assert every == set(LINE_SEPARATORS)


@pytest.mark.parametrize("bad", list(XML_FORBIDDEN))
@pytest.mark.parametrize("clean", [clean_text, multiline_clean, xml_safe])
def test_characters_xml_forbids_are_dropped_from_every_text_field(clean, bad):
    # A vertical tab or form feed in a text area was meant as a line break, and becomes one.
    assert clean(f"Case{bad} study") in {"Case study", "Case\n study"}


def test_text_xml_allows_is_kept():
    kept = "Zoë \t O'Neill ﷽ 👩🏽‍⚕️ \ud7ff\ue000\ufffd\U0010fffd"
    assert xml_safe(kept) == kept
    assert multiline_clean("one\r\ntwo\u2028three\x85four\u2029five") == "one\ntwo\nthree\nfour\nfive"


# Search words: read once to filter a list, never stored, sent or put in a feed.
NEVER_STORED = {"directory.FilterForm.q", "dashboard.FilterForm.start", "dashboard.FilterForm.end"}


def test_every_text_field_drops_what_xml_forbids_and_single_line_ones_refuse_breaks(app):
    offenders = []
    with app.test_request_context(method="POST"):
        for key, form, name, _ in text_fields():
            if key in NEVER_STORED:
                continue
            bound = form(formdata=MultiDict({name: "Peer\ufffe support\x0b"}), meta={"csrf": False})
            if {"\ufffe", "\x0b"} & set(bound[name].data or ""):
                offenders.append(f"{key} keeps a character XML forbids")
            if not isinstance(bound[name], TextAreaField):
                bound = form(formdata=MultiDict({name: "Peer\u2028support"}), meta={"csrf": False})
                if not bound[name].validate(bound):
                    continue
                offenders.append(f"{key} accepts a line separator")
    assert offenders == []


# A browser sends UTF-8, so it can never send a lone surrogate; everything else is fair game.
ANY_CHARACTER = st.characters(codec="utf-8")
ODD_CHARACTERS = st.sampled_from(
    list(LINE_SEPARATORS) + list(XML_FORBIDDEN) + list("\t \u00a0\u200b\u202e\ufeff\ufdd0\U0001fffe<>&\"'")
)
TYPED = st.one_of(
    st.text(ANY_CHARACTER, max_size=80),
    st.text(st.one_of(ANY_CHARACTER, ODD_CHARACTERS), max_size=40),
    st.builds(
        lambda chunk, n: chunk * n, st.text(ANY_CHARACTER, min_size=1, max_size=4), st.integers(30, 16_000)
    ),
)
FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None)


@dataclass
class Case:
    """A form to fuzz: who posts it, where, the valid values, and each fuzzed field's filter."""

    role: Role | None
    url: str
    valid: dict
    fields: dict
    prepare: Callable | None = None


def _signed_in(app, user):
    """Return a fresh client signed in as the user (or anonymous), and the user."""
    client = app.test_client()
    if user:
        user.session_record_id = sessions.start(user, "password", False, "").id  # as signing in makes
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.get_id(), True
    return client, user


def _thread(client, user) -> str:
    category = Category(slug=f"fuzz-{uuid.uuid4().hex[:8]}", name="Fuzz", description="", position=1)
    db.session.add(category)
    db.session.commit()
    return f"/discussions/{category.slug}/new"


def _reply(client, user) -> str:
    new = _thread(client, user)
    response = client.post(new, data={"title": "Hello", "body": "First", "form_key": str(uuid.uuid4())})
    return response.headers["Location"].partition("#")[0] + "/reply"


def _past_event(client, user) -> str:
    event = Event(**EVENT_VALUES, created_by_id=user.id, status="published")
    db.session.add(event)
    db.session.commit()
    assert client.post(f"/events/{event.id}/register", data={}).status_code == 302
    event.starts_at -= timedelta(days=15)
    event.ends_at -= timedelta(days=15)
    db.session.commit()
    return f"/events/{event.id}/feedback"


def _listed_champion(client, user) -> str:
    champion = User(
        email=f"fuzz-{uuid.uuid4().hex[:8]}@example.org",
        name="Fuzz Champion",
        password_hash="x",
        role=Role.CHAMPION.value,
        email_verified_at=utcnow(),
    )
    profile = ChampionProfile(
        user=champion,
        display_name="Fuzz Champion",
        job_title="Lead",
        organisation=find_or_create_organisation("Fife Council"),
        status="verified",
        listing_consent_at=utcnow(),
    )
    db.session.add(profile)
    db.session.commit()
    return f"/messages/new/{profile.id}"


def _return_form(client, user) -> str:
    """The user becomes a verified champion with last quarter's window open (made once per test)."""
    db.session.add(
        ChampionProfile(
            user=user,
            display_name=user.name,
            job_title="Lead",
            organisation=find_or_create_organisation("Fife Council"),
            status="verified",
        )
    )
    db.session.commit()
    window = return_queries.window_for_quarter(2020, 1) or return_services.open_window(
        user, 2020, 1, clock.today() - timedelta(days=3), clock.today() + timedelta(days=20)
    )
    return f"/returns/{window.id}"


EVENT_VALUES = {
    "title": "Fuzzed",
    "description": "Text",
    "event_type": "training",
    "format": "online",
    "starts_at": utcnow().replace(microsecond=0) + timedelta(days=10),
    "ends_at": utcnow().replace(microsecond=0) + timedelta(days=10, hours=2),
    "joining_link": "https://meet.example.org/room",
}
SINGLE, MULTI, SECRET = clean_text, multiline_clean, None  # SECRET: a password is never shown again
CASES = {
    "register": Case(
        None,
        "/account/register",
        {
            "name": "Isla Grant",
            "email": "isla@example.org",
            "organisation": "Fife Council",
            "workplace": "area:fife",
            "password": "granite lighthouse porridge 1987",
        },
        {"name": SINGLE, "email": SINGLE, "organisation": SINGLE, "password": SECRET},
    ),
    "sign-in": Case(
        None,
        "/account/sign-in",
        {"email": "isla@example.org", "password": "x"},
        {"email": SINGLE, "password": SECRET},
    ),
    "profile": Case(
        Role.MEMBER,
        "/account/profile",
        {"name": "Isla Grant", "organisation": "Fife Council", "workplace": "area:fife", "version": "1"},
        {"name": SINGLE, "organisation": SINGLE},
    ),
    "new thread": Case(
        Role.MEMBER,
        "",
        {"title": "Hello", "body": "Words", "form_key": ""},
        {"title": SINGLE, "body": MULTI, "content_note": SINGLE},
        _thread,
    ),
    "reply": Case(
        Role.MEMBER, "", {"body": "Words", "form_key": ""}, {"body": MULTI, "content_note": SINGLE}, _reply
    ),
    "case-study draft": Case(
        Role.CHAMPION,
        "/case-studies/new",
        {
            "title": "Reflective practice",
            "summary": "Monthly sessions.",
            "challenge": "Isolation.",
            "approach": "Sessions.",
            "involvement": "Carers.",
            "impact": "Absence fell.",
            "learning": "Time.",
            "advice": "Start small.",
            "visibility": "public",
            "topics": "Peer support",
            "action": "draft",
        },
        {"title": SINGLE, "summary": MULTI, "topics": SINGLE, "contact_name": SINGLE, "advice": MULTI},
    ),
    "event create": Case(
        Role.COORDINATOR,
        "/events/new",
        {
            "title": "Deep dive",
            "description": "Learn.",
            "event_type": "deep-dive",
            "start_date": "2037-03-04",
            "start_time": "09:30",
            "end_date": "2037-03-04",
            "end_time": "12:30",
            "format": "in-person",
            "venue": "Hall",
            "address": "1 High Street",
            "council_area": "fife",
        },
        {"title": SINGLE, "description": MULTI, "venue": SINGLE, "address": MULTI, "accessibility": MULTI},
    ),
    "champion application": Case(
        Role.MEMBER,
        "/champions/apply",
        {
            "display_name": "Isla Grant",
            "job_title": "Head of Service",
            "organisation": "Fife Council",
            "scope": "local",
            "council_areas": ["fife"],
            "sectors": ["education"],
            "levels": ["trauma-informed"],
            "stilt_completed": "y",
            "bio": "I lead change.",
            "phone": "01592 123456",
            "contact_audience": "members",
            "listed": "y",
        },
        {"display_name": SINGLE, "job_title": SINGLE, "organisation": SINGLE, "phone": SINGLE, "bio": MULTI},
    ),
    "message to a champion": Case(
        Role.MEMBER,
        "",
        {"subject": "Hello", "body": "Could we talk?", "form_key": ""},
        {"subject": SINGLE, "body": MULTI},
        _listed_champion,
    ),
    "quarterly return": Case(
        Role.CHAMPION,
        "",
        {"version": "0", "sessions_run": "2", "helped": ["Working together"], "action": "draft"},
        {"helped_words": MULTI, "hindered_words": MULTI, "support_wanted": MULTI},
        _return_form,
    ),
    "feedback": Case(
        Role.MEMBER,
        "",
        {"rating": "4", "pledges": ["disseminate"]},
        {"barriers": MULTI, "enablers": MULTI, "own_pledge": MULTI},
        _past_event,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_forms_never_fail_and_keep_what_was_typed(app, make_user, name):
    case = CASES[name]

    # @given sits inside the test, so each example reuses this test's app and database on purpose:
    # every example signs in a fresh user with a fresh client, so earlier examples cannot get in its way.
    @FUZZ
    @given(typed=st.fixed_dictionaries({field: TYPED for field in case.fields}))
    @example(typed={field: "Spring\u2028gathering\ufffe" for field in case.fields})
    @example(typed={field: "" for field in case.fields})
    def post(typed):
        client, user = _signed_in(app, make_user(role=case.role) if case.role else None)
        url = case.prepare(client, user) if case.prepare else case.url
        if "organisation" in typed:
            # Each example stands alone: the same organisation typed in an earlier example would
            # meet the defect test_an_organisation_with_accents_typed_again_is_found holds on to.
            typed = {**typed, "organisation": f"{typed['organisation']} {uuid.uuid4().hex[:8]}"}
        data = {**case.valid, **typed}
        if "form_key" in data:
            data["form_key"] = str(uuid.uuid4())
        response = client.post(url, data=data)
        assert response.status_code < 500, response.get_data(as_text=True)[:300]
        page = response.get_data(as_text=True)
        if response.status_code == 200 and PROBLEM in page:
            for field, clean in case.fields.items():
                if clean:
                    assert str(escape(clean(typed[field]))) in page, f"{field} lost what was typed"

    post()


def test_an_event_or_thread_title_on_two_lines_is_refused_kindly(app, make_user):
    organiser, _ = _signed_in(app, make_user(role=Role.COORDINATOR))
    data = {**CASES["event create"].valid, "title": "Spring\u2028gathering"}
    page = organiser.post("/events/new", data=data).get_data(as_text=True)
    assert "fit on one line" in page and "Spring\u2028gathering" in page
    assert db.session.scalar(db.select(Event)) is None
    member, user = _signed_in(app, make_user(role=Role.MEMBER))
    data = {"title": "Spring\u2029gathering", "body": "Words", "form_key": str(uuid.uuid4())}
    page = member.post(_thread(member, user), data=data).get_data(as_text=True)
    assert "fit on one line" in page and "Spring\u2029gathering" in page


def test_the_case_study_feed_stays_readable_whatever_was_typed(app, make_user):
    author, _ = _signed_in(app, make_user(role=Role.CHAMPION))
    data = {**CASES["case-study draft"].valid, "title": "Peer\ufffe support", "summary": "Calm\uffff words"}
    assert author.post("/case-studies/new", data=data).status_code == 302
    case_study = db.session.scalar(db.select(CaseStudy))
    case_study.status, case_study.visibility, case_study.published_at = "published", "public", utcnow()
    db.session.commit()
    feed = ElementTree.fromstring(app.test_client().get("/case-studies/feed.atom").data)
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Peer support" in titles


def test_an_organisation_with_accents_typed_again_is_found(app, make_user):
    member, _ = _signed_in(app, make_user(role=Role.MEMBER))
    data = {**CASES["profile"].valid, "organisation": "École Saint-Éloi"}
    assert member.post("/account/profile", data=data).status_code == 302
    assert member.post("/account/profile", data=data).status_code == 302
