"""The wellbeing answer is the person's own: in their data export, never in anyone else's view, and
erased with their words when the account closes (drafts go; figures and ticks stay for the totals)."""

import io
import zipfile

from sqlalchemy import func, select

from champions.clock import utcnow
from champions.extensions import db
from champions.lifecycle.services import erasure
from champions.privacy.queries.export import personal_data
from champions.privacy.services import exports
from champions.returns import services
from champions.returns.models import QuarterlyReturn, ReturnEmail


def test_the_export_holds_the_persons_returns_with_their_wellbeing(
    app, make_champion, make_window, send_return
):
    champion, window = make_champion(), make_window()
    send_return(champion, window, wellbeing=2, support_wanted="Time to think")
    send_return(make_champion(), window, wellbeing=5)
    data = personal_data(champion)["quarterly_returns"]
    assert len(data) == 1
    assert data[0]["how_you_find_the_role"] == "Finding it hard"
    assert data[0]["support_wanted"] == "Time to think"
    assert data[0]["what_helped"] == ["Working together"]
    with app.test_request_context():
        archive = zipfile.ZipFile(io.BytesIO(exports.write_zip(champion)))
    page = archive.read("index.html").decode()
    assert "Your quarterly returns" in page and "Finding it hard" in page and "Working together" in page


def test_closing_an_account_erases_words_and_wellbeing_and_drafts(
    app, make_champion, make_window, send_return, coordinator
):
    champion, window = make_champion(), make_window()
    older = services.open_window(coordinator, 2020, 1, window.opens_on, window.closes_on)
    send_return(champion, window, wellbeing=1, support_wanted="Please call", helped_words="Mine")
    send_return(champion, older, submit=False)
    services.send_due_emails()
    assert db.session.scalar(select(func.count()).select_from(ReturnEmail)) >= 1
    erasure.erase([champion.id], utcnow())
    db.session.commit()
    kept = db.session.scalars(select(QuarterlyReturn)).all()
    assert len(kept) == 1  # the draft has gone
    assert (kept[0].wellbeing, kept[0].support_wanted, kept[0].helped_words) == (None, "", "")
    assert kept[0].sessions_run == 2 and kept[0].helped_themes == ["Working together"]
    assert db.session.scalar(select(func.count()).select_from(ReturnEmail)) == 0
