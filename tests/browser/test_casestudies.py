"""Case study journeys in a real browser: finding, writing, refusing a bad file, reviewing, publishing."""

import struct
import zlib

from playwright.sync_api import expect

from champions.demo import DEMO_PASSWORD


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def test_find_a_case_study_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/case-studies")
    page.get_by_label("Search case studies").fill("reflective sessions")
    page.get_by_label("Sector").select_option(label="Adult social care")
    page.get_by_role("button", name="Show case studies").click()
    page.wait_for_load_state()
    assert "sector=adult-social-care" in page.url and "q=reflective" in page.url
    page.get_by_role("link", name="Reflective practice for home care teams").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="What we did")).to_be_visible()
    assert "Sign in" in page.content() and "to save this case study" in page.content()
    context.close()


def test_a_refused_file_keeps_the_text_and_is_explained(page, live_server, sign_in_page, axe):
    sign_in_page(page, live_server, "champion@example.org")
    page.goto(f"{live_server}/case-studies/new")
    page.get_by_label("Title").fill("Our quiet room for staff")
    page.get_by_label("Summary").fill("A room where staff can pause after hard calls.")
    page.get_by_label("Attach files (optional)").set_input_files(
        [{"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"<html><script>1</script></html>"}]
    )
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert "web page or SVG image" in page.locator("#files-error").inner_text()
    assert page.get_by_label("Title").input_value() == "Our quiet room for staff"
    assert page.title().startswith("Error: ")
    assert axe(page) == []


def test_champion_writes_and_coordinator_publishes(tick, browser, live_server, sign_in_page, axe):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in_page(page, live_server, "champion@example.org")
    page.goto(f"{live_server}/case-studies/new")
    assert axe(page) == []
    page.get_by_label("Title").fill("Walk and talk supervision")
    page.get_by_label("Summary").fill("Supervision on a walk helped staff open up.")
    page.get_by_label("Impact and evidence").fill("Staff rated supervision **more useful**.")
    tick(page, "Health", exact=True)
    tick(page, "Anyone, including people who are not signed in")
    page.get_by_label("Attach files (optional)").set_input_files(
        [{"name": "route map.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    assert "with a coordinator for review" in page.content()
    page.get_by_role("button", name="Sign out").first.click()

    sign_in_page(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server}/case-studies/review")
    page.get_by_role("link", name="Walk and talk supervision").click()
    page.wait_for_load_state()
    assert axe(page) == []
    tick(page, "Consent was given by any people described")
    tick(page, "No identifiable personal data about people who use services")
    tick(page, "Outcome evidence is stated")
    tick(page, "Publish it")
    page.get_by_role("button", name="Send decision").click()
    page.wait_for_load_state()
    assert "Published" in page.content()
    page.get_by_role("button", name="Sign out").first.click()

    page.goto(f"{live_server}/case-studies?q=walk")
    page.get_by_role("link", name="Walk and talk supervision").click()
    page.wait_for_load_state()
    assert "route map.png" in page.content()
    assert axe(page) == []
    context.close()


def test_save_for_later_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email address").fill("member@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/case-studies")
    page.locator(".ds_search-result__link").first.click()
    page.get_by_role("button", name="Save for later").click()
    page.wait_for_load_state()
    assert "Saved." in page.content()
    expect(page.get_by_role("button", name="Remove from saved")).to_be_visible()
    page.get_by_role("button", name="This was useful").click()
    page.wait_for_load_state()
    assert "Thank you for letting the author know" in page.content()
    context.close()


def test_the_author_sees_what_the_reviewer_asked_for(page, live_server, sign_in_page, axe):
    sign_in_page(page, live_server, "champion@example.org")
    page.goto(f"{live_server}/case-studies/mine")
    row = page.locator("tr", has=page.locator(".ds_tag", has_text="Returned for changes")).first
    row.get_by_role("link").click()
    page.wait_for_load_state()
    section = page.get_by_role("region", name="What the reviewer asked for")
    assert "how you measured the change" in section.inner_text()
    assert axe(page) == []
    section.get_by_role("link", name="Edit your case study").click()
    page.wait_for_load_state()
    assert "how you measured the change" in page.content()
    assert axe(page) == []
