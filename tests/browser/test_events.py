"""Event journeys in a real browser: registering without JavaScript, and creating an event."""

from playwright.sync_api import expect

from champions.demo import DEMO_PASSWORD
from tests.events.test_events_forms import clocks_change


def _sign_in(page, base, email):
    page.goto(f"{base}/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_member_registers_and_cancels_without_javascript(browser, live_server, axe):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, live_server, "member@example.org")
    page.goto(f"{live_server}/events")
    page.get_by_role("link", name="Learning event: trauma-informed housing and homelessness services").click()
    page.wait_for_load_state()
    assert "Shown here to people with a confirmed place" in page.content()
    page.get_by_role("link", name="Register for this event").click()
    page.get_by_label("The sector you work in (optional)").select_option("housing")
    page.get_by_label("Access or dietary needs (optional)").fill("A quiet space at lunch, please.")
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    assert "You have a place at this event" in page.content()
    assert "https://meet.example.org/tcn-demo" in page.content()
    page.get_by_role("link", name="Cancel your place").click()
    page.get_by_role("button", name="Yes, cancel my place").click()
    page.wait_for_load_state()
    assert "Your registration has been cancelled" in page.content()
    context.close()


def test_full_event_offers_the_waiting_list(page, live_server, sign_in_page):
    sign_in_page(page, live_server, "champion@example.org")
    page.goto(f"{live_server}/events")
    page.get_by_role("link", name="Trauma-skilled practice: a half-day workshop").click()
    # is_visible() answers at once, perhaps before the event page has loaded; expect() waits for it.
    expect(page.get_by_role("link", name="Join the waiting list")).to_be_visible()


def test_coordinator_creates_an_event_and_sees_clock_change_errors(page, live_server, sign_in_page, axe):
    sign_in_page(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server}/events/new")
    page.get_by_label("Title").fill("Browser-made webinar")
    page.get_by_label("Description").fill("An hour on **trauma-informed** leadership.")
    page.get_by_label("Type of event").select_option("webinar")
    page.get_by_label("Start date").fill(clocks_change(3))  # next year's: a new event starts in the future
    page.get_by_label("Start time").fill("01:30")
    page.get_by_label("End date").fill(clocks_change(3))
    page.get_by_label("End time").fill("03:30")
    page.locator("label[for=format-0]").click()
    page.get_by_label("Joining link").fill("https://meet.example.org/browser")
    page.get_by_role("button", name="Save event").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert "because the clocks go forward" in page.locator(".ds_error-summary").inner_text()
    assert axe(page) == []
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:00")
    page.get_by_role("button", name="Save event").click()
    page.wait_for_load_state()
    assert "saved as a draft" in page.content()
    page.get_by_role("button", name="Publish the event").click()
    page.wait_for_load_state()
    assert "The event is published" in page.content()
    assert "10:00 to 11:00" in page.content()
    assert axe(page) == []
