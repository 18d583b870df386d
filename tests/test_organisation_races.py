"""A new organisation named in two places at one moment is made once and shared, and nothing else is lost.

Typing an organisation that is not in the register adds it. Two people (or two tabs) naming the same new one
at once both found no row and both inserted: the second met the unique name and got an error page. The
other's insert is committed just before this request's own (tests/straddle.py), with no threads.
"""

import pytest
from sqlalchemy import func, insert, select

from champions.accounts import services as accounts
from champions.extensions import db
from champions.reference.models import Organisation
from champions.reference.services import find_or_create_organisation
from tests.straddle import other_commits_first

NAME = "Loch Leven Community Trust"


def _made_elsewhere(other) -> None:
    other.execute(insert(Organisation.__table__).values(name=NAME, kind="other", status="listed"))


def _inserting_an_organisation(statement: str) -> bool:
    return statement.lstrip().upper().startswith("INSERT INTO ORGANISATIONS")


def _named() -> list[int]:
    named = func.lower(Organisation.name) == NAME.lower()
    return list(db.session.scalars(select(Organisation.id).where(named)))


def test_the_organisation_made_a_moment_before_is_the_one_returned(app):
    with other_commits_first(_made_elsewhere, _inserting_an_organisation):
        organisation = find_or_create_organisation(NAME)
        db.session.commit()
    assert _named() == [organisation.id]


def test_a_profile_saved_with_that_name_keeps_every_other_change(make_user):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite: the profile's version claim holds the write lock, so no one inserts in between")
    user = make_user()
    with other_commits_first(_made_elsewhere, _inserting_an_organisation):
        accounts.update_profile(user, "Morag  Lindsay", NAME, "")
    db.session.expire_all()
    assert user.name == "Morag Lindsay"
    assert user.organisation is not None and user.organisation.name == NAME
    assert _named() == [user.organisation_id]


def test_a_new_organisation_is_undone_with_the_request_that_made_it(app):
    """Its savepoint stays inside the request's transaction: on SQLite, a savepoint opened with no transaction
    would have become the outermost one, and releasing it would have committed the row on its own."""
    find_or_create_organisation(NAME)
    db.session.rollback()
    assert _named() == []
