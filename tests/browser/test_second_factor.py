"""Setting up a second factor and signing in with it, in a real browser, checked with axe-core."""

import pyotp
from playwright.sync_api import expect

from champions.accounts import second_factor


def test_a_member_sets_up_a_second_factor_and_signs_in_with_it(page, live_server, sign_in_page, axe):
    sign_in_page(page, live_server, "member@example.org")
    page.goto(f"{live_server}/account/second-factor")
    assert axe(page) == []
    expect(page.locator("figure svg")).to_be_visible()
    totp = pyotp.TOTP(page.locator("code.second-factor-key").inner_text().replace(" ", ""))
    step = second_factor.current_step()
    page.get_by_label("Code").fill(totp.generate_otp(step))
    page.get_by_role("button", name="Switch on the second factor").click()
    page.wait_for_load_state()
    codes = page.locator("ol.recovery-codes code").all_inner_texts()
    try:
        assert len(codes) == 10
        assert axe(page) == []
        page.get_by_role("button", name="Sign out").first.click()
        page.wait_for_load_state()

        sign_in_page(page, live_server, "member@example.org")
        assert "Enter your code" in page.content()
        assert axe(page) == []
        # The set-up code is spent; the next step's code, or now's if a slow machine has moved past it.
        page.get_by_label("Code").fill(totp.generate_otp(max(step + 1, second_factor.current_step())))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        page.goto(f"{live_server}/account")
        assert "Second factor: on" in page.content()
        assert "(this device)" in page.content()
        assert axe(page) == []
    finally:
        # Leave the shared demo member as it was, for the other browser tests.
        page.goto(f"{live_server}/account/second-factor")
        page.get_by_label("Code").fill(codes[-1])
        page.get_by_role("button", name="Switch off the second factor").click()
        page.wait_for_load_state()
    assert "Your second factor is switched off" in page.content()
