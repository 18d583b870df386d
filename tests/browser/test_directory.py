"""Champions directory journeys in a real browser, with and without JavaScript."""

import re

from playwright.sync_api import expect

from champions.demo import DEMO_PASSWORD

error_pages: dict[str, str] = {}


def _no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    return context, context.new_page()


def test_find_a_champion_by_area_without_javascript(browser, live_server):
    context, page = _no_js_page(browser)
    page.goto(f"{live_server}/champions")
    page.get_by_label("Council area").select_option(label="Fife")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "area=fife" in page.url
    assert "for Fife" in page.locator(".ds_search-results__title").inner_text()
    expect(page.get_by_role("link", name="Fiona Robertson")).to_be_visible()
    assert "@example.org" not in page.content()  # signed out: no contact details
    context.close()


def test_member_applies_without_javascript(tick, browser, live_server, axe):
    context, page = _no_js_page(browser)
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email address").fill("member@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/champions/apply")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Send application").click()
    # The response has arrived; wait until the page showing it is the one in the window.
    page.locator(".ds_error-summary").wait_for()
    error_pages[f"{live_server}/champions/apply#errors"] = posted.value.text()
    assert "There is a problem" in page.content()
    page.get_by_label("Job title").fill("Head of Children's Services")
    tick(page, "Education", exact=True)
    tick(page, "Yes, list me in the public directory once I am verified")
    page.get_by_role("button", name="Send application").click()
    page.wait_for_load_state()
    assert "Your application is with the coordinators" in page.content()
    assert "Waiting for a coordinator" in page.content()
    context.close()


def test_coordinator_approves_a_pending_application(tick, page, live_server, sign_in_page, axe):
    sign_in_page(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server}/champions/manage")
    page.locator("table a").first.click()
    page.wait_for_load_state()
    name = page.locator("h1").inner_text()
    assert axe(page) == []
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    assert "Choose whether to approve or decline" in page.locator(".ds_error-summary").inner_text()
    error_pages[f"{live_server}/champions/decision#errors"] = posted.value.text()  # as served, before JS
    assert axe(page) == []
    tick(page, "Approve: verify this champion")
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    assert f"{name} is now a verified champion" in page.content()


def test_coverage_map_is_drawn_and_described(page, live_server, axe):
    page.goto(f"{live_server}/champions/coverage")
    svg = page.locator("svg#coverage-map")
    assert svg.locator("polygon").count() == 32
    assert "council areas" in svg.locator("desc").text_content()
    expect(page.get_by_role("heading", name="Council areas with no local champion")).to_be_visible()
    assert axe(page) == []
    # Each hex is a link named by its area and count, reached by the keyboard with a visible focus.
    links = svg.get_by_role("link")
    assert links.count() == 32
    fife = svg.get_by_role("link", name=re.compile(r"^Fife: \d+ local champions?$"))
    assert fife.count() == 1
    page.locator("h1").click()
    for _ in range(200):
        page.keyboard.press("Tab")
        if fife.evaluate("el => el === document.activeElement"):
            break
    hex_fill = fife.locator("polygon").evaluate("el => getComputedStyle(el).fill")
    assert hex_fill == "rgb(253, 213, 34)"  # the design system's focus yellow
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/champions\?area=fife$"))


def test_error_states_are_valid_html(nu_check, tmp_path):
    """Validate the served HTML of the form error states above with the Nu Html Checker."""
    assert len(error_pages) == 2
    for n, html in enumerate(error_pages.values()):
        (tmp_path / f"page{n}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    assert [m.get("message") for m in messages if m.get("type") == "error"] == []


def test_find_champions_by_hscp_without_javascript(browser, page, live_server, axe):
    context, no_js = _no_js_page(browser)
    no_js.goto(f"{live_server}/champions")
    no_js.get_by_label("Health and social care partnership (HSCP)").select_option(label="Fife HSCP")
    no_js.get_by_role("button", name="Apply filters").click()
    no_js.wait_for_load_state()
    assert "hscp=fife-hscp" in no_js.url
    assert "for Fife HSCP" in no_js.locator(".ds_search-results__title").inner_text()
    expect(no_js.get_by_role("link", name="Fiona Robertson")).to_be_visible()
    context.close()
    page.goto(f"{live_server}/champions?q=NHS+Fife&hscp=fife-hscp")
    expect(page.get_by_role("link", name="Fiona Robertson")).to_be_visible()
    assert axe(page) == []
