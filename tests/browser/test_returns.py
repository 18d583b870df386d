"""Quarterly returns in a real browser: the demo champion of Fife completes this quarter's return from
the home page; a coordinator sees who has returned, sends a reminder and reads the totals. axe and the
Nu Html Checker check each page."""

import re

from playwright.sync_api import expect


def served(page) -> str:
    """The page's HTML as served, before the design system's script changes it (vnu checks what we send)."""
    return page.request.get(page.url).text()


def test_the_fife_champion_completes_a_return(
    browser, live_server, axe, sign_in_page, tick, nu_check, tmp_path
):
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    sign_in_page(page, live_server, "champion@example.org")
    page.goto(f"{live_server}/")
    page.get_by_role("link", name=re.compile("^Send your return for")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="What you did this quarter")).to_be_visible()
    assert (
        page.get_by_role("link", name="National Wellbeing Hub")
        .first.get_attribute("href")
        .startswith("https://wellbeinghub.scot")
    )
    pages = {"form": served(page)}
    assert axe(page) == []

    page.get_by_label("Sessions you ran").fill("lots")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    pages["errors"] = served(page)
    assert axe(page) == []

    page.get_by_label("Sessions you ran").fill("3")
    page.get_by_label("Trauma-informed").fill("25")
    page.locator('label[for="helped-4"]').click()  # What helped: Working together
    expect(page.locator("#helped-4")).to_be_checked()
    page.locator('label[for="hindered-0"]').click()  # What got in the way: Time and workload
    page.get_by_label("Is there any support you would like? (optional)").fill("Time to meet other champions")
    tick(page, "Mostly fine")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert "Your draft has been saved" in page.content()
    expect(page.get_by_label("Sessions you ran")).to_have_value("3")

    page.get_by_role("button", name="Send your return").click()
    page.wait_for_load_state()
    assert "Thank you. Your return has been sent." in page.content()
    assert "It can no longer be changed" in page.content()
    assert "Mostly fine" in page.content()
    pages["sent"] = served(page)
    assert axe(page) == []
    page.get_by_role("link", name="Back").click()
    page.wait_for_load_state()
    pages["list"] = served(page)
    assert axe(page) == []
    context.close()

    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    assert [(m.get("url"), m.get("message")) for m in messages if m.get("type") == "error"] == []


def test_a_coordinator_sees_who_has_returned_and_reminds(
    browser, live_server, axe, sign_in_page, nu_check, tmp_path
):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in_page(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server}/manage")
    page.get_by_role("link", name=re.compile(r"July to September|to \w+ \d{4}$")).first.click()
    page.wait_for_load_state()
    assert "champions have sent their return" in page.content()
    pages = {"progress": served(page)}
    assert axe(page) == []
    page.get_by_role("button", name=re.compile("^Send a reminder")).first.click()
    page.wait_for_load_state()
    assert "A reminder is on its way" in page.content()
    page.get_by_role("link", name="See the totals").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=re.compile("^Totals for"))).to_be_visible()
    assert "shown after the window closes" in page.content()  # the window is still open
    pages["totals"] = served(page)
    assert axe(page) == []
    # The quarter before has closed: what champions said is shown, from the returns sent in time.
    page.goto(f"{live_server}/returns/windows")
    page.locator("tbody tr").nth(1).get_by_role("link").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="See the totals").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="How champions are finding the role")).to_be_visible()
    assert "Late returns are in the figures above only" in page.content()
    pages["closed-totals"] = served(page)
    assert axe(page) == []
    page.goto(f"{live_server}/returns/windows/new")
    pages["new"] = served(page)
    assert axe(page) == []
    context.close()

    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    assert [(m.get("url"), m.get("message")) for m in messages if m.get("type") == "error"] == []
