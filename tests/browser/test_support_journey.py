"""Issue #16's "Done when", as one journey in a real browser, on a portal of its own (so the other tests'
returns and pairings do not get in its way):

the Fife champion sends a quarterly return, asks for a buddy and is paired by the coordinator; a member in
Edinburgh writes to their local champion from the profile; the champion's reply, sent by email over SMTP
to `flask receive-mail`'s server, shows up in the conversation. axe and the Nu Html Checker check each page.
"""

import re
import smtplib
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from champions import mail
from champions.accounts.models import User
from champions.extensions import db
from champions.replies import commands
from champions.replies.models import ReceivedMail
from tests.browser.conftest import serving
from tests.conftest import free_port

DOMAIN = "reply.portal.example.test"


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("journey") / "journey.sqlite3", REPLY_DOMAIN=DOMAIN) as running:
        yield running


@pytest.fixture
def reply_server(portal):
    app, _ = portal
    controller = commands.start_server(app, "127.0.0.1", free_port())
    yield controller
    controller.stop()


def served(page) -> str:
    """The page's HTML as served, before the design system's script changes it (vnu checks what we send)."""
    return page.request.get(page.url).text()


def open_page(browser, base: str, email: str, sign_in_page):
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    sign_in_page(page, base, email)
    return context, page


def send_return(page, base: str, tick) -> None:
    page.goto(f"{base}/")
    page.get_by_role("link", name=re.compile("^Send your return for")).click()
    page.wait_for_load_state()
    page.get_by_label("Sessions you ran").fill("2")
    page.get_by_label("Trauma-informed").fill("18")
    page.locator('label[for="helped-4"]').click()  # What helped: Working together
    expect(page.locator("#helped-4")).to_be_checked()
    tick(page, "Mostly fine")
    page.get_by_role("button", name="Send your return").click()
    page.wait_for_load_state()
    assert "Thank you. Your return has been sent." in page.content()


def ask_for_buddy(page, base: str, tick) -> None:
    page.goto(f"{base}/buddies")
    page.get_by_role("link", name="Ask for a buddy").click()
    page.wait_for_load_state()
    tick(page, "Someone nearby: in my NHS board or a neighbouring one")
    page.get_by_role("button", name="Ask for a buddy").click()
    page.wait_for_load_state()
    assert "A coordinator will look for a buddy for you" in page.content()


def pair(page, base: str) -> str:
    page.goto(f"{base}/manage")
    page.get_by_role("link", name="Requests for a buddy").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Fiona Robertson").click()
    page.wait_for_load_state()
    first = page.locator("form button", has_text="Pair with").first
    buddy = first.inner_text().removeprefix("Pair with ")
    first.click()
    page.wait_for_load_state()
    assert "They are paired" in page.content()
    return buddy


def deliver_notice(app, smtp_server, to: str) -> EmailMessage:
    """Send the outbox over real SMTP, as `flask send-mail` does; return the notice the champion got."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        mail.deliver_pending()
    [envelope] = [e for e in smtp_server.messages if to in e.rcpt_tos]
    return message_from_bytes(envelope.content, policy=policy.default)


def reply_by_email(reply_server, notice: EmailMessage, sender: str, words: str) -> None:
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = notice["Reply-To"]
    reply["Subject"] = f"Re: {notice['Subject']}"
    reply["Message-ID"] = make_msgid(domain="nhs.example.org")
    reply["In-Reply-To"] = notice["Message-ID"]
    quoted = "\n".join(f"> {line}" for line in notice.get_content().splitlines())
    signed = f"{words}\n\nKind regards,\nThe champion\n\n"
    reply.set_content(f"{signed}On {notice['Date'] or 'Monday'}, the portal wrote:\n{quoted}\n")
    with smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp:
        smtp.send_message(reply)


def test_return_buddy_message_and_a_reply_by_email(
    browser, portal, reply_server, smtp_server, sign_in_page, axe, tick, nu_check, tmp_path
):
    app, base = portal
    pages = {}

    context, page = open_page(browser, base, "champion@example.org", sign_in_page)
    send_return(page, base, tick)
    ask_for_buddy(page, base, tick)
    context.close()

    context, page = open_page(browser, base, "coordinator@example.org", sign_in_page)
    buddy = pair(page, base)
    context.close()

    context, page = open_page(browser, base, "champion@example.org", sign_in_page)
    page.goto(f"{base}/buddies")
    expect(page.get_by_role("link", name=buddy)).to_be_visible()
    context.close()

    context, page = open_page(browser, base, "member@example.org", sign_in_page)
    page.goto(f"{base}/champions/local")
    assert "City of Edinburgh" in page.content()
    champion_link = page.locator("a.ds_search-result__link").first
    champion = champion_link.inner_text()
    champion_link.click()
    page.wait_for_load_state()
    page.get_by_role("link", name=f"Contact {champion}").click()
    page.wait_for_load_state()
    page.get_by_label("Subject").fill("Trauma training for our team")
    page.get_by_label("Your message").fill("Hello, could you help us plan training for our housing team?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert "Your message has been sent." in page.content()
    conversation_url = page.url

    with app.app_context():
        champion_email = db.session.scalars(
            select(User.email).where(User.name == champion).order_by(User.id)
        ).first()
    notice = deliver_notice(app, smtp_server, champion_email)
    assert notice["Reply-To"].endswith("@" + DOMAIN) and "reply to this email" in notice.get_content()
    reply_by_email(reply_server, notice, champion_email, "Yes, gladly. I can come on **Thursday** afternoon.")

    page.goto(conversation_url)
    page.wait_for_load_state()
    expect(page.locator("strong", has_text="Thursday")).to_be_visible()
    assert "the portal wrote" not in page.content() and "Kind regards" not in page.content()
    pages["conversation"] = served(page)
    assert axe(page) == []
    context.close()
    with app.app_context():
        assert db.session.scalars(select(ReceivedMail.outcome)).all() == ["posted"]

    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    assert [(m.get("url"), m.get("message")) for m in messages if m.get("type") == "error"] == []
