"""Coordinators: windows, who has returned (never their wellbeing), one-click reminders, totals under the
rule of five with downloads, the line on /manage, and the emails for cron."""

import io
import zipfile
from datetime import timedelta

from sqlalchemy import func, select

from champions import clock, mail
from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.extensions import db
from champions.returns import queries, services
from champions.returns.models import ReturnChase, ReturnWindow, default_dates, previous_quarter
from champions.versions import STALE_MESSAGE


def _audits(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


def test_a_coordinator_opens_a_window_with_the_default_dates(client, sign_in, coordinator):
    sign_in(coordinator)
    page = client.get("/returns/windows/new").get_data(as_text=True)
    year, quarter = previous_quarter(clock.today())
    opens, closes = default_dates(year, quarter)
    assert f'value="{opens.isoformat()}"' in page and f'value="{closes.isoformat()}"' in page
    data = {"quarter": f"{year}-{quarter}", "opens_on": opens.isoformat(), "closes_on": closes.isoformat()}
    response = client.post("/returns/windows/new", data=data)
    window = db.session.scalar(select(ReturnWindow))
    assert response.headers["Location"] == f"/returns/windows/{window.id}"
    assert (window.opens_on, window.closes_on) == (opens, closes)
    assert (closes - opens).days == 27  # four weeks
    # A quarter has one window: opening it again lands on the one there is.
    again = client.post("/returns/windows/new", data=data)
    assert again.headers["Location"] == f"/returns/windows/{window.id}"
    assert db.session.scalar(select(func.count(ReturnWindow.id))) == 1
    assert _audits("return_window.open") == 1


def test_window_dates_are_checked_and_carry_a_version(client, sign_in, coordinator, make_window):
    window = make_window()
    sign_in(coordinator)
    bad = {"opens_on": "2026-10-10", "closes_on": "2026-10-01", "version": str(window.version)}
    assert "The window must close on or after the day it opens" in client.post(
        f"/returns/windows/{window.id}/dates", data=bad
    ).get_data(as_text=True)
    assert "Enter a real date, like 2026-10-01" in client.post(
        f"/returns/windows/{window.id}/dates", data={**bad, "opens_on": "soon"}
    ).get_data(as_text=True)
    closes = window.closes_on + timedelta(days=7)
    good = {"opens_on": window.opens_on.isoformat(), "closes_on": closes.isoformat(), "version": "1"}
    assert client.post(f"/returns/windows/{window.id}/dates", data=good).status_code == 302
    stale = client.post(
        f"/returns/windows/{window.id}/dates",
        data={**good, "closes_on": (closes + timedelta(days=1)).isoformat()},
    )
    assert stale.status_code == 409
    assert STALE_MESSAGE.split(",")[0] in stale.get_data(as_text=True).replace("&#39;", "'")
    db.session.expire_all()
    assert db.session.get(ReturnWindow, window.id).closes_on == closes


def test_who_has_returned_shows_their_areas_first_and_never_wellbeing(
    client, sign_in, make_user, make_champion, make_window, send_return, area_named
):
    fife_sent, fife_draft, fife_none = make_champion(), make_champion(), make_champion()
    glasgow = make_champion(area="Glasgow City")
    window = make_window()
    send_return(fife_sent, window, wellbeing=1, support_wanted="Please call me")
    send_return(fife_draft, window, submit=False)
    coordinator = make_user(role=Role.COORDINATOR, council_area=area_named("Fife"))
    sign_in(coordinator)
    page = client.get(f"/returns/windows/{window.id}").get_data(as_text=True)
    for person in (fife_sent, fife_draft, fife_none):
        assert person.name in page
    assert glasgow.name not in page  # their areas by default
    assert "Returned" in page and "Draft saved" in page and "Not yet" in page
    assert "Struggling" not in page and "Please call me" not in page
    assert "1 of 4 champions have sent their return" in page
    assert "In your areas, 1 of 3 have sent theirs." in page
    elsewhere = client.get(f"/returns/windows/{window.id}?where=elsewhere").get_data(as_text=True)
    assert glasgow.name in elsewhere and fife_sent.name not in elsewhere
    everyone = client.get(f"/returns/windows/{window.id}?where=all").get_data(as_text=True)
    assert all(person.name in everyone for person in (fife_sent, fife_draft, fife_none, glasgow))


def test_elsewhere_lists_champions_without_an_nhs_board_for_a_board_coordinator(
    client, sign_in, make_user, make_champion, make_window, area_named
):
    # A champion's NHS board may be empty: "not in your areas" must still list them (SQL's NULL is not false).
    glasgow = make_champion(area="Glasgow City")
    fife = make_champion()
    window = make_window()
    board = area_named("Fife").health_board
    sign_in(make_user(role=Role.COORDINATOR, council_area=None, health_board=board))
    elsewhere = client.get(f"/returns/windows/{window.id}?where=elsewhere").get_data(as_text=True)
    assert "Elsewhere: 1 champion" in elsewhere
    assert glasgow.name in elsewhere and fife.name not in elsewhere


def test_who_has_returned_narrows_to_a_state_and_pages_through_many(
    client, sign_in, make_champion, make_window, send_return, coordinator
):
    window = make_window()
    sent = make_champion(name="Aileen Sent")
    send_return(sent, window)
    drafting = make_champion(name="Aileen Drafting")
    send_return(drafting, window, submit=False)
    waiting = [make_champion(name=f"Zed Waiting {n:02}") for n in range(queries.PROGRESS_PER_PAGE + 2)]
    sign_in(coordinator)  # a coordinator for Fife, where they all are
    url = f"/returns/windows/{window.id}"
    first = client.get(url).get_data(as_text=True)
    assert "Your areas: 54 champions" in first
    assert sent.name in first and waiting[0].name in first and waiting[-1].name not in first
    assert f"{url}?page=2" in first
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    assert waiting[-1].name in second and sent.name not in second
    only_sent = client.get(f"{url}?show=sent").get_data(as_text=True)
    assert sent.name in only_sent and drafting.name not in only_sent and waiting[0].name not in only_sent
    not_sent = client.get(f"{url}?show=waiting").get_data(as_text=True)
    assert drafting.name in not_sent and waiting[0].name in not_sent and sent.name not in not_sent
    assert "53 champions" in not_sent
    assert f"{url}?show=waiting&amp;page=2" in not_sent


def test_who_has_returned_takes_any_address_calmly(client, sign_in, make_champion, make_window, coordinator):
    window = make_window()
    champion = make_champion()
    sign_in(coordinator)
    for query in [
        "show=nonsense",
        "where=mars",
        "page=0",
        "page=-1",
        "page=abc",
        "page=99999999999",
        "page=" + "9" * 5000,  # more digits than int() reads
        "page=%C2%B2",  # a digit to Python, not a number
        "page=9",
    ]:
        response = client.get(f"/returns/windows/{window.id}?{query}")
        assert response.status_code == 200, query
    assert champion.name in client.get(f"/returns/windows/{window.id}?show=nonsense&page=abc").get_data(
        as_text=True
    )
    past_the_end = client.get(f"/returns/windows/{window.id}?page=9").get_data(as_text=True)
    assert "No champions here match what you chose" in past_the_end


def test_a_reminder_comes_back_to_the_page_it_was_sent_from(
    client, sign_in, make_champion, make_window, coordinator
):
    window = make_window()
    champion = make_champion()
    sign_in(coordinator)
    response = client.post(
        f"/returns/windows/{window.id}/remind/{champion.id}?show=waiting&page=2&where=mine&evil=https://x.test"
    )
    assert response.headers["Location"] == (
        f"/returns/windows/{window.id}?show=waiting&page=2#champion-{champion.id}"
    )


def test_send_a_reminder_is_one_email_a_day_audited(
    client, sign_in, make_champion, make_window, coordinator, outbox
):
    champion, window = make_champion(), make_window()
    sign_in(coordinator)
    url = f"/returns/windows/{window.id}/remind/{champion.id}"
    first = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert f"A reminder is on its way to {champion.name}" in first
    second = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "has had a reminder today already, so we did not send another" in second
    assert "Reminded today" in second
    assert len(outbox.messages(champion.email)) == 1
    assert f"https://portal.example.test/returns/{window.id}" in outbox.links(champion.email)
    assert db.session.scalar(select(func.count(ReturnChase.id))) == 1
    assert _audits("return.chase") == 1
    assert client.get(url).status_code == 405  # GET never sends


def test_no_reminder_to_someone_who_has_returned_or_is_not_a_champion(
    client, sign_in, make_champion, make_window, coordinator, make_user, send_return, outbox
):
    champion, window = make_champion(), make_window()
    send_return(champion, window)
    sign_in(coordinator)
    page = client.post(f"/returns/windows/{window.id}/remind/{champion.id}", follow_redirects=True)
    assert "has sent their return already" in page.get_data(as_text=True)
    member = make_user()
    assert client.post(f"/returns/windows/{window.id}/remind/{member.id}").status_code == 404
    assert client.post(f"/returns/windows/999999/remind/{champion.id}").status_code == 404
    assert outbox.messages() == []


def test_totals_keep_the_rule_of_five(client, sign_in, make_champion, make_window, coordinator, send_return):
    window = make_window()
    champions = [make_champion() for _ in range(7)]
    for person in champions[:3]:
        send_return(person, window)
    sign_in(coordinator)
    page = client.get(f"/returns/windows/{window.id}/totals").get_data(as_text=True)
    assert "fewer than 5" in page and "The totals appear once at least 5 champions" in page
    assert "Sessions run" not in page

    for n, person in enumerate(champions[3:]):
        send_return(person, window, wellbeing=None if n == 0 else 4, support_wanted="Time" if n < 2 else "")
    totals = queries.totals(window)
    assert totals.returned == 7 and not totals.withheld
    assert totals.sessions_run == 14
    assert not totals.answers_shown  # what people said waits for the window to close
    window.closes_on = clock.today() - timedelta(days=1)
    db.session.commit()
    totals = queries.totals(window)
    rows = dict(totals.rows())
    assert rows["What helped: Working together"] == "7"
    assert rows["What helped: Wellbeing"] == "0"
    assert rows["Champions asking for support"] == "fewer than 5"
    # Six answered how they find the role: 3 said 4 ("Mostly fine") at first, so 6 of them now.
    assert rows["How they find the role: Mostly fine"] == "6"
    assert totals.support_words == []  # fewer than 5 wrote some
    page = client.get(f"/returns/windows/{window.id}/totals").get_data(as_text=True)
    assert "Mostly fine" in page and "Time and workload" in page

    csv = client.get(f"/returns/windows/{window.id}/totals.csv")
    assert csv.mimetype == "text/csv" and "Champions asking for support,fewer than 5" in csv.get_data(
        as_text=True
    )
    ods = client.get(f"/returns/windows/{window.id}/totals.ods")
    assert (
        zipfile.ZipFile(io.BytesIO(ods.data)).read("mimetype")
        == b"application/vnd.oasis.opendocument.spreadsheet"
    )
    assert client.get(f"/returns/windows/{window.id}/totals.xls").status_code == 404


def test_wellbeing_counts_only_when_five_answered(app, make_champion, make_window, send_return):
    window = make_window()
    for n in range(6):
        send_return(make_champion(), window, wellbeing=4 if n < 4 else None)
    window.closes_on = clock.today() - timedelta(days=1)
    db.session.commit()
    totals = queries.totals(window)
    assert totals.answers_shown and totals.wellbeing_answers == 4 and totals.wellbeing.rows == ()


def test_manage_shows_how_many_have_returned(
    client, sign_in, coordinator, make_champion, make_window, send_return
):
    window = make_window()
    people = [make_champion() for _ in range(3)]
    send_return(people[0], window)
    make_champion(status="pending")
    sign_in(coordinator)
    page = client.get("/manage").get_data(as_text=True)
    assert "1 of 3 champions have sent their return" in page
    assert f"/returns/windows/{window.id}" in page


def test_the_emails_for_cron_go_once_each(app, make_champion, make_window, send_return, outbox):
    sent, waiting, drafting = make_champion(), make_champion(), make_champion()
    window = make_window(opens_in_days=-2, closes_in_days=20)
    send_return(sent, window)
    send_return(drafting, window, submit=False)
    today = clock.today()
    assert services.send_due_emails(today) == (2, 0)  # not the one who has returned
    assert services.send_due_emails(today) == (0, 0)  # a second run sends nothing
    opening = outbox.messages(waiting.email)[0]
    assert "is open" in opening.subject and f"https://portal.example.test/returns/{window.id}" in opening.body

    week_before = window.closes_on - timedelta(days=7)
    assert services.send_due_emails(week_before) == (0, 2)
    assert services.send_due_emails(week_before + timedelta(days=1)) == (0, 0)
    assert outbox.messages(sent.email) == []
    assert "your draft is saved" in outbox.messages(drafting.email)[-1].body
    assert services.send_due_emails(window.closes_on + timedelta(days=1)) == (0, 0)  # closed


def test_the_command_reports_what_it_queued(app, make_champion, make_window):
    make_champion()
    make_window()
    runner = app.test_cli_runner()
    assert "Queued 1 opening email and 0 reminders" in runner.invoke(args=["send-return-emails"]).output
    assert "Queued 0 opening emails and 0 reminders" in runner.invoke(args=["send-return-emails"]).output


def test_an_opening_email_goes_out_over_smtp(app, make_champion, make_window, smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    champion = make_champion()
    make_window()
    services.send_due_emails()
    assert mail.deliver_pending()["sent"] == 1
    assert smtp_server.messages[0].rcpt_tos == [champion.email]


def test_the_who_has_returned_page_reads_a_fixed_number_of_queries(
    client, sign_in, coordinator, make_champion, make_window, send_return, count_queries
):
    window = make_window()
    sign_in(coordinator)

    def queries_for_page() -> int:
        with count_queries() as statements:
            assert client.get(f"/returns/windows/{window.id}").status_code == 200
            assert client.get(f"/returns/windows/{window.id}/totals").status_code == 200
        return len(statements)

    for _ in range(5):  # enough for the totals to show
        send_return(make_champion(), window)
    few = queries_for_page()
    for _ in range(6):
        send_return(make_champion(area="Glasgow City"), window)
    assert queries_for_page() == few
