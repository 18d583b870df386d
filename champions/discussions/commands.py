"""Discussion commands for cron: `flask send-digests`."""

import click

from champions.discussions import services
from champions.small_numbers import plural


@click.command("send-digests")
def send_digests_command() -> None:
    """Queue today's discussion digests (safe to run more than once a day)."""
    sent = services.send_digests()
    click.echo(f"Queued {plural(sent, 'digest')}. Run `flask send-mail` to deliver them.")


def register(cli: click.Group) -> None:
    cli.add_command(send_digests_command)
