"""Messages in a real browser: a member writes to a champion from the profile."""

from playwright.sync_api import expect


def test_member_contacts_a_champion_from_the_profile(page, live_server, sign_in_page, axe):
    sign_in_page(page, live_server, "member@example.org")
    page.goto(f"{live_server}/champions?area=fife")
    page.get_by_role("link", name="Fiona Robertson").click()
    page.get_by_role("link", name="Contact Fiona Robertson").click()
    page.wait_for_load_state()
    assert axe(page) == []
    page.get_by_label("Subject").fill("Supervision for home care staff")
    page.get_by_label("Your message").fill("Hello Fiona, could we talk about **supervision**?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert "Your message has been sent." in page.content()
    expect(page.locator("strong", has_text="supervision")).to_be_visible()
    assert axe(page) == []
    page.goto(f"{live_server}/messages")
    expect(page.get_by_role("link", name="Supervision for home care staff")).to_be_visible()
