"""Applying, editing, approving, declining and revoking, with roles, audit and mail."""

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.directory import services
from champions.directory.models import ChampionProfile
from champions.extensions import db

PASSWORD = "correct horse battery staple 42"


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_member_applies_and_lands_in_the_queue(client, as_role, application_form):
    member = as_role(Role.MEMBER)
    response = client.post("/champions/apply", data=application_form())
    profile = db.session.scalar(select(ChampionProfile))
    assert response.headers["Location"] == f"/champions/{profile.id}"
    assert (profile.user_id, profile.status, profile.scope) == (member.id, "pending", "local")
    assert [a.slug for a in profile.council_areas] == ["fife"]
    assert profile.listing_consent_at is not None
    assert member.role == Role.MEMBER
    assert _actions() == ["champion.apply", "champion.consent_given"]
    assert client.get("/champions/apply").headers["Location"] == f"/champions/{profile.id}/edit"


def test_apply_needs_sign_in(client):
    response = client.get("/champions/apply")
    assert response.headers["Location"].startswith("/account/sign-in?next=")


@pytest.mark.parametrize(
    "scope, extra, expected",
    [
        ("nhs-board", {"health_board": "nhs-fife", "council_areas": None}, ["fife"]),
        (
            "nhs-board",
            {"health_board": "nhs-lothian", "council_areas": None},
            ["city-of-edinburgh", "east-lothian", "midlothian", "west-lothian"],
        ),
        ("national", {"council_areas": None}, 32),
    ],
)
def test_board_and_national_cover_their_areas_explicitly(
    client, as_role, application_form, scope, extra, expected
):
    as_role(Role.MEMBER)
    client.post("/champions/apply", data=application_form(scope=scope, **extra))
    profile = db.session.scalar(select(ChampionProfile))
    slugs = sorted(a.slug for a in profile.council_areas)
    assert len(slugs) == expected if isinstance(expected, int) else slugs == expected
    assert (profile.health_board is not None) == (scope == "nhs-board")


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"job_title": ""}, "Enter your job title"),
        ({"council_areas": None}, "Choose at least one council area you cover"),
        ({"council_areas": ["atlantis"]}, "Choose council areas from the list"),
        ({"scope": "nhs-board", "health_board": ""}, "Choose the NHS board you cover"),
        ({"scope": "nhs-board", "health_board": "nhs-narnia"}, "Choose an NHS board from the list"),
        ({"scope": "galactic"}, "Not a valid choice"),
        ({"sectors": None}, "Choose at least one sector you work in"),
        ({"sectors": ["knitting"]}, "Choose sectors from the list"),
        ({"bio": "x" * 10_000}, "About you can be up to 3000 characters"),
        ({"display_name": "x" * 10_000}, "Name to show can be up to 120 characters"),
        ({"display_name": "Isla \u202e Grant"}, "hidden or formatting characters"),
        ({"phone": "call me maybe"}, "Enter a phone number"),
        ({"contact_audience": "everyone"}, "Not a valid choice"),
    ],
)
def test_bad_application_input_is_explained(client, as_role, overrides, message, application_form):
    as_role(Role.MEMBER)
    response = client.post("/champions/apply", data=application_form(**overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert "<title>Error: " in page
    assert db.session.scalar(select(ChampionProfile)) is None


def test_no_form_field_can_set_status_verification_or_role(client, as_role, application_form):
    member = as_role(Role.MEMBER)
    client.post(
        "/champions/apply",
        data=application_form(
            status="verified", role="40", verified="1", user_id="1", listing_consent_at="2000-01-01"
        ),
    )
    profile = db.session.scalar(select(ChampionProfile))
    assert profile.status == "pending"
    assert profile.user_id == member.id
    assert member.role == Role.MEMBER


def test_coordinator_approves_gives_role_ends_sessions_audits_and_emails(
    app, client, make_user, make_profile, as_role, outbox
):
    applicant = make_user()
    profile = make_profile(applicant, status="pending")
    other = app.test_client()
    other.post("/account/sign-in", data={"email": applicant.email, "password": PASSWORD})
    coordinator = as_role(Role.COORDINATOR)
    response = client.post(f"/champions/{profile.id}/decision", data={"decision": "approve", "reason": ""})
    assert response.headers["Location"] == "/champions/manage"
    assert (profile.status, profile.decided_by_id) == ("verified", coordinator.id)
    assert applicant.role == Role.CHAMPION
    assert other.get("/account").status_code == 302  # the role change ended the old session
    assert _actions() == ["champion.approve", "role.change"]
    [message] = outbox.messages(applicant.email)
    assert message.subject == "You are now a verified trauma champion"
    assert f"https://portal.example.test/champions/{profile.id}" in message.body


def test_approval_never_lowers_a_higher_role(client, make_user, make_profile, as_role):
    admin = make_user(role=Role.ADMIN)
    profile = make_profile(admin, status="pending")
    as_role(Role.COORDINATOR)
    client.post(f"/champions/{profile.id}/decision", data={"decision": "approve"})
    assert admin.role == Role.ADMIN
    assert "role.change" not in _actions()


def test_decline_needs_a_reason_which_is_emailed(client, make_profile, as_role, outbox):
    profile = make_profile(status="pending")
    as_role(Role.COORDINATOR)
    response = client.post(f"/champions/{profile.id}/decision", data={"decision": "decline", "reason": ""})
    assert "Give a reason for declining" in response.get_data(as_text=True)
    assert profile.status == "pending"
    client.post(
        f"/champions/{profile.id}/decision",
        data={"decision": "decline", "reason": "Please ask your line manager to support this."},
    )
    assert profile.status == "declined"
    assert profile.user.role == Role.MEMBER
    [message] = outbox.messages(profile.user.email)
    assert "Please ask your line manager to support this." in message.body
    assert _actions() == ["champion.decline"]


def test_revoke_takes_back_only_the_champion_role(client, make_user, make_profile, as_role, outbox):
    champion = make_user(role=Role.CHAMPION)
    coordinator_champion = make_user(role=Role.COORDINATOR)
    first, second = make_profile(champion), make_profile(coordinator_champion)
    as_role(Role.COORDINATOR)
    for profile in (first, second):
        response = client.post(f"/champions/{profile.id}/revoke", data={"reason": "Moved to a new post."})
        assert response.headers["Location"] == f"/champions/{profile.id}"
        assert profile.status == "revoked"
    assert (champion.role, coordinator_champion.role) == (Role.MEMBER, Role.COORDINATOR)
    assert _actions() == ["champion.revoke", "role.change", "champion.revoke"]
    assert "Moved to a new post." in outbox.messages(champion.email)[0].body
    assert client.get("/champions").get_data(as_text=True).count("ds_search-result__title") == 0


def test_revoke_needs_a_reason(client, make_profile, as_role):
    profile = make_profile()
    as_role(Role.COORDINATOR)
    response = client.post(f"/champions/{profile.id}/revoke", data={"reason": "  "})
    assert "Give a reason" in response.get_data(as_text=True)
    assert profile.status == "verified"


def test_deciding_twice_is_refused_kindly(client, make_profile, as_role):
    profile = make_profile(status="verified")
    as_role(Role.COORDINATOR)
    client.post(f"/champions/{profile.id}/decision", data={"decision": "decline", "reason": "No"})
    assert profile.status == "verified"
    assert "already been decided" in client.get("/champions/manage").get_data(as_text=True)


def test_revoking_an_application_that_is_not_verified_is_refused_kindly(client, make_profile, as_role):
    profile = make_profile(status="pending")
    as_role(Role.COORDINATOR)
    response = client.post(f"/champions/{profile.id}/revoke", data={"reason": "Left the service"})
    assert response.headers["Location"].endswith(f"/champions/{profile.id}")
    assert "Only a verified champion" in client.get(f"/champions/{profile.id}").get_data(as_text=True)
    assert profile.status == "pending"


@pytest.mark.parametrize(
    "service, path, data",
    [
        ("approve", "decision", {"decision": "approve"}),
        ("revoke", "revoke", {"reason": "Left the service"}),
    ],
)
def test_a_decision_on_your_own_profile_is_refused_kindly(
    client, make_profile, as_role, monkeypatch, service, path, data
):
    # The view refuses its owner first; this is the service's own rule, if that check ever misses.
    profile = make_profile(status="pending" if service == "approve" else "verified")

    def own(*args, **kwargs):
        raise services.OwnDecision

    monkeypatch.setattr(services, service, own)
    as_role(Role.COORDINATOR)
    response = client.post(f"/champions/{profile.id}/{path}", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Another coordinator needs to decide" in page


def test_applying_twice_at_once_keeps_the_first_profile(
    client, as_role, application_form, make_profile, monkeypatch
):
    member = as_role(Role.MEMBER)
    apply = services.apply

    def other_tab_first(user, details):
        # The same form sent from another tab is saved just before this one.
        make_profile(user=member, status="pending")
        return apply(user, details)

    monkeypatch.setattr(services, "apply", other_tab_first)
    response = client.post("/champions/apply", data=application_form())
    profile = db.session.scalar(select(ChampionProfile))
    # Lands where the first submission did (issue #12: a second submit is a calm no-op).
    assert response.headers["Location"].endswith(f"/champions/{profile.id}")
    assert "You already have a champion profile" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count(ChampionProfile.id))) == 1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_members_and_champions_cannot_decide(client, make_profile, as_role, role):
    profile = make_profile(status="pending")
    as_role(role)
    assert client.post(f"/champions/{profile.id}/decision", data={"decision": "approve"}).status_code == 403
    assert client.post(f"/champions/{profile.id}/revoke", data={"reason": "x"}).status_code == 403
    assert profile.status == "pending"


def test_a_member_cannot_verify_themselves(client, as_role, application_form):
    as_role(Role.MEMBER)
    client.post("/champions/apply", data=application_form())
    profile = db.session.scalar(select(ChampionProfile))
    assert client.post(f"/champions/{profile.id}/decision", data={"decision": "approve"}).status_code == 403
    assert profile.status == "pending"


def test_a_coordinator_cannot_decide_on_their_own_application(client, make_profile, as_role):
    coordinator = as_role(Role.COORDINATOR)
    profile = make_profile(coordinator, status="pending")
    assert client.post(f"/champions/{profile.id}/decision", data={"decision": "approve"}).status_code == 403
    assert profile.status == "pending"


def test_unknown_profiles_are_404(client, as_role):
    as_role(Role.COORDINATOR)
    for url in ("/champions/99999", "/champions/99999/edit"):
        assert client.get(url).status_code == 404
    for url in ("/champions/99999/decision", "/champions/99999/revoke"):
        assert client.post(url, data={"decision": "approve", "reason": "x"}).status_code == 404


def test_owner_edits_and_withdrawing_consent_unlists_at_once(
    client, make_user, make_profile, sign_in, application_form
):
    user = make_user(role=Role.CHAMPION)
    profile = make_profile(user, name="Isla Grant")
    sign_in(user)
    assert "Isla Grant" in client.get("/champions").get_data(as_text=True)
    response = client.post(
        f"/champions/{profile.id}/edit", data=application_form(listed=None, version=profile.version)
    )
    assert response.headers["Location"] == f"/champions/{profile.id}"
    assert profile.listing_consent_at is None
    assert "champion.consent_withdrawn" in _actions()
    assert "Isla Grant" not in client.get("/champions").get_data(as_text=True)
    assert client.get(f"/champions/{profile.id}").status_code == 200  # still theirs to see


def test_declined_applicant_can_apply_again(client, make_user, make_profile, sign_in, application_form):
    user = make_user()
    profile = make_profile(user, status="declined")
    sign_in(user)
    client.post(f"/champions/{profile.id}/edit", data=application_form(version=profile.version))
    assert profile.status == "pending"
    assert "champion.reapply" in _actions()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION, Role.COORDINATOR, Role.ADMIN])
