"""Peer buddies: opting in, asking, suggestions and their rules, pairing, ending, and the emails."""

import re

from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.accounts.queries import responsible_area_ids
from champions.audit import AuditEntry
from champions.buddies import queries, services
from champions.buddies.models import NOTE_MAX, BuddyPairing, BuddyRequest
from champions.extensions import db
from champions.reference.models import OrganisationKind
from tests.buddies.conftest import area


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_being_a_buddy_is_off_until_the_champion_opts_in(client, make_champion, sign_in):
    champion = make_champion()
    sign_in(champion.user)
    page = client.get("/buddies").get_data(as_text=True)
    assert "No, not at the moment" in page
    assert 'name="willing"' in client.get("/buddies/settings").get_data(as_text=True)
    response = client.post("/buddies/settings", data={"willing": "y", "roadmap_stage": "3"})
    assert response.status_code == 302
    setting = queries.settings_for(champion.user_id)
    assert setting.willing and setting.roadmap_stage == 3
    page = client.get("/buddies").get_data(as_text=True)
    assert "Making the changes the self-assessment pointed to" in page
    client.post("/buddies/settings", data={"roadmap_stage": "0"})
    assert not queries.settings_for(champion.user_id).willing


def test_asking_for_a_buddy_once_and_a_second_submit_does_nothing(client, make_champion, sign_in):
    champion = make_champion()
    sign_in(champion.user)
    assert "What would you like in a buddy?" in client.get("/buddies/ask").get_data(as_text=True)
    data = {"different_sector": "y", "nearby": "y", "note": "Someone to talk\nabout leadership"}
    first = client.post("/buddies/ask", data=data)
    second = client.post("/buddies/ask", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    [request] = db.session.scalars(select(BuddyRequest)).all()
    assert request.different_sector and request.nearby and not request.further_on
    assert request.note == "Someone to talk\nabout leadership"
    assert services.ask(champion.user, True, True, True, True, "Again").id == request.id
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "someone in a different sector" in page and "Withdraw my request" in page
    assert "Suggested buddies" not in page  # only coordinators see suggestions


def test_withdrawing_and_asking_again(client, make_champion, sign_in, ask):
    champion = make_champion()
    request = ask(champion.user)
    sign_in(champion.user)
    assert client.post(f"/buddies/requests/{request.id}/withdraw").status_code == 302
    assert client.post(f"/buddies/requests/{request.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(BuddyRequest, request.id).status == "withdrawn"
    client.post("/buddies/ask", data={"further_on": "y"})
    assert _count(BuddyRequest) == 2


def test_a_long_note_is_refused_and_kept(client, make_champion, sign_in):
    sign_in(make_champion().user)
    note = "x" * (NOTE_MAX + 1)
    response = client.post("/buddies/ask", data={"note": note})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert f"Please keep this to {NOTE_MAX} characters or fewer" in page and note in page
    assert _count(BuddyRequest) == 0


def test_suggestions_follow_the_wishes_and_leave_out_who_cannot_be_a_buddy(
    client, make_champion, make_user, as_role, ask
):
    asker = make_champion("fife", sectors=("health",), stage=1)
    make_champion("fife", sectors=("health",), willing=True, name="Same Board")
    make_champion("city-of-edinburgh", sectors=("housing",), willing=True, stage=3, name="Neighbour")
    make_champion("highland", sectors=("health",), willing=True, name="Far Away")
    nhs = make_champion(
        "falkirk",
        sectors=("health",),
        willing=True,
        name="Board Nurse",
        organisation="NHS Fife",
        kind=OrganisationKind.NHS_BOARD,
    )
    nhs.scope, nhs.health_board_id = "nhs-board", area("fife").health_board_id
    db.session.commit()
    make_champion("fife", name="Not Willing")
    closed = make_champion("fife", willing=True, name="Left Already")
    closed.user.closed_at = closed.user.created_at
    db.session.commit()
    request = ask(asker.user, different_sector=True, nearby=True, further_on=True, council_board=True)

    found = {s.profile.display_name: s for s in queries.suggestions(request)}
    assert set(found) == {"Same Board", "Neighbour", "Far Away", "Board Nurse"}
    assert found["Neighbour"].score == 1 + 2 + 2  # neighbouring board, different sector, further on
    assert found["Same Board"].score == 2
    assert found["Far Away"].score == 0
    assert found["Board Nurse"].reasons[-1].startswith("Works for NHS Fife")
    assert found["Board Nurse"].score == 2 + 2  # same board (board-wide), the council's health board
    assert [s.profile.display_name for s in queries.suggestions(request)][:2] == ["Neighbour", "Board Nurse"]

    as_role(Role.COORDINATOR)
    page = client.get(f"/buddies/requests/{request.id}").get_data(as_text=True)
    assert "In a neighbouring NHS board" in page and "2 points in the same NHS board" in page
    assert page.index("Neighbour") < page.index("Far Away")
    assert "Not Willing" not in page and "Left Already" not in page


def test_a_coordinator_pairs_them_and_both_are_emailed(client, make_champion, as_role, ask, outbox):
    asker = make_champion(name="Fiona Asker", email="fiona@example.org")
    buddy = make_champion("city-of-edinburgh", willing=True, name="Ewan Buddy", email="ewan@example.org")
    request = ask(asker.user, nearby=True)
    coordinator = as_role(Role.COORDINATOR)
    response = client.post(f"/buddies/requests/{request.id}/pair", data={"buddy_id": buddy.user_id})
    assert response.status_code == 302
    pairing = db.session.scalar(select(BuddyPairing))
    assert (pairing.asker_id, pairing.buddy_id, pairing.paired_by_id) == (
        asker.user_id,
        buddy.user_id,
        coordinator.id,
    )
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.actor_id == coordinator.id)) == (
        "buddies.pair"
    )
    [to_asker] = outbox.messages("fiona@example.org")
    [to_buddy] = outbox.messages("ewan@example.org")
    assert "ewan@example.org" in to_asker.body and "01234 567890" in to_asker.body
    assert "fiona@example.org" in to_buddy.body
    for email in (to_asker, to_buddy):
        assert "Either of you can end the pairing at any time" in email.body
        assert "every month or two" in email.body
        assert f"/buddies/pairings/{pairing.id}" in email.body

    again = client.post(f"/buddies/requests/{request.id}/pair", data={"buddy_id": buddy.user_id})
    assert again.status_code == 302 and _count(BuddyPairing) == 1
    assert "dealt with already" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_two_coordinators_confirming_make_one_pairing(app, make_champion, make_user, ask):
    asker = make_champion()
    one, two = make_champion(willing=True), make_champion(willing=True)
    request = ask(asker.user)
    services.pair(make_user(role=Role.COORDINATOR), request, one.user_id)
    try:
        services.pair(make_user(role=Role.COORDINATOR), request, two.user_id)
    except services.RequestNotOpen:
        pass
    else:
        raise AssertionError("the second pairing should have been refused")
    assert _count(BuddyPairing) == 1


