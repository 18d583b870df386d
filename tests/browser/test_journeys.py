"""Journeys a person takes, in a real browser, with and without JavaScript."""

from playwright.sync_api import expect

from champions.demo import DEMO_PASSWORD


def test_demo_accounts_sign_in_and_out(page, live_server, sign_in_page):
    for email in (
        "admin@example.org",
        "coordinator@example.org",
        "champion@example.org",
        "member@example.org",
    ):
        sign_in_page(page, live_server, email)
        expect(page.get_by_role("link", name="Your account")).to_be_visible()
        page.get_by_role("button", name="Sign out").first.click()
        page.wait_for_load_state()
        expect(page.get_by_role("link", name="Sign in").first).to_be_visible()


def test_sign_in_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email address").fill("member@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "Welcome, " in page.content() or "Welcome back, " in page.content()  # first sign-in or later
    context.close()


def test_wrong_password_shows_error_summary_linked_to_field(page, live_server):
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email address").fill("member@example.org")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    summary = page.locator(".ds_error-summary")
    assert "There is a problem" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "password"


def test_skip_link_reaches_main_content(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused


def test_pages_run_under_the_strict_csp_without_violations(browser, live_server, sign_in_page):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in_page(page, live_server, "admin@example.org")
    for path in ("/", "/account", "/admin", "/champions", "/account/register"):
        page.goto(live_server + path)
    assert page.evaluate("document.body.classList.contains('js-enabled')")  # our module script ran
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()
