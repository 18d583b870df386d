"""Search commands: `flask search-reindex`."""

import click

from champions.search.services import rebuild_index


@click.command("search-reindex")
def reindex_command() -> None:
    """Rebuild the site search index from the content tables."""
    rebuild_index()
    click.echo("The search index has been rebuilt.")


def register(cli: click.Group) -> None:
    cli.add_command(reindex_command)