def test_pairing_someone_unsuitable_is_refused_kindly(client, make_champion, as_role, ask):
    asker = make_champion()
    unwilling = make_champion()
    request = ask(asker.user)
    as_role(Role.COORDINATOR)
    for buddy_id in (unwilling.user_id, asker.user_id, 999_999_999):
        response = client.post(f"/buddies/requests/{request.id}/pair", data={"buddy_id": buddy_id})
        assert response.status_code == 409
        assert "cannot be this champion" in response.get_data(as_text=True)
    for bad in ("", "abc", "99999999999999999999999", "٣"):
        assert client.post(f"/buddies/requests/{request.id}/pair", data={"buddy_id": bad}).status_code == 400
    assert _count(BuddyPairing) == 0


def test_either_can_end_it_kindly_and_it_is_kept(client, make_champion, make_user, sign_in, ask, outbox):
    asker = make_champion(name="Fiona Asker", email="fiona@example.org")
    buddy = make_champion(willing=True, name="Ewan Buddy", email="ewan@example.org")
    pairing = services.pair(make_user(role=Role.COORDINATOR), ask(asker.user), buddy.user_id)
    sign_in(buddy.user)
    page = client.get(f"/buddies/pairings/{pairing.id}/end").get_data(as_text=True)
    assert "You do not need to give a reason" in page and "reason" not in re.findall(r'name="(\w+)"', page)
    db.session.expire_all()
    assert db.session.get(BuddyPairing, pairing.id).is_active  # the GET only asks
    assert client.post(f"/buddies/pairings/{pairing.id}/end").status_code == 302
    assert client.post(f"/buddies/pairings/{pairing.id}/end").status_code == 302
    db.session.expire_all()
    ended = db.session.get(BuddyPairing, pairing.id)
    assert ended.ended_at is not None and ended.ended_by_id == buddy.user_id
    to_asker = outbox.messages("fiona@example.org")
    [gentle] = [m for m in to_asker if m.subject == "Your buddy pairing has ended"]
    assert "Ewan Buddy" in gentle.body and "nothing you need to do" in gentle.body
    assert not [m for m in outbox.messages("ewan@example.org") if "ended" in m.subject]
    page = client.get("/buddies").get_data(as_text=True)
    assert "Fiona Asker" in page and "ended" in page  # kept as history
    assert "ended on" in client.get(f"/buddies/pairings/{pairing.id}").get_data(as_text=True)
    # They can be paired again later.
    services.pair(make_user(role=Role.COORDINATOR), ask(asker.user), buddy.user_id)
    assert _count(BuddyPairing) == 2


