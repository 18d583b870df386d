"""A real `flask receive-mail` server on a free port, and a helper that sends it a real email over SMTP."""

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from champions.accounts.models import Role
from champions.discussions import services as discussions
from champions.discussions.models import Category
from champions.extensions import db
from champions.messages import services as messages
from champions.replies import commands
from tests.conftest import free_port

DOMAIN = "reply.portal.example.test"


@pytest.fixture
def reply_server(app):
    """The reply server, as `flask receive-mail` starts it, with a 20 kB size cap to test it."""
    app.config.update(REPLY_DOMAIN=DOMAIN, REPLY_MAX_BYTES=20_000)
    controller = commands.start_server(app, "127.0.0.1", free_port())
    yield controller
    controller.stop()


def email(
    to: str, sender: str, body: str = "Thank you, see you on Tuesday.", headers: dict | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: New message"
    message["Message-ID"] = make_msgid(domain="mail.example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


@pytest.fixture
def send(reply_server):
    """Send an email over SMTP; the server answers only once it has dealt with it."""

    def deliver(message: EmailMessage, mail_from: str | None = None) -> None:
        db.session.commit()  # end this thread's transaction, so the server can write (SQLite)
        with smtplib.SMTP(reply_server.hostname, reply_server.port, timeout=30) as smtp:
            smtp.send_message(message, from_addr=message["From"] if mail_from is None else mail_from)
        db.session.expire_all()

    return deliver


@pytest.fixture
def people(make_user):
    ann = make_user(email="Ann.Reid@Example.org", name="Ann Reid", role=Role.CHAMPION)
    bob = make_user(email="bob@example.org", name="Bob Smith")
    return ann, bob


@pytest.fixture
def conversation(people):
    ann, bob = people
    return messages.start_conversation(bob, ann, "Meeting", "Could we meet?", form_key=str(uuid.uuid4()))


@pytest.fixture
def thread(people):
    ann, bob = people
    category = Category(slug="general", name="General", description="Anything", position=1)
    db.session.add(category)
    db.session.commit()
    return discussions.start_thread(category, bob, "Supervision", "How do you run it?", form_key="k1").thread
