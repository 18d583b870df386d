"""An assessment cycle: start, invite, fill the domains, check and submit, reopen; the summary and report."""

import io
import re
import uuid
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.assessments import queries, services
from champions.assessments.models import INVITATION_DAYS, Action, Answer, Assessment, Contributor, Invitation
from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.events import services as events
from champions.extensions import db
from champions.reference.models import ImplementationDomain
from champions.resources import services as resources


def _domain_url(assessment, n: int = 0) -> str:
    return f"/assessments/{assessment.id}/domains/{assessment.framework.domains[n].id}"


def _data(assessment, **values) -> dict:
    return {"version": str(assessment.version), "rating": "starting", "evidence": "A first policy.", **values}


def test_a_champion_starts_one_draft_for_their_organisation(client, make_org_champion, sign_in):
    champion = make_org_champion("Fife Council")
    sign_in(champion)
    page = client.get("/assessments").get_data(as_text=True)
    assert "Start a new assessment" in page and "Fife Council" in page
    first = client.post("/assessments/start")
    second = client.post("/assessments/start")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(Assessment.id))) == 1
    assert "Carry on with the assessment" in client.get("/assessments").get_data(as_text=True)


def test_only_a_verified_champion_can_start(client, make_org_champion, as_role, sign_in):
    as_role(__import__("champions.accounts.models", fromlist=["Role"]).Role.MEMBER)
    assert client.post("/assessments/start").status_code == 403
    sign_in(make_org_champion("Fife Council", status="pending"))
    assert client.post("/assessments/start").status_code == 403
    assert db.session.scalar(select(func.count(Assessment.id))) == 0


