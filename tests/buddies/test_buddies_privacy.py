"""Buddies and privacy: the export holds a person's buddy data; closing an account ends its pairings."""

import json

from flask import render_template
from sqlalchemy import select

from champions.accounts.models import Role
from champions.buddies import queries, services
from champions.buddies.models import BuddyPairing, BuddyRequest, BuddySetting
from champions.extensions import db
from champions.lifecycle import services as lifecycle
from champions.privacy.queries.export import personal_data
from tests.conftest import TEST_PASSWORD


def test_the_export_holds_settings_requests_and_pairings(app, make_champion, make_user, ask):
    asker = make_champion(name="Fiona Asker", stage=2)
    buddy = make_champion(willing=True, name="Ewan Buddy")
    services.pair(
        make_user(role=Role.COORDINATOR), ask(asker.user, nearby=True, note="Over coffee"), buddy.user_id
    )
    data = json.loads(json.dumps(personal_data(asker.user)))["buddies"]
    assert data["settings"] == {
        "happy_to_be_a_buddy": False,
        "roadmap_stage": "Working through the Roadmap's self-assessment",
    }
    [request] = data["requests"]
    assert request["note"] == "Over coffee" and request["status"] == "paired"
    [pairing] = data["pairings"]
    assert pairing["with"] == "Ewan Buddy" and pairing["you_asked"] is True and pairing["ended_at"] is None
    assert (
        json.loads(json.dumps(personal_data(buddy.user)))["buddies"]["pairings"][0]["with"] == "Fiona Asker"
    )
    with app.test_request_context():
        page = render_template("privacy/export/index.html", data=personal_data(asker.user))
    assert "Your peer buddies" in page and "Over coffee" in page and "Ewan Buddy" in page


def test_closing_an_account_ends_its_pairings_and_tells_the_other_gently(
    make_champion, make_user, ask, outbox
):
    asker = make_champion(name="Quillon Marchbanks", email="quillon@example.org")
    buddy = make_champion(willing=True, name="Ewan Buddy", email="ewan@example.org")
    pairing = services.pair(make_user(role=Role.COORDINATOR), ask(asker.user), buddy.user_id)
    services.withdraw(pairing.request)  # closed already: nothing to do
    asker_id = asker.user_id
    waiting = ask(asker.user, note="My own words")
    services.save_settings(asker.user, willing=True, roadmap_stage=3)
    lifecycle.close_own_account(asker.user, TEST_PASSWORD, delete_posts=False)
    db.session.expire_all()

    ended = db.session.get(BuddyPairing, pairing.id)
    assert ended.ended_at is not None  # kept for the other person's history
    assert db.session.get(BuddyRequest, waiting.id).status == "withdrawn"
    assert db.session.get(BuddyRequest, waiting.id).note == ""
    assert db.session.get(BuddySetting, asker_id) is None
    [gentle] = [m for m in outbox.messages("ewan@example.org") if m.subject == "Your buddy pairing has ended"]
    assert "left the Trauma Champions Network" in gentle.body and "Quillon" not in gentle.body
    assert [p.other_person(buddy.user).name for p in queries.pairings_for(buddy.user_id)] == [
        "A former member"
    ]
    assert not outbox.messages("quillon@example.org")
    assert not list(db.session.scalars(select(BuddyRequest).where(BuddyRequest.open_key.is_not(None))))


def test_a_champion_whose_role_ends_leaves_their_pairings_and_requests(make_champion, make_user, ask, outbox):
    """Buddies pair verified champions: when a coordinator ends someone's champion role, their pairings end
    (the other person is told the role ended, never why or by whom) and their open request is withdrawn."""
    from champions.directory import services as directory

    leaving = make_champion(name="Quillon Marchbanks", email="quillon@example.org")
    buddy = make_champion(willing=True, name="Ewan Buddy", email="ewan@example.org")
    coordinator = make_user(role=Role.COORDINATOR)
    pairing = services.pair(coordinator, ask(leaving.user), buddy.user_id)
    waiting = ask(leaving.user, note="Another, please")
    directory.revoke(coordinator, leaving, "Moved to a new post.")
    db.session.expire_all()

    assert db.session.get(BuddyPairing, pairing.id).ended_at is not None
    assert db.session.get(BuddyRequest, waiting.id).status == "withdrawn"
    [gentle] = [m for m in outbox.messages("ewan@example.org") if m.subject == "Your buddy pairing has ended"]
    assert "no longer a trauma champion" in gentle.body
    assert "Quillon" not in gentle.body and "Moved to a new post" not in gentle.body
    assert queries.active_pairings_for([buddy.user_id]) == []
