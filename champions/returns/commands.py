"""Command for cron: `flask send-return-emails` (the opening email and the reminder, each sent once)."""

import click

from champions.returns import services
from champions.small_numbers import plural


@click.command("send-return-emails")
def send_return_emails_command() -> None:
    """Queue the emails due about quarterly returns: when a window opens, and a week before it closes."""
    opened, reminded = services.send_due_emails()
    click.echo(
        f"Queued {plural(opened, 'opening email')} and {plural(reminded, 'reminder')}. "
        "Run `flask send-mail` to deliver them."
    )


def register(cli: click.Group) -> None:
    cli.add_command(send_return_emails_command)
