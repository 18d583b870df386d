"""The rule of five: no count of people from 1 to 4 is shown or downloaded, and free text needs 5 answers."""

import itertools
import re
from datetime import timedelta

import pytest
from flask import render_template_string

from champions import small_numbers
from champions.accounts.models import Role
from champions.clock import utcnow
from champions.events import services
from champions.events.models import EventFormat, EventType, Registration
from champions.extensions import db
from champions.reference.models import CouncilArea

# A count from 1 to 4 as the report would write one: "Fife: 1", "(2)", "3 people", "1 attended".
SMALL = re.compile(
    r"(?:: |\()[1-4](?![\d.])|(?<![\d.])[1-4] (?:people|person|pledged|were|attended|had|gave)"
)
OWN_WORDS = ("Barrier words", "Enabler words", "Own pledge words")


def test_the_threshold_is_a_setting(app):
    assert app.config["SMALL_NUMBER_THRESHOLD"] == 5
    assert small_numbers.threshold() == 5


@pytest.mark.parametrize(
    "count, shown", [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (12, "12")]
)
def test_a_count_of_people_is_shown_unless_it_is_from_1_to_4(app, count, shown):
    assert small_numbers.display_count(count) == shown
    assert render_template_string("{{ n|display_count }}", n=count) == shown


def test_counts_of_people_in_words(app):
    assert small_numbers.count_people(0) == "0 people"
    assert small_numbers.count_people(3) == "fewer than 5 people"
    assert small_numbers.count_people(7) == "7 people"
    assert small_numbers.count_people(2, "pledged action") == "fewer than 5 pledged actions"
    assert render_template_string("{{ n|count_people }}", n=1) == "fewer than 5 people"


@pytest.mark.app_config({"SMALL_NUMBER_THRESHOLD": 10})
def test_the_threshold_can_be_raised(app):
    assert small_numbers.display_count(7) == "fewer than 10"


def test_small_groups_are_merged_into_other(app):
    rows = small_numbers.breakdown([("Glasgow City", 6), ("Fife", 5), ("Angus", 1)], "Other areas")
    # Angus alone would leave "Other areas: 1"; Fife joins it so that no group is 1 to 4.
    assert rows.rows == (("Glasgow City", 6), ("Other areas", 6))
    assert not rows.withheld


def test_differencing_a_total_of_7_from_5_and_fewer_than_5(app):
    # Glasgow City: 5 beside a total of 7 would tell that Fife has 2, so Glasgow is merged too and
    # the breakdown is withheld; the total stays.
    rows = small_numbers.breakdown([("Glasgow City", 5), ("Fife", 2)], "Other areas")
    assert rows.rows == () and rows.withheld and rows.total == 7


def test_a_small_total_withholds_the_whole_breakdown(app):
    rows = small_numbers.breakdown([("Glasgow City", 1), ("Fife", 1)], "Other areas")
    assert rows.rows == () and rows.withheld


def test_zero_is_shown_and_an_empty_breakdown_is_not_withheld(app):
    rows = small_numbers.breakdown([("Very useful", 5), ("Useful", 0), ("Not useful", 6)], "Other ratings")
    assert rows.rows == (("Very useful", 5), ("Useful", 0), ("Not useful", 6))
    assert not small_numbers.breakdown([], "Other areas").withheld


def test_no_breakdown_ever_shows_or_implies_a_small_count(app):
    for counts in itertools.product(range(0, 8), repeat=4):
        rows = small_numbers.breakdown([(f"group {i}", n) for i, n in enumerate(counts)], "Other")
        shown = [n for _label, n in rows.rows]
        assert all(n == 0 or n >= 5 for n in shown), counts
        # Whatever is shown adds up to the total, so nothing small can be found by subtraction.
        assert rows.withheld or sum(shown) == sum(counts), counts


def test_free_text_needs_5_answers(app):
    assert not small_numbers.may_show_text(4)
    assert small_numbers.may_show_text(5)