def test_saving_a_domain_keeps_the_answer_and_moves_on(client, make_assessment, sign_in):
    assessment, champion = make_assessment()
    sign_in(champion)
    data = _data(
        assessment,
        links="https://example.org/policy\nhttps://example.org/case",
        action1_description="Name a lead",
        action1_owner=str(champion.id),
        action1_due="2027-03-31",
        then="next",
    )
    response = client.post(_domain_url(assessment), data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == _domain_url(assessment, 1)
    answer = db.session.scalar(select(Answer))
    assert (answer.rating, answer.evidence) == ("starting", "A first policy.")
    assert answer.link_list == ["https://example.org/policy", "https://example.org/case"]
    action = db.session.scalar(select(Action))
    assert (action.description, action.owner_id, str(action.due_on)) == (
        "Name a lead",
        champion.id,
        "2027-03-31",
    )
    page = client.get(_domain_url(assessment)).get_data(as_text=True)
    assert "A first policy." in page and "Name a lead" in page


def test_a_stale_form_is_refused_and_the_text_shown_back(
    client, make_assessment, make_user, sign_in, add_contributor
):
    assessment, champion = make_assessment()
    colleague = make_user(organisation=assessment.organisation)
    add_contributor(assessment, colleague)
    opened = assessment.version
    sign_in(colleague)
    assert (
        client.post(_domain_url(assessment), data=_data(assessment, evidence="Colleague's words")).status_code
        == 302
    )
    client.post("/account/sign-out")
    sign_in(champion)
    mine = {"version": str(opened), "rating": "embedded", "evidence": "My careful paragraph"}
    response = client.post(_domain_url(assessment), data=mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert (
        "changed by someone else" in page
        and "My careful paragraph" in page
        and "Colleague&#39;s words" in page
    )
    assert db.session.scalar(select(Answer.evidence)) == "Colleague's words"
    # having seen what was saved meanwhile, saving again from that page goes through
    shown = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page
    )
    again = client.post(_domain_url(assessment), data={**mine, "version": shown.group(1)})
    assert again.status_code == 302
    assert db.session.scalar(select(Answer.evidence)) == "My careful paragraph"


def test_two_people_on_different_domains_do_not_block_each_other(
    client, make_assessment, sign_in, make_user, add_contributor
):
    assessment, champion = make_assessment()
    colleague = make_user(organisation=assessment.organisation)
    add_contributor(assessment, colleague)
    opened = str(assessment.version)
    sign_in(colleague)
    assert client.post(_domain_url(assessment, 0), data=_data(assessment)).status_code == 302
    client.post("/account/sign-out")
    sign_in(champion)
    data = {"version": opened, "rating": "starting", "evidence": "Second domain"}
    assert client.post(_domain_url(assessment, 1), data=data).status_code == 302
    assert db.session.scalar(select(func.count(Answer.id))) == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"evidence": "x" * 1_501}, "Keep the evidence to 1,500 characters"),
        ({"rating": "excellent"}, "Choose one of the four steps"),
        ({"links": "not a link"}, "is not a full web address"),
        ({"links": "javascript:alert(1)"}, "is not a full web address"),
        ({"links": "data:text/html,<script>alert(1)</script>"}, "is not a full web address"),
        ({"links": "JAVASCRIPT://example.org/%0Aalert(1)"}, "is not a full web address"),
        ({"action1_description": "Line\u2028one"}, "one line"),
        (
            {"action1_description": "Do", "action1_owner": "1", "action1_due": "1899-01-01"},
            "between the years",
        ),
        ({"rating": "embedded\n"}, "Choose one of the four steps"),
        ({"action1_description": "Do it"}, "Choose who will take this action forward"),
        (
            {"action1_description": "Do it", "action1_owner": "999999"},
            "Choose who will take this action forward",
        ),
        ({"action1_owner": "1"}, "Say what the action is"),
        ({"action1_description": "Line\none"}, "one line"),
        ({"action1_description": "x" * 301}, "300 characters"),
        ({"action1_description": "Do", "action1_due": "31/02/2027"}, "Not a valid date"),
    ],
)
def test_bad_input_is_a_clear_message_and_the_text_is_kept(client, make_assessment, sign_in, values, message):
    assessment, champion = make_assessment()
    sign_in(champion)
    data = _data(assessment, **{"evidence": "Words to keep", **values})
    response = client.post(_domain_url(assessment), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page.replace("&#39;", "'")
    assert "There is a problem" in page
    if "evidence" not in values:
        assert "Words to keep" in page
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_a_form_naming_no_version_is_refused(client, make_assessment, sign_in):
    assessment, champion = make_assessment()
    sign_in(champion)
    response = client.post(_domain_url(assessment), data={"rating": "starting", "evidence": "Keep me"})
    assert response.status_code == 400 and "Keep me" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_a_signed_out_save_shows_the_text_back(client, make_assessment):
    assessment, _champion = make_assessment()
    response = client.post(
        _domain_url(assessment), data=_data(assessment, evidence="Typed before the session ended")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Typed before the session ended" in page and "has not been saved" in page


@pytest.mark.app_config({"WTF_CSRF_ENABLED": True})
def test_a_missing_form_check_keeps_the_text(client, make_assessment, sign_in):
    assessment, champion = make_assessment()
    client.post("/account/sign-in", data={"email": champion.email, "password": "x"})
    response = client.post(_domain_url(assessment), data=_data(assessment, evidence="My long evidence"))
    assert response.status_code == 400
    assert "My long evidence" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_check_and_submit_needs_every_domain_then_locks_and_draws(client, make_assessment, fill, sign_in):
    assessment, champion = make_assessment()
    sign_in(champion)
    fill(assessment, champion, upto=9)
    page = client.get(f"/assessments/{assessment.id}/submit").get_data(as_text=True)
    assert "Still to do before submitting" in page and "Evaluation" in page
    assessment = queries.assessment(assessment.id)
    response = client.post(f"/assessments/{assessment.id}/submit", data={"version": str(assessment.version)})
    assert response.status_code == 409
    assessment = fill(assessment, champion, rating="embedded")
    version = str(assessment.version)
    response = client.post(f"/assessments/{assessment.id}/submit", data={"version": version})
    assert response.status_code == 302
    again = client.post(f"/assessments/{assessment.id}/submit", data={"version": version})
    assert again.headers["Location"] == response.headers["Location"]
    db.session.expire_all()
    submitted = db.session.get(Assessment, assessment.id)
    assert submitted.is_submitted and submitted.chart_svg.startswith("<svg")
    chart = client.get(f"/assessments/{assessment.id}/chart.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    locked = client.post(_domain_url(submitted), data=_data(submitted, evidence="Late change"))
    assert locked.status_code == 409 and "Late change" in locked.get_data(as_text=True)
    assert "Late change" not in {a.evidence for a in db.session.scalars(select(Answer))}


def test_a_stale_submit_is_refused(client, make_assessment, fill, sign_in):
    assessment, champion = make_assessment()
    assessment = fill(assessment, champion)
    sign_in(champion)
    response = client.post(
        f"/assessments/{assessment.id}/submit", data={"version": str(assessment.version - 1)}
    )
    assert response.status_code == 409
    assert db.session.get(Assessment, assessment.id).is_draft


def _submitted(make_assessment, fill, name="Fife Council", champion=None):
    assessment, champion = make_assessment(name, champion)
    assessment = fill(assessment, champion)
    services.submit(assessment, champion, assessment.version)
    return queries.assessment(assessment.id), champion


def test_a_champion_reopens_within_14_days_with_a_reason_audited(client, make_assessment, fill, sign_in):
    assessment, champion = _submitted(make_assessment, fill)
    sign_in(champion)
    empty = client.post(
        f"/assessments/{assessment.id}/reopen", data={"reason": "", "version": str(assessment.version)}
    )
    assert empty.status_code == 400 and "Give a reason" in empty.get_data(as_text=True)
    response = client.post(
        f"/assessments/{assessment.id}/reopen",
        data={"reason": "We missed the finance review", "version": str(assessment.version)},
    )
    assert response.status_code == 302
    assert db.session.get(Assessment, assessment.id).is_draft
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "assessment.reopen"))
    assert entry.actor_id == champion.id and "finance review" in entry.detail


def test_reopening_after_14_days_is_refused(client, make_assessment, fill, sign_in):
    assessment, champion = _submitted(make_assessment, fill)
    stored = db.session.get(Assessment, assessment.id)
    stored.submitted_at = utcnow() - timedelta(days=15)
    db.session.commit()
    sign_in(champion)
    response = client.post(
        f"/assessments/{assessment.id}/reopen",
        data={"reason": "Too late", "version": str(assessment.version)},
    )
    assert response.status_code == 409 and "can no longer be reopened" in response.get_data(as_text=True)
    assert "Too late" in response.get_data(as_text=True)  # what was typed is shown back
    assert db.session.get(Assessment, assessment.id).is_submitted


def test_reopening_beside_an_open_draft_is_refused(client, make_assessment, fill, sign_in):
    assessment, champion = _submitted(make_assessment, fill)
    make_assessment("Fife Council", champion)
    sign_in(champion)
    response = client.post(
        f"/assessments/{assessment.id}/reopen", data={"reason": "Oops", "version": str(assessment.version)}
    )
    assert response.status_code == 409 and "another assessment open" in response.get_data(as_text=True)
    assert "Oops" in response.get_data(as_text=True)


def test_a_stale_reopen_form_is_refused_and_the_reason_kept(client, make_assessment, fill, sign_in):
    """Opened before another champion reopened, changed and submitted it again: it must not reopen it."""
    assessment, champion = _submitted(make_assessment, fill)
    opened_at = assessment.version
    services.reopen(assessment, champion, "First reason", assessment.version)
    fresh = queries.assessment(assessment.id)
    services.submit(fresh, champion, fresh.version)
    sign_in(champion)
    response = client.post(
        f"/assessments/{assessment.id}/reopen", data={"reason": "Second reason", "version": str(opened_at)}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "changed" in page and "Second reason" in page
    assert db.session.get(Assessment, assessment.id).is_submitted
    missing = client.post(f"/assessments/{assessment.id}/reopen", data={"reason": "No version"})
    assert missing.status_code == 400 and "No version" in missing.get_data(as_text=True)
    assert db.session.get(Assessment, assessment.id).is_submitted


def test_inviting_says_the_same_whether_or_not_the_address_has_an_account(
    client, make_assessment, make_user, sign_in, outbox
):
    assessment, champion = make_assessment()
    colleague = make_user(email="colleague@example.org", organisation=assessment.organisation)
    sign_in(champion)
    client.get("/assessments")  # the welcome after signing in
    pages = []
    for address in [colleague.email, "nobody@example.org"]:
        response = client.post(
            f"/assessments/{assessment.id}/invite", data={"email": address}, follow_redirects=True
        )
        page = response.get_data(as_text=True).replace(address, "ADDRESS")
        pages.append(page.split("<main", 1)[1].split("</main>", 1)[0])
    assert pages[0] == pages[1] and "If ADDRESS belongs to a colleague" in pages[0]
    assert len(outbox.messages("colleague@example.org")) == len(outbox.messages("nobody@example.org")) == 1
    client.post(f"/assessments/{assessment.id}/invite", data={"email": colleague.email})
    assert len(outbox.messages("colleague@example.org")) == 1  # invited once
    bad = client.post(f"/assessments/{assessment.id}/invite", data={"email": "not an address"})
    assert bad.status_code == 400


def test_an_invited_colleague_joins_on_a_confirm_page_and_fills_a_domain(
    client, make_assessment, make_user, sign_in, outbox
):
    assessment, champion = make_assessment()
    colleague = make_user(email="colleague@example.org", organisation=assessment.organisation)
    services.invite(assessment, champion, "Colleague@Example.org")
    link = next(u for u in outbox.links("colleague@example.org") if "/invitations/" in u)
    path = link.split("example.test", 1)[1]
    sign_in(colleague)
    page = client.get(path)
    assert page.status_code == 200 and "Join the assessment" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Contributor)) == 0  # a GET changes nothing
    assert client.post(path).status_code == 302
    assert client.post(path).status_code == 302  # twice: one row
    assert db.session.scalar(select(func.count()).select_from(Contributor)) == 1
    assert client.post(_domain_url(assessment), data=_data(assessment)).status_code == 302
    assert client.post(f"/assessments/{assessment.id}/submit", data={"version": "1"}).status_code == 403


