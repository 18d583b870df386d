"""The data register describes every column of every table, and docs/data-register.md is up to date."""

from pathlib import Path

from sqlalchemy import Column, MetaData, String

from champions.extensions import db
from champions.privacy.services import register

REGISTER_FILE = Path(__file__).resolve().parents[2] / "docs" / "data-register.md"


def test_every_column_of_every_table_is_described(app):
    assert register.undescribed(db.metadata) == []


def test_a_new_column_nobody_described_fails(app):
    grown = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(grown)
    grown.tables["users"].append_column(Column("nickname", String(40)))
    assert register.undescribed(grown) == ["users.nickname"]


def test_the_register_in_the_repository_is_the_generated_one(app):
    assert REGISTER_FILE.read_text() == register.as_markdown(db.metadata), "run `flask data-register`"


def test_the_command_checks_and_writes(app):
    result = app.test_cli_runner().invoke(args=["data-register", "--check"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
