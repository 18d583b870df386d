"""The directory, profile pages, local champions and privacy: who sees what."""

import pytest
from flask import render_template_string
from sqlalchemy import select

from champions import fragments
from champions.accounts.models import Role
from champions.extensions import db
from champions.reference.models import HealthBoard


def _names(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "state",
    [
        {"status": "pending"},
        {"status": "declined"},
        {"status": "revoked"},
        {"listed": False},
    ],
)
def test_hidden_profiles_never_show_to_others(client, make_user, make_profile, as_role, state):
    owner = make_user()
    profile = make_profile(owner, name="Hidden Champion", **state)
    for role in (None, Role.MEMBER, Role.CHAMPION):
        client.post("/account/sign-out")
        as_role(role)
        assert "Hidden Champion" not in _names(client.get("/champions"))
        assert "Hidden Champion" not in _names(client.get("/champions", query_string={"q": "Hidden"}))
        assert "Hidden Champion" not in _names(client.get("/champions?area=fife"))
        assert client.get(f"/champions/{profile.id}").status_code == 404
    coverage = _names(client.get("/champions/coverage"))
    assert "0 of Scotland’s 32 council areas" in coverage


def test_hidden_profile_is_visible_to_owner_coordinators_and_admins(
    client, make_user, make_profile, sign_in, as_role
):
    owner = make_user()
    profile = make_profile(owner, name="Hidden Champion", status="pending")
    sign_in(owner)
    assert "Only you and the coordinators" in _names(client.get(f"/champions/{profile.id}"))
    for role in (Role.COORDINATOR, Role.ADMIN):
        client.post("/account/sign-out")
        as_role(role)
        page = _names(client.get(f"/champions/{profile.id}"))
        assert "Decide on this application" in page


def test_deactivated_account_is_not_listed(client, make_user, make_profile):
    profile = make_profile(make_user(active=False), name="Gone Away")
    assert "Gone Away" not in _names(client.get("/champions"))
    assert client.get(f"/champions/{profile.id}").status_code == 404


def test_contact_details_never_reach_anonymous_visitors(client, make_user, make_profile):
    user = make_user(email="isla.grant@example.org")
    profile = make_profile(user, name="Isla Grant", phone="01592 555123")
    for url in ("/champions", f"/champions/{profile.id}", "/champions?area=fife", "/"):
        page = _names(client.get(url))
        assert "isla.grant@example.org" not in page
        assert "555123" not in page
    assert "Isla Grant" in _names(client.get("/champions"))
    assert "Sign in</a> to see how to contact" in _names(client.get(f"/champions/{profile.id}"))


@pytest.mark.parametrize(
    "audience, role, shown",
    [
        ("members", Role.MEMBER, True),
        ("members", Role.CHAMPION, True),
        ("champions", Role.MEMBER, False),
        ("champions", Role.CHAMPION, True),
        ("champions", Role.COORDINATOR, True),
    ],
)
def test_contact_details_follow_the_champions_choice(
    client, make_user, make_profile, as_role, audience, role, shown
):
    user = make_user(email="isla.grant@example.org")
    profile = make_profile(user, phone="01592 555123", contact_audience=audience)
    as_role(role)
    for url in ("/champions", f"/champions/{profile.id}"):
        page = _names(client.get(url))
        assert ("isla.grant@example.org" in page) is shown
        assert ("555123" in page) is shown


