"""`flask send-action-reminders` (cron, daily): one email to each owner of an action due within a week."""

import click

from champions.assessments import services
from champions.small_numbers import plural


@click.command("send-action-reminders")
def send_action_reminders_command() -> None:
    """Queue a reminder for each action due within 7 days or overdue, once per action."""
    queued = services.send_action_reminders()
    click.echo(f"Queued {plural(queued, 'action reminder')}. Run `flask send-mail` to deliver them.")


def register(cli: click.Group) -> None:
    cli.add_command(send_action_reminders_command)
