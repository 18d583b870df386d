"""A champion's quarterly return: pre-filled, saved as a draft, sent once, read-only after, late when late."""

from datetime import timedelta

from sqlalchemy import func, select

from champions.clock import utcnow
from champions.events.models import Event, Registration
from champions.extensions import db
from champions.reference.models import NttpLevel
from champions.returns import queries
from champions.returns.models import QuarterlyReturn, ReturnReach
from champions.versions import STALE_MESSAGE


def _levels():
    return list(db.session.scalars(select(NttpLevel).order_by(NttpLevel.position)))


def _form(version: int = 0, **values) -> dict:
    data = {
        "version": str(version),
        "sessions_run": "3",
        "events_attended": "1",
        "case_studies_shared": "0",
        "helped": ["Working together", "Leadership and culture", "Working together"],
        "helped_words": "My manager protected an afternoon.",
        "hindered": ["Time and workload"],
        "hindered_words": "",
        "support_wanted": "Someone to talk cases through with",
        "wellbeing": "3",
        "action": "draft",
    }
    data.update({f"reach_{level.id}": str(10 * (i + 1)) for i, level in enumerate(_levels())})
    data.update(values)
    return data


def _event_in(window, organiser, attendee):
    """A published event in the middle of the window's quarter, organised by one and attended by another."""
    starts = utcnow().replace(year=window.year, month=3 * window.quarter - 1, day=10, microsecond=0)
    event = Event(
        title="Reflective practice circle",
        event_type="training",
        format="online",
        status="published",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        created_by_id=organiser.id,
    )
    db.session.add(event)
    db.session.flush()
    db.session.add(Registration(event_id=event.id, user_id=attendee.id, status="confirmed", attended=True))
    db.session.commit()
    return event


def test_the_form_is_pre_filled_from_what_the_portal_knows(client, make_champion, make_window, sign_in):
    champion, other = make_champion(), make_champion()
    window = make_window()
    _event_in(window, organiser=champion, attendee=other)
    _event_in(window, organiser=other, attendee=champion)
    sign_in(champion)
    page = client.get(f"/returns/{window.id}").get_data(as_text=True)
    assert "We have filled in what the portal knows" in page
    assert 'name="sessions_run" type="text" value="1"' in page
    assert 'name="events_attended" type="text" value="1"' in page
    assert "https://wellbeinghub.scot" in page
    assert 'name="version" type="hidden" value="0"' in page


def test_a_champion_saves_a_draft_then_sends_it_and_it_is_read_only_after(
    client, make_champion, make_window, sign_in
):
    champion, window = make_champion(), make_window()
    sign_in(champion)
    response = client.post(f"/returns/{window.id}", data=_form())
    assert response.status_code == 302 and response.headers["Location"] == f"/returns/{window.id}"
    draft = queries.return_for(window.id, champion.id)
    assert draft.status == "draft" and draft.sessions_run == 3
    # Each theme once, in the order the form shows them.
    assert draft.helped_themes == ["Leadership and culture", "Working together"]
    assert [draft.people_at(level.id) for level in _levels()] == [10, 20, 30, 40]
    page = client.get(f"/returns/{window.id}").get_data(as_text=True)
    assert "My manager protected an afternoon." in page  # the draft comes back

    response = client.post(
        f"/returns/{window.id}", data=_form(draft.version, sessions_run="4", action="submit")
    )
    sent = queries.return_for(window.id, champion.id)
    assert response.headers["Location"] == f"/returns/sent/{sent.id}"
    assert sent.is_submitted and not sent.late and sent.sessions_run == 4 and sent.wellbeing == 3

    # Read-only: the form sends them to the return; another save changes nothing.
    assert client.get(f"/returns/{window.id}").headers["Location"] == f"/returns/sent/{sent.id}"
    client.post(f"/returns/{window.id}", data=_form(sent.version, sessions_run="99", action="submit"))
    db.session.expire_all()
    assert queries.return_for(window.id, champion.id).sessions_run == 4
    page = client.get(f"/returns/sent/{sent.id}").get_data(as_text=True)
    assert "It can no longer be changed" in page and "Some ups and downs" in page
    listing = client.get("/returns").get_data(as_text=True)
    assert f"/returns/sent/{sent.id}" in listing


