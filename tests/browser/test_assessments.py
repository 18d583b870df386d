"""Self-assessment in a browser: the demo champion starts one, fills it, submits and reads the summary."""

from playwright.sync_api import expect

from champions.assessments.models import RATING_HINTS, RATING_LABELS

DOMAINS = 10


def served(page) -> str:
    """The page's HTML as served (vnu checks what we send, not what scripts change)."""
    return page.request.get(page.url).text()


def test_a_champion_completes_an_assessment_and_reads_the_summary(
    browser, live_server, axe, sign_in_page, nu_check, tick, tmp_path
):
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    sign_in_page(page, live_server, "champion@example.org")
    page.get_by_role("link", name="Self-assessment").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Organisational self-assessment")).to_be_visible()
    pages = {"index": served(page)}
    assert axe(page) == []
    page.get_by_role("button", name="Start a new assessment").click()
    page.wait_for_load_state()
    pages["detail"] = served(page)
    assert axe(page) == []

    page.get_by_role("link", name="Governance and leadership").click()
    page.wait_for_load_state()
    page.get_by_label("Evidence, in a few lines").fill("x" * 1_600)
    page.get_by_label("Links to documents or case studies (optional)").fill("not a link")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    form = {
        name: page.locator(f"input[name={name}]").first.get_attribute("value")
        for name in ("csrf_token", "version")
    }
    refused = page.request.post(page.url, form={**form, "evidence": "x" * 1_600})
    assert refused.status == 400
    pages["domain-errors"] = refused.text()  # as served: the design system's script adds attributes
    assert axe(page) == []

    labels, hints = list(RATING_LABELS.values()), list(RATING_HINTS.values())
    for n in range(DOMAINS):
        tick(page, f"{labels[n % 4]}: {hints[n % 4]}", exact=True)
        page.get_by_label("Evidence, in a few lines").fill(f"What shows it, domain {n + 1}.")
        page.get_by_label("Links to documents or case studies (optional)").fill("https://example.org/plan")
        if n == 0:
            page.get_by_label("Action 1", exact=True).fill("Name a lead for trauma-informed change")
            page.get_by_label("Who owns action 1").select_option(label="Fiona Robertson")
            page.get_by_label("Due date of action 1").fill("2027-06-30")
            pages["domain"] = served(page)
            assert axe(page) == []
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Check and submit")).to_be_visible()
    pages["submit"] = served(page)
    assert axe(page) == []
    page.get_by_role("button", name="Submit the assessment").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Self-assessment summary")).to_be_visible()
    chart = page.locator(".app-figure__chart img")
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", chart.element_handle())
    assert "Name a lead for trauma-informed change" in page.content()
    assert "first submitted assessment" not in page.content()  # last year's cycle (demo) is beside it
    pages["summary"] = served(page)
    assert axe(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report").click()
    assert download.value.suggested_filename.endswith(".ods")
    context.close()

    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    errors = [(m.get("url"), m.get("message")) for m in messages if m.get("type") == "error"]
    assert errors == []


def test_coordinator_and_admin_pages_pass_axe_and_nu(
    browser, live_server, axe, sign_in_page, nu_check, tmp_path
):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in_page(page, live_server, "coordinator@example.org")
    pages = {}
    for name, path in [
        ("index", "/assessments"),
        ("scotland", "/assessments/scotland"),
        ("organisations", "/assessments/organisations"),
        ("propose", "/assessments/organisations/propose"),
    ]:
        page.goto(f"{live_server}{path}")
        assert axe(page) == [], name
        pages[name] = served(page)
    page.goto(f"{live_server}/assessments")
    page.get_by_role("link", name="Glasgow City Council").first.click()
    page.wait_for_load_state()
    pages["detail-read"] = served(page)
    assert axe(page) == []
    page.goto(f"{live_server}/assessments/organisations")
    page.get_by_role("link", name="Merge City of Edinburgh Council into another").click()
    page.wait_for_load_state()
    pages["merge"] = served(page)
    assert axe(page) == []
    page.goto(f"{live_server}/assessments/scotland")
    assert "Glasgow City Council" in page.content()  # it shares last year's results in the demo
    context.close()

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in_page(page, live_server, "admin@example.org")
    page.goto(f"{live_server}/assessments/frameworks")
    pages["frameworks"] = served(page)
    page.get_by_role("link", name="Trauma-informed organisation self-assessment, version 1").click()
    page.wait_for_load_state()
    pages["framework"] = served(page)
    assert axe(page) == []
    context.close()

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in_page(page, live_server, "member@example.org")  # helps with Edinburgh's assessment in the demo
    page.goto(f"{live_server}/assessments")
    page.get_by_role("link", name="City of Edinburgh Council", exact=False).first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Policy").click()
    page.wait_for_load_state()
    assert page.get_by_label("Evidence, in a few lines").input_value() != ""
    pages["member-domain"] = served(page)
    assert axe(page) == []
    context.close()

    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    errors = [(m.get("url"), m.get("message")) for m in messages if m.get("type") == "error"]
    assert errors == []
