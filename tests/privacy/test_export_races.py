"""Asking for a copy from two tabs at once makes one (uq_data_exports_one_waiting): the other tab's request
commits between this one's "is one waiting?" check and its insert (tests/straddle.py)."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from champions.clock import utcnow
from champions.extensions import db
from champions.privacy.models import DataExport, ExportStatus
from champions.privacy.services import exports
from tests.straddle import other_commits_first


def _exports(**where) -> int:
    return db.session.scalar(select(func.count()).select_from(DataExport).filter_by(**where))


def test_two_tabs_asking_at_once_make_one_copy(make_user):
    person = make_user()
    row = {"subject_id": person.id, "requested_by_id": person.id, "reason": "", "status": "queued", "size": 0}

    def the_other_tab(other):
        other.execute(insert(DataExport.__table__).values(**row, requested_at=utcnow()))

    with other_commits_first(the_other_tab), pytest.raises(exports.AlreadyWaiting):
        exports.request_export(person, person, form_key=str(uuid.uuid4()))
    assert _exports(subject_id=person.id) == 1


def test_a_ready_copy_whose_link_ran_out_lets_a_new_one_be_asked_for(make_user):
    person = make_user()
    first = exports.request_export(person, person)
    first.status, first.expires_at = ExportStatus.READY.value, utcnow() - timedelta(minutes=1)
    db.session.commit()  # not yet marked expired by the nightly run
    exports.request_export(person, person)
    assert (
        _exports(status=ExportStatus.EXPIRED.value) == 1 and _exports(status=ExportStatus.QUEUED.value) == 1
    )