def test_an_invitation_does_not_let_another_organisation_in(
    client, make_assessment, make_org_champion, sign_in, outbox
):
    assessment, champion = make_assessment()
    outsider = make_org_champion("Highland Council", email="outsider@example.org")
    services.invite(assessment, champion, outsider.email)
    path = next(u for u in outbox.links(outsider.email) if "/invitations/" in u).split("example.test", 1)[1]
    sign_in(outsider)
    assert client.post(path).status_code == 403
    assert client.get(f"/assessments/{assessment.id}").status_code == 404
    assert client.get("/assessments/invitations/not-a-token").status_code == 404


def test_the_summary_shows_strengths_work_to_do_actions_and_last_year(
    client, make_assessment, fill, sign_in, tagged_case_study, make_user
):
    tagged = tagged_case_study("Peer researchers shaped our service", "lived-experience")
    tagged_case_study("Evaluating with care", "evaluation")
    organiser = make_user(role=Role.COORDINATOR)
    starts = utcnow().replace(microsecond=0) + timedelta(days=20)
    lived = db.session.scalar(
        select(ImplementationDomain).where(ImplementationDomain.slug == "lived-experience")
    )
    event = events.create_event(
        organiser,
        {
            "title": "Lived experience panel training",
            "description": "Together.",
            "event_type": "training",
            "format": "online",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "joining_link": "https://meet.example.org/x",
            "domains": [lived],
        },
    )
    events.publish_event(organiser, event)
    resources.create_resource(
        None,
        {
            "title": "Listening to people with lived experience",
            "provider": "NES",
            "format": "guide",
            "url": "https://example.org/listen",
            "domains": ["lived-experience"],
        },
    )
    last, champion = _submitted(make_assessment, fill)
    stored = db.session.get(Assessment, last.id)
    stored.created_at -= timedelta(days=365)
    stored.submitted_at -= timedelta(days=365)
    db.session.commit()
    assessment, _ = make_assessment("Fife Council", champion)
    domains = assessment.framework.domains
    for n, domain in enumerate(domains):
        fresh = queries.assessment(assessment.id)
        rating = ["embedded", "developing", "starting", "not-started"][n % 4]
        actions = (
            [services.ActionInput("Write the plan", champion.id, utcnow().date() + timedelta(days=30))]
            if n == 2
            else []
        )
        services.save_domain(fresh, domain, champion, fresh.version, rating, f"Evidence {n}", [], actions)
    services.submit(queries.assessment(assessment.id), champion, queries.assessment(assessment.id).version)
    sign_in(champion)
    page = client.get(f"/assessments/{assessment.id}/summary").get_data(as_text=True)
    assert "Strengths" in page and "Governance and leadership</strong>: embedded" in page
    work = page.split("Three domains to work on first")[1].split("Action plan")[0]
    assert work.count("<li><strong>") == 3 and "Engagement of people with lived experience" in work
    assert "/search?q=lived+experience&amp;kind=case-studies" in work and "kind=events" in work
    assert f'href="/case-studies/{tagged.id}">Peer researchers shaped our service' in work
    assert "Evaluating with care" not in work  # evaluation is developing: not among the three
    assert "/case-studies?domain=lived-experience" in work
    assert (
        "Listening to people with lived experience" in work and "/resources?domain=lived-experience" in work
    )
    assert "Write the plan" in page
    assert page.count("Developing") >= 10  # last year's column, all developing
    assert f'src="/assessments/{assessment.id}/chart.svg"' in page and 'alt="Chart:' in page
    report = client.get(f"/assessments/{assessment.id}/report.ods")
    assert report.status_code == 200 and report.data[:2] == b"PK"
    content = zipfile.ZipFile(io.BytesIO(report.data)).read("content.xml").decode()
    assert "Evidence 3" in content and "Write the plan" in content and "Rating " in content