def test_nobody_edits_someone_elses_profile(client, make_profile, as_role, role, application_form):
    profile = make_profile(name="Isla Grant")
    as_role(role)
    assert client.get(f"/champions/{profile.id}/edit").status_code == 403
    response = client.post(f"/champions/{profile.id}/edit", data=application_form(display_name="Hacked"))
    assert response.status_code == 403
    assert profile.display_name == "Isla Grant"


def test_one_click_listing_toggle(client, make_user, make_profile, sign_in, as_role):
    user = make_user(role=Role.CHAMPION)
    profile = make_profile(user, name="Isla Grant")
    sign_in(user)
    response = client.post(f"/champions/{profile.id}/listing", data={"listed": "0"})
    assert response.headers["Location"] == f"/champions/{profile.id}"
    assert profile.listing_consent_at is None
    assert "Isla Grant" not in client.get("/champions").get_data(as_text=True)
    client.post(f"/champions/{profile.id}/listing", data={"listed": "1"})
    assert profile.listing_consent_at is not None
    assert _actions() == ["champion.consent_withdrawn", "champion.consent_given"]


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.COORDINATOR, Role.ADMIN])
def test_only_the_owner_changes_listing(client, make_profile, as_role, role):
    profile = make_profile()
    as_role(role)
    response = client.post(f"/champions/{profile.id}/listing", data={"listed": "0"})
    assert response.status_code == (302 if role is None else 403)
    assert profile.listing_consent_at is not None
