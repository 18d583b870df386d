"""Site search in a real browser: from the header box, filtering by kind, and with no JavaScript."""

from playwright.sync_api import expect


def test_member_searches_from_the_header_and_filters_by_kind(page, live_server, sign_in_page, axe):
    sign_in_page(page, live_server, "member@example.org")
    page.goto(f"{live_server}/events")
    page.get_by_label("Search the network").fill("wellbeing")
    page.get_by_label("Search the network").press("Enter")
    page.wait_for_load_state()
    assert page.title().startswith("Search results for “wellbeing”")
    expect(page.locator(".ds_search-result mark").first).to_be_visible()
    assert axe(page) == []
    page.get_by_role("link", name="Discussion threads (").click()
    page.wait_for_load_state()
    assert "kind=threads" in page.url
    titles = page.locator(".ds_search-result__link")
    assert titles.count() >= 1 and all(
        "/discussions/t/" in href for href in titles.evaluate_all("links => links.map(a => a.href)")
    )
    assert axe(page) == []


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server)
    page.get_by_label("Search the network").fill("peer support")
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.wait_for_load_state()
    assert "/search?q=peer+support" in page.url
    expect(page.get_by_role("heading", name="Case studies (1)")).to_be_visible()
    assert not page.get_by_text("Discussion threads").is_visible(), "discussions are for members"
    page.get_by_role("link", name="Case studies (1)").click()
    page.wait_for_load_state()
    assert "kind=case-studies" in page.url and page.locator(".ds_search-result").count() == 1
    context.close()


def test_an_empty_search_is_calm_and_offers_an_example(page, live_server):
    page.goto(f"{live_server}/search")
    expect(page.get_by_role("heading", name="Search the network")).to_be_visible()
    page.get_by_role("link", name="peer support").click()
    page.wait_for_load_state()
    assert page.title().startswith("Search results for “peer support”")
