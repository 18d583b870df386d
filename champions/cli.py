"""Thin command-line commands: each one calls a function and reports the result."""

import click
from flask import Flask

from champions import demo, mail


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, when real accounts exist.")
def seed_demo_command(if_empty: bool) -> None:
    """Load demo content and the four demo accounts into an empty database."""
    try:
        created = demo.seed_demo()
    except demo.NotADemoDatabase:
        message = "This database has real accounts in it, so demo content was not added."
        if if_empty:
            click.echo(message)
            return
        raise click.ClickException(message) from None
    if created:
        click.echo(f"Demo content added. Every demo account uses the password {demo.DEMO_PASSWORD}.")
    else:
        click.echo("Demo content is already there; nothing to do.")


@click.command("send-mail")
def send_mail_command() -> None:
    """Deliver the pending messages in the outbox."""
    counts = mail.deliver_pending()
    click.echo(f"Sent {counts['sent']}, will retry {counts['retry']}, gave up on {counts['failed']}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(send_mail_command)
