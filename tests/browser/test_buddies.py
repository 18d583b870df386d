"""Peer buddies in a real browser: the Fife champion asks for a buddy and the coordinator pairs them."""

from playwright.sync_api import expect


def served(page) -> str:
    """The page's HTML as served, before the design system's script changes it (vnu checks what we send)."""
    return page.request.get(page.url).text()


def test_the_fife_champion_asks_and_the_coordinator_pairs(
    browser, live_server, sign_in_page, axe, tick, nu_check, tmp_path
):
    pages = {}
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    sign_in_page(page, live_server, "champion@example.org")
    page.goto(f"{live_server}/account")
    page.get_by_role("link", name="Peer buddies").click()
    page.wait_for_load_state()
    pages["index"] = served(page)
    assert axe(page) == []
    page.get_by_role("link", name="Change your buddy settings").click()
    page.wait_for_load_state()
    assert page.get_by_label("I am happy to be another champion's buddy").is_checked()
    pages["settings"] = served(page)
    assert axe(page) == []
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_load_state()
    assert "Your buddy settings have been saved." in page.content()
    page.get_by_role("link", name="Ask for a buddy").click()
    page.wait_for_load_state()
    pages["ask"] = served(page)
    assert axe(page) == []
    tick(page, "Someone nearby: in my NHS board or a neighbouring one")
    tick(page, "Someone further on with the Roadmap than my organisation")
    page.get_by_label("Anything else you would like a coordinator to know (optional)").fill(
        "I would like to talk about leading change in a partnership."
    )
    page.get_by_role("button", name="Ask for a buddy").click()
    page.wait_for_load_state()
    assert "A coordinator will look for a buddy for you" in page.content()
    pages["request"] = served(page)
    assert axe(page) == []
    context.close()

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in_page(page, live_server, "coordinator@example.org")
    page.get_by_role("link", name="Work waiting").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Requests for a buddy").first.click()
    page.wait_for_load_state()
    pages["requests"] = served(page)
    assert axe(page) == []
    page.get_by_role("link", name="Fiona Robertson").click()
    page.wait_for_load_state()
    assert "someone nearby" in page.content() and "In a neighbouring NHS board" in page.content()
    pages["suggestions"] = served(page)
    assert axe(page) == []
    first = page.locator("form button", has_text="Pair with").first
    buddy = first.inner_text().removeprefix("Pair with ")
    first.click()
    page.wait_for_load_state()
    assert "They are paired" in page.content()
    expect(page.get_by_role("heading", name=f"Fiona Robertson and {buddy}")).to_be_visible()
    pages["pairing"] = served(page)
    assert axe(page) == []
    context.close()

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in_page(page, live_server, "champion@example.org")
    page.goto(f"{live_server}/buddies")
    page.get_by_role("link", name=buddy).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="End this pairing").click()
    page.wait_for_load_state()
    assert "You do not need to give a reason" in page.content()
    pages["end"] = served(page)
    assert axe(page) == []
    context.close()

    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    errors = [(m.get("url"), m.get("message")) for m in messages if m.get("type") == "error"]
    assert errors == []
