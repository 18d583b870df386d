"""The dashboard in a browser: charts load with the CSP, filters work without JavaScript, axe and vnu pass."""

import csv
import io
import re
from pathlib import Path

from odf import teletype
from odf.opendocument import load
from odf.table import TableRow
from playwright.sync_api import expect


def served(page) -> str:
    """The page's HTML as served, before the design system's script changes it (vnu checks what we send)."""
    return page.request.get(page.url).text()


def charts_load(page) -> int:
    """Every chart image on the page has loaded (none broken) and says what it shows; how many there are."""
    charts = page.locator(".app-figure__chart img")
    for chart in charts.all():
        chart.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=chart.element_handle())
        assert page.evaluate("img => img.naturalWidth > 0", chart.element_handle()), chart.get_attribute(
            "src"
        )
        assert chart.get_attribute("alt").startswith("Chart: ")
    return charts.count()


def table_on_page(page, key: str) -> list[list[str]]:
    rows = page.locator(f"section[aria-labelledby='{key}-title'] table tr")
    return [[cell.strip() for cell in row.locator("th, td").all_inner_texts()] for row in rows.all()]


def download(page, key: str, kind: str) -> bytes:
    with page.expect_download() as started:
        page.locator(f"#{key}-title ~ p a", has_text=kind).click()
    return Path(started.value.path()).read_bytes()


def test_a_coordinator_reads_the_dashboard_and_filters_it(
    browser, live_server, axe, sign_in_page, nu_check, tmp_path
):
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    sign_in_page(page, live_server, "coordinator@example.org")
    page.get_by_role("link", name="Figures").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="The network in figures")).to_be_visible()
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
    expect(page.locator(".ds_error-summary")).to_be_visible()
    assert "The period needs to end after it starts" in page.content()
    pages["errors"] = served(page)
    assert axe(page) == []

    # The "Done when": NHS Fife for the last year, each chart read, a table downloaded.
    page.get_by_label("Period").select_option(label="Last 12 months")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state()
    assert "NHS Fife, every sector" in page.content()
    assert charts_load(page) >= 3  # the demo's Fife has too few people for some charts
    shown = table_on_page(page, "coverage")
    assert len(shown) == 13
    assert list(csv.reader(io.StringIO(download(page, "coverage", "CSV").decode()))) == shown
    document = load(io.BytesIO(download(page, "coverage", "OpenDocument")))
    rows = [[teletype.extractText(c) for c in row.childNodes] for row in document.getElementsByType(TableRow)]
    assert rows == shown
    pages["filtered"] = served(page)
    assert axe(page) == []

    # A view the refresh did not draw: its charts are drawn as the browser asks for them.
    page.get_by_label("Period").select_option(label="Last 24 months")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state()
    assert "NHS Fife, every sector" in page.content() and charts_load(page) >= 3

    page.get_by_text("Figures for one council area").click()
    page.get_by_role("link", name="Fife", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Fife in figures")).to_be_visible()
    assert charts_load(page) >= 3
    pages["local"] = served(page)
    assert axe(page) == []
    context.close()

    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    errors = [(m.get("url"), m.get("message")) for m in messages if m.get("type") == "error"]
    assert errors == []


def test_the_dashboard_map_leads_by_keyboard_to_an_areas_figures(
    browser, live_server, axe, sign_in_page, nu_check, tmp_path
):
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    sign_in_page(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server}/dashboard")
    svg = page.locator("svg#coverage-map")
    links = svg.get_by_role("link")
    assert links.count() == 32
    fife = svg.get_by_role("link", name=re.compile(r"^Fife: \d+ local champions?$"))
    assert fife.get_attribute("href") == "/dashboard/area/fife"
    # The quarterly returns section, from the demo's returns: its chart loads and its table downloads.
    expect(page.get_by_role("heading", name="Quarterly returns", exact=True)).to_be_visible()
    chart = page.locator("img[src^='/dashboard/charts/returns_sent.svg']")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    shown = table_on_page(page, "returns_sent")
    assert len(shown) >= 3 and shown[0] == [
        "Quarter",
        "Returns sent",
        "Champions asked",
        "Share who sent one",
    ]
    assert list(csv.reader(io.StringIO(download(page, "returns_sent", "CSV").decode()))) == shown
    pages = {"national": served(page)}
    assert axe(page) == []
    page.locator("h1").click()
    for _ in range(300):
        page.keyboard.press("Tab")
        if fife.evaluate("el => el === document.activeElement"):
            break
    assert fife.locator("polygon").evaluate("el => getComputedStyle(el).fill") == "rgb(253, 213, 34)"

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dashboard/area/fife$"))
    expect(page.get_by_role("heading", name="Fife in figures")).to_be_visible()
    own = page.locator("svg#coverage-map a[aria-current='page']")
    assert own.count() == 1 and own.get_attribute("href") == "/dashboard/area/fife"
    width = own.locator("polygon").evaluate("el => getComputedStyle(el).strokeWidth")
    assert width == "5px"  # the area's own hexagon has a heavy edge, not only a colour
    pages["local"] = served(page)
    assert axe(page) == []
    context.close()
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    messages = nu_check(tmp_path.glob("*.html"))
    assert [(m.get("url"), m.get("message")) for m in messages if m.get("type") == "error"] == []
