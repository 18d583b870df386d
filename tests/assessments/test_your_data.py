"""A person's data export holds what they did in self-assessments, and no one else's address."""

import io
import json
import zipfile
from datetime import date

from champions.assessments import queries, services
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