def test_bio_markdown_is_sanitised(client, make_profile):
    profile = make_profile(bio="**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    page = _names(client.get(f"/champions/{profile.id}"))
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page
    assert "javascript:" not in page


def test_area_filter_puts_local_then_board_then_national(client, make_profile):
    make_profile(name="Zara National", scope="national")
    make_profile(name="Yusuf Board", scope="nhs-board", board="nhs-fife")
    make_profile(name="Xander Local", areas=("fife",))
    make_profile(name="Wendy Elsewhere", areas=("highland",))
    make_profile(name="Lothian Board", scope="nhs-board", board="nhs-lothian")
    page = _names(client.get("/champions?area=fife"))
    assert page.index("Xander Local") < page.index("Yusuf Board") < page.index("Zara National")
    assert "Wendy Elsewhere" not in page and "Lothian Board" not in page
    assert "NHS board champion" in page and "National champion" in page and "Local champion" in page


def test_board_filter_covers_areas_of_the_board(client, make_profile):
    make_profile(name="Edinburgh Local", areas=("city-of-edinburgh",))
    make_profile(name="Lothian Board", scope="nhs-board", board="nhs-lothian")
    make_profile(name="Fife Local", areas=("fife",))
    page = _names(client.get("/champions?board=nhs-lothian"))
    assert page.index("Edinburgh Local") < page.index("Lothian Board")
    assert "Fife Local" not in page


def test_sector_level_and_text_filters(client, make_profile):
    make_profile(
        name="Housing Person",
        sectors=("housing",),
        levels=("trauma-skilled",),
        organisation="Kingdom Housing Association",
        bio="Tenancy sustainment work",
    )
    make_profile(name="Health Person", sectors=("health",))
    assert "Health Person" not in _names(client.get("/champions?sector=housing"))
    assert "Housing Person" in _names(client.get("/champions?sector=housing&level=trauma-skilled"))
    assert "Housing Person" not in _names(client.get("/champions?level=trauma-specialist"))
    for query in ("housing person", "KINGDOM", "sustainment"):
        page = _names(client.get("/champions", query_string={"q": query}))
        assert "Housing Person" in page and "Health Person" not in page


def test_filters_live_in_the_query_string_and_pagination_keeps_them(client, make_profile):
    for n in range(25):
        make_profile(name=f"Fife Person {n:02}", sectors=("health",))
    page = _names(client.get("/champions?area=fife&sector=health"))
    assert "25 champions for Fife" in page
    assert "/champions?area=fife&amp;sector=health&amp;page=2" in page
    assert "Fife Person 24" in _names(client.get("/champions?area=fife&sector=health&page=2"))


@pytest.mark.parametrize(
    "args, message",
    [
        ({"area": "atlantis"}, "We do not know that council area"),
        ({"board": "nhs-narnia"}, "We do not know that NHS board"),
        ({"sector": "knitting"}, "We do not know that sector"),
        ({"level": "trauma-wizard"}, "We do not know that practice level"),
        ({"q": "x" * 10_000}, "Searches can be up to 200 characters"),
    ],
)
def test_unknown_filters_give_a_helpful_message(client, make_profile, args, message):
    make_profile(name="Isla Grant")
    response = client.get("/champions", query_string=args)
    assert response.status_code == 200
    page = _names(response)
    assert message in page
    assert "<title>Error: " in page


@pytest.mark.parametrize(
    "args",
    [
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999"},
        {"q": "'; DROP TABLE users; --"},
        {"q": "%_\\"},
        {"q": "Zoë \u202e ﷽ 👩🏽‍⚕️"},
        {"area": "fife'--"},
        {"area": ["fife", "highland"]},
        {"q": "\u0000"},
    ],
)
def test_odd_input_never_fails(client, make_profile, args):
    make_profile(name="Isla Grant")
    response = client.get("/champions", query_string=args)
    assert response.status_code in (200, 400)


def test_page_beyond_the_end_offers_the_first_page(client, make_profile):
    make_profile(name="Isla Grant")
    page = _names(client.get("/champions?area=fife&page=99999"))
    assert "There is nothing on this page" in page
    assert "/champions?area=fife&amp;page=1" in page


def test_percent_is_not_a_wildcard(client, make_profile):
    make_profile(name="Isla Grant")
    assert "Isla Grant" not in _names(client.get("/champions?q=%25"))


def test_local_champions_on_home_and_local_page(client, make_user, make_profile, area, sign_in):
    make_profile(name="Fife Local", areas=("fife",))
    make_profile(name="Fife Board", scope="nhs-board", board="nhs-fife")
    make_profile(name="Highland Local", areas=("highland",))
    member = make_user(council_area=area("fife"))
    assert "Your local champions" not in _names(client.get("/"))
    sign_in(member)
    for url in ("/", "/champions/local"):
        page = _names(client.get(url))
        assert page.index("Fife Local") < page.index("Fife Board")
        assert "Highland Local" not in page


def test_local_champions_on_home_do_not_load_the_persons_area_or_board(
    client, make_user, make_profile, area, sign_in, count_queries
):
    # Only the place's id is needed, and the reference lists are read once per process (issue #18).
    make_profile(name="Fife Local", areas=("fife",))
    make_profile(name="Lothian Board", scope="nhs-board", board="nhs-lothian")
    sign_in(make_user(council_area=area("fife")))
    client.get("/")  # the reference lists are read on first use in the process
    with count_queries() as queries:
        page = _names(client.get("/"))
    assert "Fife Local" in page
    assert not [q for q in queries if q.startswith(("SELECT council_areas.", "SELECT health_boards."))]
    client.post("/account/sign-out")
    sign_in(
        make_user(
            council_area=None,
            health_board=db.session.scalar(select(HealthBoard).filter_by(slug="nhs-lothian")),
        )
    )
    with count_queries() as queries:
        page = _names(client.get("/"))
    assert "Lothian Board" in page and "Fife Local" not in page
    assert not [q for q in queries if q.startswith(("SELECT council_areas.", "SELECT health_boards."))]


def test_local_champions_are_one_statement_with_their_lists(
    client, make_user, make_profile, area, sign_in, count_queries
):
    # A card's person, organisation, board and lists come in one statement (issue #18), and show as the
    # directory shows them: lists in their usual order, coverage in words, contact as the champion chose.
    make_profile(
        name="Fife Local",
        areas=("fife", "angus"),
        sectors=("health", "education"),
        levels=("trauma-skilled", "trauma-informed"),
        organisation="Kingdom Care",
        phone="01592 000000",
    )
    make_profile(name="Fife Board", scope="nhs-board", board="nhs-fife", sectors=(), levels=())
    sign_in(make_user(council_area=area("fife")))
    client.get("/")  # the reference lists are read on first use in the process
    with count_queries() as with_champions:
        page = _names(client.get("/"))
    assert "Kingdom Care" in page and "Angus, Fife" in page and "All of NHS Fife" in page
    assert "Education, Health" in page or "Health, Education" in page
    assert "Trauma informed, Trauma skilled" in page.replace("Trauma-", "Trauma ").replace("-", " ")
    assert "tel:01592000000" in page
    # The signed-in person (with their session record), then the cards: nothing per card or per list.
    assert len(with_champions) == 2, [q[:80] for q in with_champions]


def test_local_page_without_a_place_or_champions(client, make_user, sign_in, area):
    sign_in(make_user(council_area=None, health_board=None))
    assert "We do not know where you work yet" in _names(client.get("/champions/local"))
    client.post("/account/sign-out")
    sign_in(make_user(council_area=area("orkney-islands")))
    assert "no verified champion listed for Orkney Islands" in _names(client.get("/champions/local"))
    assert "no verified champion listed for Orkney Islands" in _names(client.get("/"))


def test_local_page_needs_sign_in(client):
    assert client.get("/champions/local").headers["Location"].startswith("/account/sign-in?next=")


def test_member_of_a_national_board_sees_national_champions(client, make_user, make_profile, sign_in):
    make_profile(name="Zara National", scope="national")
    make_profile(name="Fife Local", areas=("fife",))
    nes = db.session.scalar(db.select(HealthBoard).where(HealthBoard.slug == "nhs-education-for-scotland"))
    sign_in(make_user(council_area=None, health_board=nes))
    page = _names(client.get("/champions/local"))
    assert "Zara National" in page and "Fife Local" not in page


def test_approval_email_mentions_sign_in_only_when_the_role_changed(
    client, make_user, make_profile, as_role, outbox
):
    member_profile = make_profile(status="pending")
    coordinator_profile = make_profile(make_user(role=Role.COORDINATOR), status="pending")
    as_role(Role.ADMIN)
    for profile in (member_profile, coordinator_profile):
        client.post(f"/champions/{profile.id}/decision", data={"decision": "approve"})
    assert "sign in again" in outbox.messages(member_profile.user.email)[0].body
    assert "sign in again" not in outbox.messages(coordinator_profile.user.email)[0].body


def test_long_search_is_shortened_in_the_form(client):
    page = _names(client.get("/champions", query_string={"q": "y" * 10_000}))
    assert "y" * 201 not in page and "y" * 200 in page


def test_account_section_hook_renders(app, client, make_user, make_profile):
    user = make_user()
    profile = make_profile(user, status="pending", listed=False)
    source = '{% from "directory/_sections.html" import account_section %}{{ account_section(profile) }}'
    with app.test_request_context("/account"):
        html = render_template_string(source, profile=profile)
        assert "waiting for a coordinator, not listed in the directory" in html
        assert f"/champions/{profile.id}/edit" in html
        assert "/champions/apply" in render_template_string(source, profile=None)


def test_directory_listing_is_a_count_and_one_statement_for_the_cards(client, make_profile, count_queries):
    # The filter lists are kept per process and each card's lists come with it (issue #18).
    make_profile(name="Fife Local", areas=("fife",), sectors=("health",), levels=("trauma-skilled",))
    make_profile(name="Fife Board", scope="nhs-board", board="nhs-fife")
    client.get("/champions?area=fife")  # the filter lists are read on first use in the process
    for url in (
        "/champions?area=fife",
        "/champions?board=nhs-fife&sector=health",
        "/champions?hscp=fife-hscp",
    ):
        with count_queries() as queries:
            page = _names(client.get(url))
        assert "Fife Local" in page
        assert len(queries) == 2, [q[:80] for q in queries]
    page = _names(client.get("/champions?area=fife"))
    assert page.index("Fife Local") < page.index("Fife Board")
    assert "Trauma skilled" in page or "Trauma-skilled" in page


def test_kept_filter_fields_show_what_was_chosen_each_time(client, make_profile):
    # The filter fields are kept per process (issue #18), keyed by each field's value and errors.
    fragments.clear()
    make_profile(name="Fife Local", areas=("fife",))
    for _ in range(2):
        assert '<option selected value="fife">' in _names(client.get("/champions?area=fife"))
        page = _names(client.get("/champions?area=angus"))
        assert '<option selected value="angus">' in page and '<option selected value="fife">' not in page
        assert "We do not know that council area" in _names(client.get("/champions?area=atlantis"))
        page = _names(client.get("/champions"))
        assert "We do not know that council area" not in page and "<option selected" not in page.replace(
            '<option selected value="">', ""
        )