def test_the_summary_query_count_is_flat(client, make_assessment, fill, sign_in, count_queries):
    assessment, champion = _submitted(make_assessment, fill)
    sign_in(champion)
    with count_queries() as few:
        client.get(f"/assessments/{assessment.id}/summary")
    for _ in range(3):
        _submitted(make_assessment, fill, champion=champion)
    with count_queries() as many:
        client.get(f"/assessments/{assessment.id}/summary")
    assert len(many) == len(few)


def test_of_two_assessments_made_at_the_same_moment_the_first_made_is_the_earlier(make_assessment, fill):
    first, champion = _submitted(make_assessment, fill)
    second, _ = _submitted(make_assessment, fill, champion=champion)
    second.created_at = first.created_at  # a clock that did not move on between them
    db.session.commit()
    assert queries.summary(first).earlier == [] and queries.summary(second).earlier == [first]


def test_action_reminders_go_once_to_each_owner(make_assessment, fill, outbox):
    assessment, champion = make_assessment()
    fill(assessment, champion)
    soon, later = utcnow().date() + timedelta(days=3), utcnow().date() + timedelta(days=60)
    for n, due in enumerate([soon, later]):
        fresh = queries.assessment(assessment.id)
        domain = fresh.framework.domains[n]
        step = [services.ActionInput(f"Step {n}", champion.id, due)]
        services.save_domain(fresh, domain, champion, fresh.version, "starting", "e", [], step)
    assert services.send_action_reminders() == 0  # a draft's actions wait for it to be submitted
    assessment = queries.assessment(assessment.id)
    services.submit(assessment, champion, assessment.version)
    assert services.send_action_reminders() == 1
    assert services.send_action_reminders() == 0
    sent = outbox.messages(champion.email)
    assert len(sent) == 1 and "Step 0" in sent[0].body and "/assessments/" in sent[0].body


