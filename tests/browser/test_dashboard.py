"""The dashboard in a browser: charts load with the CSP, filters work without JavaScript, axe and vnu pass."""


def served(page) -> str:
    """The page's HTML as served, before the design system's script changes it (vnu checks what we send)."""
    return page.request.get(page.url).text()


def test_a_coordinator_reads_the_dashboard_and_filters_it(
    browser, live_server, axe, sign_in_page, nu_check, tmp_path
):
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    sign_in_page(page, live_server, "coordinator@example.org")
    page.get_by_role("link", name="Figures").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="The network in figures").is_visible()
    charts = page.locator(".app-figure__chart img")
    assert charts.count() >= 4
    assert all(
        page.evaluate("img => img.complete && img.naturalWidth > 0", chart.element_handle())
        for chart in charts.all()
    )
    pages = {"dashboard": served(page)}
    assert axe(page) == []

    page.get_by_text("Filter the figures").click()
    page.get_by_label("NHS board").select_option(label="NHS Fife")
    page.get_by_label("Period").select_option(label="Choose months (below)")
    page.get_by_label("From (year and month)").fill("2026-06")
    page.get_by_label("To (year and month)").fill("2026-01")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state()
    assert page.locator(".ds_error-summary").is_visible()
    assert "The period needs to end after it starts" in page.content()
    pages["errors"] = served(page)
    assert axe(page) == []

    page.get_by_label("Period").select_option(label="Last 12 months")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state()
    assert "NHS Fife, every sector" in page.content()
    with page.expect_download() as download:
        page.locator("#coverage-title ~ p a", has_text="CSV").click()
    assert download.value.suggested_filename.startswith("coverage-")
    pages["filtered"] = served(page)

    page.get_by_text("Figures for one council area").click()
    page.get_by_role("link", name="Fife", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Fife in figures").is_visible()
    pages["local"] = served(page)
    assert axe(page) == []
    context.close()

    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    errors = [(m.get("url"), m.get("message")) for m in messages if m.get("type") == "error"]
    assert errors == []
