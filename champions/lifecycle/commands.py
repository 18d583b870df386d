"""Lifecycle commands for cron: `flask apply-retention`."""

import click

from champions.clock import utcnow
from champions.lifecycle import services


@click.command("apply-retention")
def apply_retention_command() -> None:
    """Delete or close what has been kept for its retention period (safe to run more than once a day)."""
    counts = services.apply_retention(utcnow())
    for name, count in counts.items():
        click.echo(f"{name.capitalize()}: {count}")


def register(cli: click.Group) -> None:
    cli.add_command(apply_retention_command)
