"""`flask refresh-statistics`, for cron: work out the dashboards' figures and draw their charts again."""

import time

import click
from sqlalchemy import func, select

from champions.dashboard import services
from champions.dashboard.models import Chart, Figure
from champions.extensions import db


@click.command("refresh-statistics")
def refresh_statistics_command() -> None:
    """Replace the month-by-month figures and the charts with ones worked out from the data now."""
    started = time.monotonic()
    run = services.refresh_statistics()
    figures = db.session.scalar(select(func.count(Figure.id)))
    charts = db.session.scalar(select(func.count(Chart.key)))
    click.echo(
        f"Worked out {figures} figures from {run.first_month:%B %Y} to {run.last_month:%B %Y} "
        f"and drew {charts} charts in {time.monotonic() - started:.1f} s."
    )


def register(cli: click.Group) -> None:
    cli.add_command(refresh_statistics_command)
