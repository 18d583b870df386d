"""`flask backup` and `flask restore`: one consistent copy of the whole database, attachments included.

On SQLite, SQLite's online backup API copies the file page by page under one read transaction, so
the copy is consistent even while the portal keeps writing (WAL lets writers carry on). On
PostgreSQL the right tools are `pg_dump` and `pg_restore`, which this prints ready to run.
"""

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import MetaData, func, inspect, select
from sqlalchemy.engine import URL, Engine, make_url

from champions.clock import utcnow
from champions.extensions import db
from champions.reference.models import REFERENCE_TABLES

# Filled by the migrations, or only counters, so a fresh database holding just these still counts as empty.
NOT_DATA = REFERENCE_TABLES | {"alembic_version", "rate_limit_counters"}


class BackupError(Exception):
    """The backup or restore cannot be done as asked; the message says why."""


class DatabaseNotEmpty(BackupError):
    """The database to restore into already holds data, and --force was not given."""


def timestamped_name(now: datetime | None = None, suffix: str = ".sqlite3") -> str:
    """Name a backup after the UTC moment it was taken (the portal's clock, as everywhere)."""
    return f"champions-{(now or utcnow()):%Y%m%dT%H%M%SZ}{suffix}"


def sqlite_path(url: URL) -> Path:
    """Return the file behind a SQLite URL, refusing an in-memory database."""
    if not url.database or url.database == ":memory:":
        raise BackupError("This SQLite database is in memory: there is no file to back up or restore.")
    return Path(url.database)


def rows_by_table(engine: Engine) -> dict[str, int]:
    """Count the rows of every table in the database."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        return {
            name: conn.scalar(select(func.count()).select_from(table))
            for name, table in sorted(metadata.tables.items())
        }


def holds_data(engine: Engine) -> bool:
    """Say whether any of the portal's tables, beyond the migrations' reference data, has a row."""
    # Only the models' tables: the search index's shadow tables hold rows from the moment they exist.
    present = set(inspect(engine).get_table_names())
    tables = [t for t in db.metadata.sorted_tables if t.name in present and t.name not in NOT_DATA]
    with engine.connect() as conn:
        return any(conn.scalar(select(func.count()).select_from(table)) for table in tables)


def _check_sqlite_file(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database the portal can use ({error}).") from None
    if result != "ok":
        raise BackupError(f"{path} is damaged: SQLite's check says {result!r}.")
    if "alembic_version" not in tables:
        raise BackupError(f"{path} is not a backup of the portal: it has no alembic_version table.")


def _copy_sqlite(source: Path, destination: Path) -> None:
    # One step (pages=-1) copies every page under a single read transaction: a consistent snapshot.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(destination)) as dst:
        src.backup(dst)


def backup_sqlite(source: Path, directory: Path) -> Path:
    """Copy the live database into a new timestamped file in directory, and check the copy."""
    if not source.exists():
        raise BackupError(f"There is no database at {source} to back up.")
    directory.mkdir(parents=True, exist_ok=True)
    destination = directory / timestamped_name()
    if destination.exists():
        raise BackupError(f"{destination} already exists; wait a second and try again.")
    _copy_sqlite(source, destination)
    _check_sqlite_file(destination)
    return destination


def restore_sqlite(backup: Path, target_engine: Engine, force: bool = False) -> bool:
    """Replace the database behind target_engine with the backup; return whether data was replaced."""
    _check_sqlite_file(backup)
    target = sqlite_path(target_engine.url)
    replaced = holds_data(target_engine)
    if replaced and not force:
        raise DatabaseNotEmpty(
            f"{target} already holds data, so it was left as it is. "
            "Add --force to replace everything in it with the backup."
        )
    target_engine.dispose()  # close this process's connections to the file being replaced
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(backup, target)
    return replaced


def _libpq_url(url: URL) -> str:
    # pg_dump takes a plain postgresql:// address; the password is left to PGPASSWORD or ~/.pgpass.
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def pg_dump_command(url: URL, destination: Path) -> list[str]:
    """Return the pg_dump command that writes the whole database to destination (custom format)."""
    return [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        f"--file={destination}",
        f"--dbname={_libpq_url(url)}",
    ]


def pg_restore_command(url: URL, backup: Path, force: bool = False) -> list[str]:
    """Return the pg_restore command that loads a pg_dump backup into the database."""
    clean = ["--clean", "--if-exists"] if force else []
    return [
        "pg_restore",
        *clean,
        "--no-owner",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={_libpq_url(url)}",
        str(backup),
    ]


def shell_line(command: list[str]) -> str:
    """Quote a command for a POSIX shell."""
    return " ".join(_quote(part) for part in command)


def _quote(part: str) -> str:
    safe = all(ch.isalnum() or ch in "-_=./:@%+," for ch in part)
    return part if safe else "'" + part.replace("'", "'\"'\"'") + "'"


@click.command("backup")
@click.option(
    "--to",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder for the backup file (default: instance/backups).",
)
@with_appcontext
def backup_command(directory: Path | None) -> None:
    """Copy the whole database, attachments included, into a timestamped file."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    directory = directory or Path(current_app.instance_path) / "backups"
    if url.get_backend_name() == "postgresql":
        destination = directory / timestamped_name(suffix=".dump")
        click.echo(
            "On PostgreSQL, back up with pg_dump (it reads one consistent snapshot while the portal "
            "runs). Set PGPASSWORD if the database needs a password, then run:"
        )
        click.echo(shell_line(pg_dump_command(url, destination)))
        return
    try:
        destination = backup_sqlite(sqlite_path(url), directory)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    size = destination.stat().st_size / (1024 * 1024)
    click.echo(f"Backed up the database to {destination} ({size:.1f} MB), and checked the copy.")


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(backup: Path, force: bool) -> None:
    """Load a backup made by `flask backup` into the configured database."""
    engine = db.engine
    url = engine.url
    try:
        if url.get_backend_name() == "postgresql":
            if holds_data(engine) and not force:
                raise DatabaseNotEmpty(
                    f"The database {url.database} already holds data, so nothing was done. "
                    "Add --force for the command that replaces everything in it."
                )
            click.echo(
                "On PostgreSQL, restore with pg_restore. Stop the portal, set PGPASSWORD if needed, then run:"
            )
            click.echo(shell_line(pg_restore_command(url, backup, force)))
            return
        replaced = restore_sqlite(backup, engine, force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    counts = rows_by_table(engine)
    what = "replacing the data that was there" if replaced else "into an empty database"
    click.echo(
        f"Restored {backup} into {sqlite_path(url)}, {what}: {len(counts)} tables, "
        f"{sum(counts.values())} rows. Restart the portal, then run `flask db upgrade` "
        "in case the backup is older than this version."
    )


def register(cli: click.Group) -> None:
    cli.add_command(backup_command)
    cli.add_command(restore_command)
