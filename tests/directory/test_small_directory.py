"""Issue #12: the directory's words find NHS boards, places and STILT; the HSCP is a filter."""

import pytest


def _page(client, **args) -> str:
    response = client.get("/champions", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def places(make_profile):
    make_profile(name="Ailsa Brown", areas=("city-of-edinburgh",), organisation="Council One")
    make_profile(name="Bruce Hay", areas=("midlothian",), organisation="Council Two")
    make_profile(name="Catriona Reid", scope="nhs-board", board="nhs-lothian", organisation="Health One")
    make_profile(name="Duncan Muir", areas=("fife",), organisation="Council Three")
    make_profile(name="Eilidh Ross", areas=("clackmannanshire",), organisation="Council Four")
    make_profile(name="Fraser Kerr", areas=("stirling",), organisation="Council Five")


@pytest.mark.parametrize("words", ["Lothian", "NHS Lothian", "nhs lothian", "  LOTHIAN "])
def test_a_search_for_an_nhs_board_finds_its_champions(client, places, words):
    page = _page(client, q=words)
    for name in ("Ailsa Brown", "Bruce Hay", "Catriona Reid"):
        assert name in page, (words, name)
    assert "Duncan Muir" not in page and "Eilidh Ross" not in page


def test_a_search_for_a_council_area_finds_its_champions(client, places):
    page = _page(client, q="Fife")
    assert "Duncan Muir" in page and "Ailsa Brown" not in page


def test_nhs_alone_does_not_match_every_place(client, places):
    assert "Duncan Muir" not in _page(client, q="NHS")


@pytest.mark.parametrize("words", ["STILT", "stilt", "leaders training", "Trauma Informed Leaders Training"])
def test_a_search_for_stilt_finds_those_who_completed_it(client, make_profile, words):
    make_profile(name="Trained Person", stilt_completed=True, organisation="Org One")
    make_profile(name="Untrained Person", stilt_completed=False, organisation="Org Two")
    page = _page(client, q=words)
    assert "Trained Person" in page and "Untrained Person" not in page


def test_the_hscp_is_a_filter_that_stays_in_the_url(client, places):
    page = _page(client)
    assert 'name="hscp"' in page and "Clackmannanshire and Stirling HSCP" in page
    page = _page(client, hscp="clackmannanshire-and-stirling-hscp")
    assert "Eilidh Ross" in page and "Fraser Kerr" in page
    assert "Duncan Muir" not in page and "Ailsa Brown" not in page
    assert "for Clackmannanshire and Stirling HSCP" in page
    assert '<option selected value="clackmannanshire-and-stirling-hscp">' in page
    assert "Clear all filters" in page


def test_the_hscp_filter_is_kept_in_page_links(client, make_profile):
    for n in range(25):
        make_profile(name=f"Fife Person {n:02}", areas=("fife",), organisation=f"Org {n}")
    page = _page(client, hscp="fife-hscp")
    assert "25 champions" in page
    assert "/champions?hscp=fife-hscp&amp;page=2" in page


@pytest.mark.parametrize("value", ["atlantis", "fife'--", "x" * 5000, "%F0%9F%98%80", ""])
def test_an_unknown_hscp_never_fails(client, places, value):
    response = client.get("/champions", query_string={"hscp": value})
    assert response.status_code == 200
    if value:
        assert "We do not know that health and social care partnership" in response.get_data(as_text=True)


def test_two_hscp_values_never_fail(client, places):
    response = client.get("/champions?hscp=fife-hscp&hscp=highland-hscp")
    assert response.status_code in (200, 400)