def test_a_stale_form_is_refused_and_keeps_the_text(client, make_champion, make_window, sign_in):
    champion, window = make_champion(), make_window()
    sign_in(champion)
    client.post(f"/returns/{window.id}", data=_form())  # the first tab saves a draft
    response = client.post(
        f"/returns/{window.id}",
        data=_form(0, helped_words="Words from the second tab", support_wanted="Time"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert STALE_MESSAGE.split(",")[0] in page.replace("&#39;", "'")
    assert "Words from the second tab" in page
    assert queries.return_for(window.id, champion.id).helped_words == "My manager protected an afternoon."


def test_the_same_submission_twice_is_one_return(app, make_champion, make_window, send_return):
    champion, window = make_champion(), make_window()
    first = send_return(champion, window)
    again = send_return(champion, window)  # the same answers: the one return, unchanged
    assert again.id == first.id
    assert db.session.scalar(select(func.count(QuarterlyReturn.id))) == 1


def test_a_return_after_the_window_closes_is_accepted_as_late(client, make_champion, make_window, sign_in):
    champion = make_champion()
    window = make_window(opens_in_days=-40, closes_in_days=-10)
    sign_in(champion)
    page = client.get(f"/returns/{window.id}").get_data(as_text=True)
    assert "A return sent now is still welcome" in page
    client.post(f"/returns/{window.id}", data=_form(action="submit"))
    sent = queries.return_for(window.id, champion.id)
    assert sent.is_submitted and sent.late
    assert "Late" in client.get("/returns").get_data(as_text=True)


def test_a_window_not_yet_open_is_not_there(client, make_champion, make_window, sign_in):
    champion = make_champion()
    window = make_window(opens_in_days=3, closes_in_days=30)
    sign_in(champion)
    assert client.get(f"/returns/{window.id}").status_code == 404
    assert client.post(f"/returns/{window.id}", data=_form()).status_code == 404


def test_bad_input_is_a_clear_message_and_keeps_what_was_typed(client, make_champion, make_window, sign_in):
    champion, window = make_champion(), make_window()
    sign_in(champion)
    cases = [
        ({"sessions_run": "lots"}, "Enter a whole number from 0 to 1,000"),
        ({"sessions_run": "-2"}, "Enter a whole number from 0 to 1,000"),
        ({"helped_words": "x" * 2_001}, "Keep this to 2,000 characters or fewer"),
        ({"wellbeing": "9"}, "Choose one of the answers, or leave it blank"),
        ({"wellbeing": "happy"}, "Invalid Choice"),
        ({"helped": ["Not a theme"]}, "not a valid choice"),
    ]
    for values, message in cases:
        response = client.post(
            f"/returns/{window.id}", data=_form(support_wanted="Kept words", **values, action="submit")
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200, values
        assert message in page, (values, page[page.find("error-summary") : page.find("error-summary") + 600])
        assert "Kept words" in page
    assert queries.return_for(window.id, champion.id) is None


def test_people_reached_are_kept_per_level(app, make_champion, make_window, send_return):
    champion, window = make_champion(), make_window()
    level = _levels()[1]
    send_return(champion, window, submit=False, reach={level.id: 12})
    send_return(champion, window, submit=False, reach={level.id: 15})
    assert db.session.scalar(select(ReturnReach.people)) == 15
    assert db.session.scalar(select(func.count()).select_from(ReturnReach)) == 1


def test_the_home_page_panel_leads_to_the_return(client, make_champion, make_window, sign_in, send_return):
    champion, window = make_champion(), make_window()
    sign_in(champion)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/returns/{window.id}"' in page and "Send your return" in page
    send_return(champion, window)
    assert "Your quarterly return" not in client.get("/").get_data(as_text=True)
