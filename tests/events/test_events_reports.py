"""The learning report: figures, grouped barriers and enablers, pledges, publishing and Markdown."""

from datetime import timedelta

import pytest

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.events import services
from champions.events.models import Registration
from champions.extensions import db
from champions.reference.models import Sector


def ended_event_with_feedback(make_event, make_user):
    event = make_event(starts_at=utcnow().replace(microsecond=0) + timedelta(days=2))
    housing = db.session.scalar(db.select(Sector).where(Sector.slug == "housing"))
    people = [make_user() for _ in range(3)]
    for person in people:
        services.register(event, person, sector=housing)
    event.starts_at -= timedelta(days=4)
    event.ends_at -= timedelta(days=4)
    db.session.commit()
    rows = db.session.scalars(db.select(Registration).order_by(Registration.id)).all()
    services.give_feedback(
        event,
        rows[0],
        {
            "rating": 5,
            "barriers": "Not enough time to reflect",
            "enablers": "Senior leaders who back it",
            "pledges": ["disseminate"],
            "own_pledge": "Run a lunchtime session",
            "anonymous": False,
        },
    )
    services.give_feedback(
        event,
        rows[1],
        {
            "rating": 3,
            "barriers": "No funding for backfill",
            "enablers": "",
            "pledges": ["disseminate", "wellbeing"],
            "own_pledge": "",
            "anonymous": True,
        },
    )
    return event


# The figures and grouping with the rule of five switched off (a threshold of 1); with three people it
# would hide them all. tests/test_small_numbers.py holds the rule itself.
@pytest.mark.app_config({"SMALL_NUMBER_THRESHOLD": 1})
def test_report_for_organisers(client, sign_in, make_event, make_user, coordinator):
    event = ended_event_with_feedback(make_event, make_user)
    sign_in(coordinator)
    page = client.get(f"/events/{event.id}/report").get_data(as_text=True)
    assert "Housing and homelessness: 3" in page and "Fife: 3" in page
    assert "Average rating: 4.0 out of 5" in page
    assert (
        "Time and workload" in page and "Resources and funding" in page and "Leadership and culture" in page
    )
    assert "Disseminate information to staff: 2" in page and "Run a lunchtime session" in page
    assert "2 pledged actions can be followed up" in page  # the anonymous ones cannot
    response = client.post(
        f"/events/{event.id}/report",
        data={
            "key_messages": "- Leadership <script>alert(1)</script> matters",
            "summary": "A **good** day.",
            "published": "y",
        },
    )
    assert response.headers["Location"] == f"/events/{event.id}/report"
    assert event.report_published_at is not None
    page = client.get(f"/events/{event.id}/report").get_data(as_text=True)
    assert "<strong>good</strong>" in page and "<script>alert(1)</script>" not in page
    markdown = client.get(f"/events/{event.id}/report.md")
    assert markdown.mimetype == "text/markdown"
    assert 'attachment; filename="event-' in markdown.headers["Content-Disposition"]
    text = markdown.get_data(as_text=True)
    assert text.startswith(f"# Learning report: {event.title}")
    assert "## Key messages" in text and "A **good** day." in text and "- Not done yet" not in text


def test_members_see_the_report_only_when_published(client, as_role, make_event, make_user, coordinator):
    event = ended_event_with_feedback(make_event, make_user)
    member = as_role(Role.MEMBER)
    assert client.get(f"/events/{event.id}/report").status_code == 403
    assert client.get(f"/events/{event.id}/report.md").status_code == 403
    services.save_report_text(coordinator, event, "Key", "Summary", publish=True)
    page = client.get(f"/events/{event.id}/report")
    assert page.status_code == 200 and "Key and summary" not in page.get_data(as_text=True)
    assert "<form" not in page.get_data(as_text=True).split('id="main-content"')[1]
    assert client.post(f"/events/{event.id}/report", data={"summary": "hijack"}).status_code == 403
    assert client.get(f"/events/{event.id}/report.md").status_code == 200
    assert "Read the learning report" in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert member.id


def test_report_with_no_feedback(client, sign_in, make_event, coordinator):
    event = make_event()
    sign_in(coordinator)
    page = client.get(f"/events/{event.id}/report").get_data(as_text=True)
    assert "0 people gave feedback" in page
    assert client.get(f"/events/{event.id}/report.md").status_code == 200