def test_the_reminder_command_runs(app, make_assessment):
    result = app.test_cli_runner().invoke(args=["send-action-reminders"])
    assert result.exit_code == 0 and "Queued 0 action reminders" in result.output


def test_invitations_have_unique_tokens(make_assessment):
    assessment, champion = make_assessment()
    for n in range(3):
        services.invite(assessment, champion, f"p{n}-{uuid.uuid4().hex[:4]}@example.org")
    hashes = list(db.session.scalars(select(Invitation.token_hash)))
    assert len(set(hashes)) == 3


def test_an_invitation_runs_out_after_its_days(client, make_assessment, make_user, sign_in, outbox):
    assessment, champion = make_assessment()
    colleague = make_user(email="late@example.org", organisation=assessment.organisation)
    services.invite(assessment, champion, colleague.email)
    path = next(u for u in outbox.links(colleague.email) if "/invitations/" in u).split("example.test", 1)[1]
    invitation = db.session.scalar(select(Invitation))
    invitation.created_at = utcnow() - timedelta(days=INVITATION_DAYS + 1)
    db.session.commit()
    sign_in(colleague)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert db.session.scalar(select(func.count(Contributor.user_id))) == 0
    services.invite(assessment, champion, colleague.email)  # asked again: a new link, which works
    fresh = [u for u in outbox.links(colleague.email) if "/invitations/" in u][-1].split("example.test", 1)[1]
    assert fresh != path and client.get(path).status_code == 404
    assert client.post(fresh).status_code == 302
    assert db.session.scalar(select(func.count(Contributor.user_id))) == 1
