"""Walk every page a user can reach, as each role: axe-core finds nothing serious, vnu finds no error."""

from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import expect

ROLES = [None, "member@example.org", "champion@example.org", "coordinator@example.org", "admin@example.org"]
MAX_PAGES_PER_ROLE = 80
MAX_VARIANTS_PER_PATH = 2
# The 32 local dashboards would use up a coordinator's page budget: test_dashboard.py checks one of them.
SKIP_PREFIXES = ("/static/", "/account/sign-out", "/healthz", "/dashboard/area/")
SKIP_SUFFIXES = (".ics", ".csv", ".atom", ".md")
ERROR_STATES = [
    ("/account/sign-in", "Sign in"),
    ("/account/register", "Create account"),
    ("/account/reset-password", "Send me a link"),
]


def _links(page, base: str) -> list[str]:
    found = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        href = urldefrag(href)[0]
        href = href[len(base) :] if href.startswith(base) else href
        if href.startswith("/") and not href.startswith("//"):
            found.append(href)
    return found


def _crawl(page, base: str, axe) -> dict[str, tuple[str, list]]:
    """Follow same-site links breadth first; return {url: (served html, axe violations)}."""
    # Search is a form in the header, so no link reaches it: start there too (its example links
    # lead on to a results page).
    queue, seen, per_path, report = ["/", "/search"], set(), {}, {}
    while queue and len(report) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
            continue
        seen.add(url)
        if per_path.get(path, 0) >= MAX_VARIANTS_PER_PATH:
            continue
        per_path[path] = per_path.get(path, 0) + 1
        try:
            response = page.goto(base + url)
        except Exception as error:  # a link to a file download (Content-Disposition: attachment)
            if "Download is starting" not in str(error):
                raise
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        report[url] = (response.text(), axe(page))
        queue.extend(_links(page, base))
    return report


def _error_states(page, base: str, axe) -> dict[str, tuple[str, list]]:
    report = {}
    for path, button in ERROR_STATES:
        page.goto(base + path)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        expect(page.locator(".ds_error-summary"), path).to_be_visible()
        report[path + " (errors)"] = (posted.value.text(), axe(page))  # as served, before JS
    return report


@pytest.fixture(scope="session")
def site_report(browser, live_server, axe, sign_in_page):
    """Crawl the site once per role; keep each page's HTML and axe result."""
    report = {}
    for email in ROLES:
        context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
        page = context.new_page()
        if email:
            sign_in_page(page, live_server, email)
        report[email] = _crawl(page, live_server, axe)
        if email is None:
            report[email].update(_error_states(page, live_server, axe))
        context.close()
    return report


@pytest.mark.parametrize("email", ROLES, ids=lambda e: (e or "anonymous").split("@")[0])
def test_every_reachable_page_passes_axe(site_report, email):
    pages = site_report[email]
    assert len(pages) >= 5, sorted(pages)
    problems = {
        url: [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        for url, (_, violations) in pages.items()
        if violations
    }
    assert problems == {}


def test_html_is_valid(site_report, nu_check, tmp_path):
    """Run the Nu Html Checker once over every page the crawl collected, as each role."""
    names = {}
    for n, (url, html) in enumerate(
        (f"{email or 'anonymous'} {url}", html)
        for email, pages in site_report.items()
        for url, (html, _) in pages.items()
    ):
        target = tmp_path / f"page{n}.html"
        target.write_text(html)
        names[target.as_uri()] = url
    messages = nu_check(tmp_path.glob("*.html"))
    errors = [
        (names.get(m.get("url"), m.get("url")), m.get("message"), m.get("extract", "")[:120])
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
