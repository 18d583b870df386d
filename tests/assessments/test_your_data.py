"""A person's data export holds what they did in self-assessments, and no one else's address."""

import io
import json
import zipfile
from datetime import date

from sqlalchemy import func, select

from champions.assessments import queries, services
from champions.assessments.models import Action, Contributor, Invitation
from champions.clock import utcnow
from champions.extensions import db
from champions.lifecycle.services import erasure
from champions.privacy.services import exports


def test_the_export_holds_answers_actions_and_invitations(make_assessment, make_user, add_contributor):
    assessment, champion = make_assessment()
    colleague = make_user(organisation=assessment.organisation)
    add_contributor(assessment, colleague)
    domain = assessment.framework.domains[0]
    due = date(2027, 5, 1)
    services.save_domain(
        assessment,
        domain,
        colleague,
        assessment.version,
        "starting",
        "Our first steps",
        ["https://example.org/a"],
        [services.ActionInput("Write the policy", colleague.id, due)],
    )
    services.invite(queries.assessment(assessment.id), colleague, "someone.else@example.org")
    archive = zipfile.ZipFile(io.BytesIO(exports.write_zip(colleague)))
    data = json.loads(archive.read("data.json"))["self_assessments"]
    assert data["helping_with"][0]["organisation"] == "Fife Council"
    assert data["answers_you_saved_last"][0]["evidence"] == "Our first steps"
    assert data["actions_you_own"][0] == {
        "assessment_id": assessment.id,
        "domain": "Governance and leadership",
        "action": "Write the policy",
        "due_on": "2027-05-01",
        "reminded_at": None,
    }
    assert len(data["invitations_you_sent"]) == 1
    page = archive.read("index.html").decode()
    assert "Write the policy" in page and "someone.else@example.org" not in archive.read("data.json").decode()


def test_closing_an_account_removes_its_place_and_invitations(make_assessment, make_user, add_contributor):
    assessment, champion = make_assessment()
    colleague = make_user(email="Colleague@Example.org", organisation=assessment.organisation)
    add_contributor(assessment, colleague)
    services.invite(queries.assessment(assessment.id), champion, colleague.email)
    fresh = queries.assessment(assessment.id)
    step = [services.ActionInput("Write the policy", colleague.id, date(2027, 5, 1))]
    services.save_domain(
        fresh, fresh.framework.domains[0], colleague, fresh.version, "starting", "Ours", [], step
    )
    erasure.erase([colleague.id], utcnow())
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Contributor)) == 0
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert db.session.scalar(select(Action.owner_id)) is None
    assert (
        db.session.scalar(select(Action.description)) == "Write the policy"
    )  # the organisation's plan stays
