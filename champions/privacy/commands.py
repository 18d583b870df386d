"""`flask build-exports` (cron) and `flask data-register` (writes docs/data-register.md)."""

from pathlib import Path

import click

from champions.extensions import db
from champions.privacy.services import exports
from champions.privacy.services import register as data_register

REGISTER_PATH = Path(__file__).resolve().parents[2] / "docs" / "data-register.md"


@click.command("build-exports")
@click.option("--quiet", is_flag=True, help="Say nothing when there was nothing to do.")
def build_exports_command(quiet: bool) -> None:
    """Build the data exports people asked for, email their links, and drop expired copies."""
    counts = exports.build_pending()
    if quiet and not any(counts.values()):
        return
    click.echo(f"Built {counts['built']} export(s); {counts['expired']} expired link(s) cleared.")
    if counts["failed"]:
        click.echo(f"{counts['failed']} export(s) failed and stay queued; see the log.", err=True)


@click.command("data-register")
@click.option("--check", is_flag=True, help="Only say whether docs/data-register.md is up to date.")
def data_register_command(check: bool) -> None:
    """Write docs/data-register.md from the models and the descriptions in privacy/services/register.py."""
    missing = data_register.undescribed(db.metadata)
    if missing:
        raise click.ClickException("Describe these in privacy/services/register.py: " + ", ".join(missing))
    text = data_register.as_markdown(db.metadata)
    if check:
        if not REGISTER_PATH.exists() or REGISTER_PATH.read_text() != text:
            raise click.ClickException("docs/data-register.md is out of date: run `flask data-register`.")
        click.echo("docs/data-register.md is up to date.")
        return
    REGISTER_PATH.parent.mkdir(exist_ok=True)
    REGISTER_PATH.write_text(text)
    click.echo(f"Wrote {REGISTER_PATH}.")


def register(cli: click.Group) -> None:
    cli.add_command(build_exports_command)
    cli.add_command(data_register_command)
