"""The `flask` commands: the portal-wide ones here, and each feature's own through its `commands.register`.

Each command is thin: it calls a function and reports the result.
"""

import click
from flask import Flask, current_app

from champions import backup, demo, demo_scale, mail
from champions.assessments import commands as assessments_commands
from champions.dashboard import commands as dashboard_commands
from champions.dashboard import services as dashboard_services
from champions.discussions import commands as discussions_commands
from champions.events import commands as events_commands
from champions.lifecycle import commands as lifecycle_commands
from champions.privacy import commands as privacy_commands
from champions.replies import commands as replies_commands
from champions.returns import commands as returns_commands
from champions.search import commands as search_commands


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, when real accounts exist.")
@click.option(
    "--size",
    type=click.Choice(["demo", "medium", "large"]),
    default="demo",
    show_default=True,
    help="medium and large add a synthetic network on top (large: 100,000 members).",
)
def seed_demo_command(if_empty: bool, size: str) -> None:
    """Load demo content and the four demo accounts into an empty database."""
    if current_app.config["PRODUCTION"]:
        raise click.ClickException("Demo data, with its published passwords, is never loaded in production.")
    try:
        created = demo.seed_demo() if size == "demo" else _seed_scaled(size)
    except demo.NotADemoDatabase:
        message = "This database has real accounts in it, so demo content was not added."
        if if_empty:
            click.echo(message)
            return
        raise click.ClickException(message) from None
    if created:
        click.echo(f"Demo content added. Every demo account uses the password {demo.DEMO_PASSWORD}.")
        # So the dashboards show figures and charts at once, not the night after.
        dashboard_services.refresh_statistics()
        click.echo("Worked out the dashboards' figures (as `flask refresh-statistics` does each night).")
    else:
        click.echo("Demo content is already there; nothing to do.")


def _seed_scaled(size: str) -> bool:
    demo.ensure_demo_database()  # refuse a real database before drawing a progress bar
    label = f"Adding the {size} synthetic network"
    with click.progressbar(length=demo_scale.counts_for(size).main_rows, label=label) as bar:
        created = demo_scale.seed_scaled(size, advance=bar.update)
    targets = demo_scale.bench_targets()
    click.echo(
        f"Benchmark pages: /discussions/t/{targets['thread_id']} (100 posts), "
        f"/events/{targets['event_id']} (500 registrations)."
    )
    return created


@click.command("send-mail")
@click.option("--quiet", is_flag=True, help="Say nothing when there was nothing to send.")
def send_mail_command(quiet: bool) -> None:
    """Deliver the pending messages in the outbox."""
    counts = mail.deliver_pending()
    if quiet and not any(counts.values()):
        return
    click.echo(f"Sent {counts['sent']}, will retry {counts['retry']}, gave up on {counts['failed']}.")
    if counts["unknown"]:
        click.echo(
            f"{counts['unknown']} message(s) were being sent when a sender stopped, so they are marked "
            "'unknown' and not sent again. Check the outbox_messages table.",
            err=True,
        )


def init_app(app: Flask) -> None:
    """Add every command to `flask`: one line per feature that has commands."""
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(send_mail_command)
    backup.register(app.cli)
    assessments_commands.register(app.cli)
    dashboard_commands.register(app.cli)
    discussions_commands.register(app.cli)
    events_commands.register(app.cli)
    privacy_commands.register(app.cli)
    replies_commands.register(app.cli)
    lifecycle_commands.register(app.cli)
    returns_commands.register(app.cli)
    search_commands.register(app.cli)
