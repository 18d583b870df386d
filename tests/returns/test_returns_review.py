"""A hostile reading of returns: figures that could be told apart as returns come in, reminders for a
window not open yet, bad input, guessed ids, and what the coordinators' pages cost as data grows."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from champions import clock
from champions.accounts.models import Role, User
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.returns import queries, services
from champions.returns.models import QuarterlyReturn, ReturnWindow, previous_quarter

from .test_returns import _form


def _closed_window(make_window):
    return make_window(opens_in_days=-30, closes_in_days=-1)


def test_wellbeing_is_not_shown_while_returns_are_still_coming_in(
    client, sign_in, coordinator, make_champion, make_window, send_return
):
    """With the names of who has returned beside figures that move with each return, the figure that
    moved would tell one person's answer: so wellbeing and people's own words wait for the window to
    close."""
    window = make_window()
    for _ in range(6):
        send_return(make_champion(), window, wellbeing=4, support_wanted="Time to reflect")
    totals = queries.totals(window)
    assert not totals.withheld and totals.sessions_run == 12  # the activity is shown as it comes in
    assert totals.wellbeing.rows == () and totals.support_words == []
    assert not any(measure.startswith("How they find the role") for measure, _ in totals.rows())
    sign_in(coordinator)
    page = client.get(f"/returns/windows/{window.id}/totals").get_data(as_text=True)
    assert "Mostly fine" not in page and "Time to reflect" not in page
    assert "shown after the window closes" in page
    csv = client.get(f"/returns/windows/{window.id}/totals.csv").get_data(as_text=True)
    assert "Mostly fine" not in csv


def test_after_closing_wellbeing_counts_the_returns_sent_in_time_and_late_ones_do_not_move_it(
    client, sign_in, coordinator, make_champion, make_window, send_return
):
    window = make_window()
    for _ in range(5):
        send_return(make_champion(), window, wellbeing=4, support_wanted="Time to reflect")
    send_return(make_champion(), window, wellbeing=None)  # one did not answer: nobody's answer is told
    window.closes_on = clock.today() - timedelta(days=1)
    db.session.commit()
    before = queries.totals(window)
    assert dict(before.wellbeing.rows)["Mostly fine"] == 5 and before.wellbeing_answers == 5
    assert before.support_words == ["Time to reflect"] * 5

    late = send_return(make_champion(), window, wellbeing=1, support_wanted="Please help me")
    assert late.late
    after = queries.totals(window)
    assert after.returned == 7  # the late return is counted as a return, and in the activity
    assert after.wellbeing.rows == before.wellbeing.rows and after.wellbeing_answers == 5
    assert after.support_words == before.support_words
    sign_in(coordinator)
    page = client.get(f"/returns/windows/{window.id}/totals").get_data(as_text=True)
    assert "Mostly fine" in page and "Struggling: 1" not in page and "Please help me" not in page


def test_a_reminder_for_a_window_not_open_yet_is_refused(
    client, sign_in, coordinator, make_champion, make_window, outbox
):
    champion = make_champion()
    window = make_window(opens_in_days=5, closes_in_days=30)
    sign_in(coordinator)
    assert client.post(f"/returns/windows/{window.id}/remind/{champion.id}").status_code == 404
    assert outbox.messages() == []
    page = client.get(f"/returns/windows/{window.id}").get_data(as_text=True)
    assert "Send a reminder" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/returns/2147483648",
        "/returns/99999999999999999999",
        "/returns/sent/99999999999999999999",
        "/returns/windows/99999999999999999999",
        "/returns/windows/99999999999999999999/totals",
        "/returns/windows/99999999999999999999/totals.csv",
        "/returns/windows/99999999999999999999/dates",
    ],
)
def test_guessed_huge_ids_are_not_found(client, sign_in, make_champion, coordinator, path):
    sign_in(coordinator if "windows" in path else make_champion())
    assert client.get(path).status_code == 404


def test_a_reminder_to_a_huge_id_is_not_found(client, sign_in, coordinator, make_window):
    window = make_window()
    sign_in(coordinator)
    assert client.post(f"/returns/windows/{window.id}/remind/99999999999999999999").status_code == 404


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"sessions_run": "1e5"}, "Enter a whole number from 0 to 1,000"),
        ({"sessions_run": "99999999999999999999999"}, "Enter a whole number from 0 to 1,000"),
        ({"events_attended": "-3"}, "Enter a whole number from 0 to 1,000"),
        ({"helped": ["Working together", "Not a theme"]}, "What helped?"),
        ({"support_wanted": "x" * 2_001}, "Keep this to 2,000 characters or fewer"),
        ({"wellbeing": "99999999999999999999"}, "Choose one of the answers"),
    ],
)
def test_bad_answers_keep_what_was_typed(client, sign_in, make_champion, make_window, values, message):
    window = make_window()
    sign_in(make_champion())
    words = "Kept, even when something else is wrong: \u2028 a line \u0007 apart"
    response = client.post(f"/returns/{window.id}", data=_form(helped_words=words, action="submit", **values))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "Kept, even when something else is wrong:" in page and "a line" in page
    assert db.session.scalar(select(func.count(QuarterlyReturn.id))) == 0


def test_control_characters_are_dropped_not_a_500(client, sign_in, make_champion, make_window):
    window = make_window()
    champion = make_champion()
    sign_in(champion)
    response = client.post(
        f"/returns/{window.id}",
        data=_form(support_wanted="Time\u0007 to think\u2028together", action="draft"),
    )
    assert response.status_code == 302
    assert queries.return_for(window.id, champion.id).support_wanted == "Time to think\ntogether"


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        ("2026-02-30", "2026-03-10", "Enter a real date, like 2026-10-01"),
        ("0001-01-01", "0001-01-20", "The window must open after the quarter"),
        ("9999-12-01", "9999-12-20", "The window must open within a year of the quarter"),
        ("2026-10-10", "2026-10-01", "The window must close on or after the day it opens"),
    ],
)
def test_window_dates_out_of_range_are_refused(client, sign_in, coordinator, opens, closes, message):
    sign_in(coordinator)
    year, quarter = previous_quarter(clock.today())
    response = client.post(
        "/returns/windows/new", data={"quarter": f"{year}-{quarter}", "opens_on": opens, "closes_on": closes}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert db.session.scalar(select(func.count(ReturnWindow.id))) == 0


def test_moving_a_window_before_its_quarter_is_refused(client, sign_in, coordinator, make_window):
    window = make_window()
    sign_in(coordinator)
    response = client.post(
        f"/returns/windows/{window.id}/dates",
        data={"opens_on": "1990-01-01", "closes_on": "1990-01-20", "version": str(window.version)},
    )
    assert response.status_code == 200
    assert "The window must open after the quarter" in response.get_data(as_text=True)


def test_a_window_for_a_quarter_that_does_not_exist_is_refused(client, sign_in, coordinator):
    sign_in(coordinator)
    for quarter in ("2026-5", "2026-0", "abcd-1", "99999999999999999999-1"):
        response = client.post(
            "/returns/windows/new",
            data={"quarter": quarter, "opens_on": "2026-10-01", "closes_on": "2026-10-20"},
        )
        assert response.status_code == 200
    assert db.session.scalar(select(func.count(ReturnWindow.id))) == 0


def test_the_coordinators_pages_cost_the_same_however_many_champions(
    client, sign_in, coordinator, make_champion, make_window, send_return, count_queries
):
    window = make_window()
    _closed_window_too = make_window(year_quarter=(window.year - 1, window.quarter))

    def grow(n: int) -> None:
        for i in range(n):
            person = make_champion("Fife" if i % 2 else "Highland")
            send_return(person, window, submit=bool(i % 3), reach={})

    grow(8)  # five returns sent: the totals are shown
    sign_in(coordinator)
    pages = [
        f"/returns/windows/{window.id}",
        "/returns/windows",
        f"/returns/windows/{window.id}/totals",
        f"/returns/windows/{window.id}/totals.csv",
        "/manage",
    ]
    few = {}
    for page in pages:
        client.get(page)
        with count_queries() as counted:
            assert client.get(page).status_code == 200
        few[page] = len(counted)
    grow(12)
    for page in pages:
        with count_queries() as counted:
            assert client.get(page).status_code == 200
        assert len(counted) == few[page], page
    assert _closed_window_too.id != window.id


def test_a_champions_own_pages_cost_the_same_however_many_returns(
    client, sign_in, make_champion, make_window, send_return, count_queries
):
    champion = make_champion()
    window = make_window()
    send_return(champion, window)
    sign_in(champion)
    client.get("/returns")
    with count_queries() as few:
        client.get("/returns")
    for back in range(1, 4):
        older = make_window(year_quarter=(window.year - back, window.quarter))
        send_return(champion, older)
    with count_queries() as many:
        assert client.get("/returns").status_code == 200
    assert len(many) == len(few)


def test_a_second_click_on_a_reminder_sends_one_email(
    client, sign_in, coordinator, make_champion, make_window
):
    champion, window = make_champion(), make_window()
    sign_in(coordinator)
    for _ in range(2):
        assert client.post(f"/returns/windows/{window.id}/remind/{champion.id}").status_code == 302
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_a_member_guessing_ids_of_anothers_return_sees_nothing(
    client, as_role, make_champion, make_window, send_return
):
    window = make_window()
    found = send_return(make_champion(), window, support_wanted="Private words")
    for role in (Role.MEMBER, Role.COORDINATOR, Role.ADMIN):
        as_role(role)
        response = client.get(f"/returns/sent/{found.id}")
        assert response.status_code == 404 and "Private words" not in response.get_data(as_text=True)


def _at_once(app, runs: int, work) -> list:
    """Run `work(n)` in `runs` threads that start together, each with its own session; the errors."""
    db.session.remove()
    barrier = threading.Barrier(runs)
    errors: list = []

    def attempt(n: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                work(n)
            except Exception as error:  # collected, and asserted to be none
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgres
@pytest.mark.app_config({"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 0}})
def test_the_cron_command_run_at_once_twice_queues_each_email_once(app, make_champion, make_window):
    people = [make_champion() for _ in range(6)]
    window = make_window()
    emails, reminder_day = [p.email for p in people], window.closes_on - timedelta(days=7)
    assert _at_once(app, 4, lambda n: services.send_due_emails(clock.today())) == []
    assert sorted(db.session.scalars(select(OutboxMessage.to_address))) == sorted(emails)
    assert _at_once(app, 4, lambda n: services.send_due_emails(reminder_day)) == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 12


@pytest.mark.postgres
@pytest.mark.app_config({"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 0}})
def test_reminders_clicked_at_once_send_one(app, make_champion, make_window, coordinator):
    champion, window, by = make_champion(), make_window(), coordinator
    ids = (champion.id, window.id, by.id)

    def click(n: int) -> None:
        person, the_window, who = (
            db.session.get(m, i) for m, i in zip((User, ReturnWindow, User), ids, strict=True)
        )
        services.chase(who, the_window, person)

    assert _at_once(app, 4, click) == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


@pytest.mark.postgres
@pytest.mark.app_config({"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 0}})
def test_a_first_return_sent_from_two_tabs_at_once_is_one_return(app, make_champion, make_window):
    from .conftest import ANSWERS

    champion, window = make_champion(), make_window()
    ids = (champion.id, window.id)

    def send(n: int) -> None:
        person, the_window = db.session.get(User, ids[0]), db.session.get(ReturnWindow, ids[1])
        services.save_return(person, the_window, 0, dict(ANSWERS), {}, True)

    assert _at_once(app, 4, send) == []
    assert db.session.scalar(select(func.count(QuarterlyReturn.id))) == 1


@pytest.mark.parametrize("change", ["deactivated", "closed", "unconfirmed email"])
def test_no_reminder_to_an_account_not_in_use(
    client, sign_in, coordinator, make_champion, make_window, outbox, change
):
    """Not on the list of who has returned, but an id can be guessed: still no email."""
    champion, window = make_champion(), make_window()
    if change == "deactivated":
        champion.active = False
    elif change == "closed":
        champion.closed_at = champion.created_at
    else:
        champion.email_verified_at = None
    db.session.commit()
    sign_in(coordinator)
    assert client.post(f"/returns/windows/{window.id}/remind/{champion.id}").status_code == 404
    assert outbox.messages() == []


def test_a_wellbeing_answer_can_be_taken_back(client, sign_in, make_champion, make_window):
    """A radio once ticked cannot be unticked: "I would rather not say" clears an answer given by mistake."""
    window, champion = make_window(), make_champion()
    sign_in(champion)
    client.post(f"/returns/{window.id}", data=_form(wellbeing="2"))
    assert queries.return_for(window.id, champion.id).wellbeing == 2
    page = client.get(f"/returns/{window.id}").get_data(as_text=True)
    assert "I would rather not say" in page
    client.post(f"/returns/{window.id}", data=_form(version=1, wellbeing="0"))
    db.session.expire_all()
    assert queries.return_for(window.id, champion.id).wellbeing is None


def test_posts_without_the_csrf_token_change_nothing(
    app, client, sign_in, make_champion, make_window, coordinator
):
    window, champion = make_window(), make_champion()
    sign_in(champion)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/returns/{window.id}", data=_form(action="submit")).status_code == 400
    assert db.session.scalar(select(func.count(QuarterlyReturn.id))) == 0
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(coordinator)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/returns/windows/{window.id}/remind/{champion.id}").status_code == 400
    dates = {"opens_on": "2026-10-01", "closes_on": "2026-10-20", "version": str(window.version)}
    assert client.post(f"/returns/windows/{window.id}/dates", data=dates).status_code == 400
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_one_answer_given_by_everyone_is_not_shown(
    client, sign_in, coordinator, make_champion, make_window, send_return
):
    """Coordinators see who returned: if all of them answered alike, the figure would be each one's answer."""
    window = make_window()
    people = [make_champion() for _ in range(6)]
    for person in people[:5]:
        send_return(person, window, wellbeing=1)
    window.closes_on = clock.today() - timedelta(days=1)
    db.session.commit()
    totals = queries.totals(window)
    assert totals.wellbeing.rows == () and totals.wellbeing_all_alike
    sign_in(coordinator)
    page = client.get(f"/returns/windows/{window.id}/totals").get_data(as_text=True)
    assert "Struggling" not in page and "gave the same answer" in page
    # When someone did not answer, nobody can tell who gave the one answer there is.
    window.closes_on = clock.today() + timedelta(days=1)
    db.session.commit()
    send_return(people[5], window, wellbeing=None)
    window.closes_on = clock.today() - timedelta(days=1)
    db.session.commit()
    assert dict(queries.totals(window).wellbeing.rows)["Struggling"] == 5
