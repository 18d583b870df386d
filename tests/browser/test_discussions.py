"""Discussion journeys in a real browser: posting without JavaScript, and a coordinator's review."""

from champions.demo import DEMO_PASSWORD


def test_start_a_thread_with_preview_without_javascript(browser, live_server, axe):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/account/sign-in?next=/discussions")
    page.get_by_label("Email address").fill("member@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Staff wellbeing").click()
    page.get_by_role("link", name="Start a new thread").click()
    page.get_by_role("button", name="Post thread").click()  # nothing filled in
    page.wait_for_load_state()
    assert "There is a problem" in page.locator(".ds_error-summary").inner_text()
    page.get_by_label("Title").fill("Walking meetings")
    page.get_by_label("Your post").fill("Has anyone tried **walking** 1:1s?")
    page.get_by_label("Content note (optional)").fill("mentions stress")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    assert page.locator(".app-preview strong").inner_text() == "walking"
    page.get_by_role("button", name="Post thread").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Walking meetings"
    assert "Thank you. Your post has been added." in page.content()
    page.locator("summary", has_text="Content note: mentions stress").click()
    assert page.locator(".app-post__body strong").first.inner_text() == "walking"
    page.get_by_label("Your post").fill("Adding a reply, also without JavaScript.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_load_state()
    assert "Adding a reply, also without JavaScript." in page.content()
    context.close()


def test_coordinator_reviews_a_report_and_hides_the_post(page, live_server, sign_in_page, axe):
    sign_in_page(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server}/discussions")
    page.get_by_role("link", name="Reports to review (1)").click()
    page.wait_for_load_state()
    assert axe(page) == []
    report = page.locator(".app-report").first
    assert "names a specific chief officer" in report.inner_text()
    report.get_by_label("Reason for hiding").fill("It could identify someone")
    report.get_by_role("button", name="Hide this post").click()
    page.wait_for_load_state()
    assert "The post is hidden and its author has been told." in page.content()
    assert page.locator(".app-post--hidden").count() == 1
    assert axe(page) == []
    page.goto(f"{live_server}/discussions/moderation")
    assert "There are no reports to review" in page.content()


def test_the_report_page_shows_the_post(page, live_server, sign_in_page, axe):
    sign_in_page(page, live_server, "member@example.org")
    page.goto(f"{live_server}/discussions")
    page.get_by_role("link", name="Staff wellbeing").click()
    page.wait_for_load_state()
    # The first thread with someone else's post (earlier tests may have started threads of the member's own).
    threads = [link.get_attribute("href") for link in page.locator(".app-thread__title a").all()]
    for href in threads:
        page.goto(f"{live_server}{href}")
        if page.get_by_role("link", name="Report").count():
            break
    post = page.locator("article.app-post", has=page.get_by_role("link", name="Report")).first
    author = post.locator(".app-post__author").inner_text()
    post.get_by_role("link", name="Report").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Report a post"
    assert author in page.locator("section.app-post").inner_text()
    assert axe(page) == []