@pytest.fixture
def event_with(make_user):
    """An ended event where each given council area's people came and gave feedback with their words."""

    def make(areas: dict[str, int], marked: int | None = None):
        coordinator = make_user(role=Role.COORDINATOR, name="Morag Coordinator")
        starts = utcnow().replace(microsecond=0) + timedelta(days=2)
        event = services.create_event(
            coordinator,
            {
                "title": "Trauma-informed practice workshop",
                "description": "A calm session.",
                "event_type": EventType.TRAINING.value,
                "format": EventFormat.ONLINE.value,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "joining_link": "https://meet.example.org/room",
            },
        )
        services.publish_event(coordinator, event)
        n = 0
        for name, count in areas.items():
            area = db.session.scalar(db.select(CouncilArea).where(CouncilArea.name == name))
            for _ in range(count):
                services.register(event, make_user(council_area=area))
        event.starts_at -= timedelta(days=4)
        event.ends_at -= timedelta(days=4)
        db.session.commit()
        rows = db.session.scalars(db.select(Registration).order_by(Registration.id)).all()
        if marked is not None:
            services.mark_attendance(coordinator, event, {row.id for row in rows[:marked]})
        for n, row in enumerate(rows):
            services.give_feedback(
                event,
                row,
                {
                    "rating": 5 if n % 2 else 4,
                    "barriers": f"Barrier words {n} about staffing",
                    "enablers": f"Enabler words {n} about leaders",
                    "pledges": ["disseminate"],
                    "own_pledge": f"Own pledge words {n}",
                    "anonymous": n % 2 == 0,
                },
            )
        services.save_report_text(coordinator, event, "", "", publish=True)
        return event

    return make


def _report(client, as_role, event) -> tuple[str, str]:
    as_role(Role.MEMBER)
    page = client.get(f"/events/{event.id}/report").get_data(as_text=True)
    text = client.get(f"/events/{event.id}/report.md").get_data(as_text=True)
    return page.split('id="main-content"')[1], text


def test_two_attendees_show_no_words_and_no_small_counts(client, as_role, event_with):
    event = event_with({"Glasgow City": 1, "Fife": 1})
    for body in _report(client, as_role, event):
        assert not any(words in body for words in OWN_WORDS)
        assert "Glasgow City" not in body and "Fife:" not in body
        assert SMALL.findall(body) == [], body
        assert "fewer than 5" in body
        assert "4.5" not in body  # the average of two ratings would tell them apart


def test_organisers_see_the_rule_applied_too(client, sign_in, event_with):
    event = event_with({"Glasgow City": 1, "Fife": 1})
    sign_in(event.created_by)
    page = client.get(f"/events/{event.id}/report").get_data(as_text=True)
    assert not any(words in page for words in OWN_WORDS) and "Glasgow City: 1" not in page


def test_five_or_more_show_their_words_and_counts(client, as_role, event_with):
    event = event_with({"Glasgow City": 5, "Fife": 5})
    for body in _report(client, as_role, event):
        assert "Glasgow City: 5" in body and "Fife: 5" in body
        assert "Barrier words 0 about staffing" in body and "Enabler words 9 about leaders" in body
        assert "Own pledge words 3" in body
        assert "Disseminate information to staff: 10" in body
        assert "Average rating: 4.5 out of 5" in body
        assert "10 people" in body


def test_words_are_never_beside_a_breakdown_that_points_to_them(client, as_role, event_with):
    event = event_with({"Glasgow City": 5, "Fife": 2})
    for body in _report(client, as_role, event):
        assert "Barrier words 6 about staffing" in body  # 7 people wrote, so their words are shown
        assert "Fife" not in body
        assert "Glasgow City: 5" not in body  # beside the total of 7 it would tell that 2 came from elsewhere
        assert "7 people" in body
        # Ratings of 4 (four people) and 5 (three): the spread is withheld, and so is the average,
        # which with the 7 would tell exactly how many gave each.
        assert "Average rating" not in body and "Useful: " not in body


def test_small_groups_merge_into_other_areas(client, as_role, event_with):
    event = event_with({"Glasgow City": 6, "Fife": 5, "Angus": 1})
    for body in _report(client, as_role, event):
        assert "Glasgow City: 6" in body and "Other areas: 6" in body
        assert "Fife: 5" not in body and "Angus" not in body


def test_attendance_does_not_tell_how_few_stayed_away(client, as_role, event_with):
    event = event_with({"Glasgow City": 7}, marked=5)
    for body in _report(client, as_role, event):
        assert "7 people had a place" not in body and "7 had a place" not in body
        assert "5 people were marked as attending" in body


def test_no_feedback_shows_zero(client, as_role, event_with):
    event = event_with({})
    for body in _report(client, as_role, event):
        assert "0 people gave feedback" in body