def test_coordinators_see_open_requests_their_area_first(client, make_champion, make_user, sign_in, ask):
    ask(make_champion("highland", name="Highland Asker").user)
    ask(make_champion("fife", name="Fife Asker").user)
    coordinator = make_user(role=Role.COORDINATOR, council_area=area("fife"))
    sign_in(coordinator)
    page = client.get("/buddies/requests").get_data(as_text=True)
    assert page.index("Fife Asker") < page.index("Highland Asker")
    assert "In your area" in page and "Elsewhere" in page
    assert queries.open_request_counts(responsible_area_ids(coordinator)) == (1, 2)


def test_the_request_page_costs_the_same_however_many_champions(
    client, make_champion, as_role, ask, count_queries
):
    wishes = dict(different_sector=True, nearby=True, further_on=True, council_board=True)
    request = ask(make_champion().user, **wishes)
    make_champion("highland", sectors=("health",), willing=True, stage=2)
    as_role(Role.COORDINATOR)
    client.get(f"/buddies/requests/{request.id}")
    with count_queries() as few:
        client.get(f"/buddies/requests/{request.id}")
    for n, where in enumerate(["angus", "fife", "stirling", "moray", "city-of-edinburgh", "highland"]):
        make_champion(where, sectors=("housing", "education"), willing=True, stage=n % 4 + 1)
    with count_queries() as many:
        assert client.get(f"/buddies/requests/{request.id}").status_code == 200
    assert len(many) == len(few)


def test_the_lists_cost_the_same_however_many_requests_and_pairings(
    client, make_champion, make_user, sign_in, ask, count_queries
):
    coordinator = make_user(role=Role.COORDINATOR, council_area=area("fife"))
    champion = make_champion()

    def add(n: int) -> None:
        for i in range(n):
            ask(make_champion("highland" if i % 2 else "fife").user)
            buddy = make_champion(willing=True)
            services.pair(coordinator, ask(champion.user), buddy.user_id)

    add(1)
    costs = []
    for _ in range(2):
        for person, url in ((coordinator, "/buddies/requests"), (champion.user, "/buddies")):
            sign_in(person)
            with count_queries() as queries_made:
                assert client.get(url).status_code == 200
            costs.append(len(queries_made))
            client.post("/account/sign-out")
        add(4)
    assert costs[:2] == costs[2:]


def test_a_deactivated_account_waits_in_no_list(make_champion, make_user, ask):
    asker = make_champion()
    ask(asker.user)
    asker.user.active = False
    db.session.commit()
    assert queries.open_requests(frozenset()) == []
    assert queries.open_request_counts(frozenset()) == (0, 0)
