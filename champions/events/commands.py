"""Commands for cron: `flask send-reminders` and `flask send-followups` (pledges and feedback invitations)."""

import click

from champions.events import services
from champions.small_numbers import plural


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Queue reminders 7 days and 1 day before each event (never the same one twice)."""
    queued = services.send_reminders()
    click.echo(f"Queued {plural(queued, 'event reminder')}. Run `flask send-mail` to deliver them.")


@click.command("send-followups")
def send_followups_command() -> None:
    """Queue feedback invitations after events and the 30-day and 90-day pledge follow-ups, never twice."""
    # Invitations ride on the daily follow-ups run, so the existing cron line sends them too.
    invited = services.send_feedback_invitations()
    click.echo(f"Queued {plural(invited, 'feedback invitation')}.")
    queued = services.send_followups()
    click.echo(f"Queued {plural(queued, 'pledge follow-up')}. Run `flask send-mail` to deliver them.")


def register(cli: click.Group) -> None:
    cli.add_command(send_reminders_command)
    cli.add_command(send_followups_command)
