"""`flask receive-mail`: a small SMTP server (aiosmtpd) for the reply addresses, and its handler."""

import logging
import signal
import threading
import traceback

import click
from aiosmtpd.controller import Controller
from flask import Flask, current_app
from flask.cli import with_appcontext

from champions import reply_address
from champions.extensions import db
from champions.replies import services

log = logging.getLogger(__name__)

# More reply addresses than a person's one reply needs: each would be a post (RFC 5321 allows refusing).
MAX_RECIPIENTS = 5


class ReplyHandler:
    """Refuses any address but a reply address at REPLY_DOMAIN at RCPT; takes the rest and posts them.

    Each email is dealt with before the server answers 250, so a sender that is told "accepted" knows it
    has been logged; what is refused after that is logged and dropped, never bounced (a bounce to a
    forged sender would be mail to a stranger).
    """

    def __init__(self, app: Flask):
        self.app = app

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd
        with self.app.app_context():
            token = reply_address.token_in(address)
        if token is None:
            log.info("Refused mail for an address that is not a reply address here")  # never the address
            return "550 5.1.1 No such reply address here"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        with self.app.app_context():
            try:
                services.receive(envelope.mail_from or "", envelope.rcpt_tos, envelope.original_content)
            except Exception as error:
                # Never the exception's text or traceback: a database error quotes its SQL's parameters,
                # which are the reply's words. Its kind and where it was raised are enough to look into it.
                log.error(
                    "Could not take a reply email (%s, %s); the sending server will try again",
                    type(error).__name__,
                    _where(error),
                )
                db.session.rollback()
                return "451 4.3.0 Please try again later"
            finally:
                db.session.remove()
        return "250 Message accepted"


def _where(error: BaseException) -> str:
    """The file and line the error was raised at, from its traceback, without its message."""
    frames = traceback.extract_tb(error.__traceback__)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


def start_server(app: Flask, host: str, port: int) -> Controller:
    """Start the server in a thread of its own; emails over REPLY_MAX_BYTES are refused at DATA (552)."""
    # aiosmtpd logs every sender and recipient address at INFO (and the email at DEBUG): the log keeps
    # neither addresses nor words, so only its warnings and errors are let through.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(
        ReplyHandler(app),
        hostname=host,
        port=port,
        data_size_limit=app.config["REPLY_MAX_BYTES"],
        decode_data=False,
    )
    controller.start()
    return controller


@click.command("receive-mail")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8025, show_default=True, help="Port to listen on (put port 25 in front).")
@with_appcontext
def receive_mail_command(host: str, port: int) -> None:
    """Take replies to notification emails over SMTP, until stopped."""
    app = current_app._get_current_object()
    if not reply_address.domain():
        raise click.ClickException("Set REPLY_DOMAIN first: without it there are no reply addresses.")
    controller = start_server(app, host, port)
    click.echo(f"Taking replies for reply+...@{reply_address.domain()} on {host}:{port}; Ctrl+C stops.")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


def register(cli) -> None:
    cli.add_command(receive_mail_command)
