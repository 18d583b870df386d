"""Walk every page a user can reach, as each role: axe-core finds nothing serious, vnu finds no error."""

import json
import subprocess
from urllib.parse import urldefrag, urlsplit

import pytest

ROLES = [None, "member@example.org", "champion@example.org", "coordinator@example.org", "admin@example.org"]
MAX_PAGES_PER_ROLE = 60
MAX_VARIANTS_PER_PATH = 2
SKIP_PREFIXES = ("/static/", "/account/sign-out", "/healthz")

collected_html: dict[str, str] = {}


def _crawl(page, base: str) -> list[str]:
    """Follow same-site links breadth first; return the URLs visited."""
    queue, seen, per_path, visited = ["/"], set(), {}, []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        parts = urlsplit(url)
        if url in seen or parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith((".ics", ".csv", ".atom", ".md")):
            continue
        seen.add(url)
        if per_path.get(parts.path, 0) >= MAX_VARIANTS_PER_PATH:
            continue
        per_path[parts.path] = per_path.get(parts.path, 0) + 1
        try:
            response = page.goto(base + url)
        except Exception as error:  # a link to a file download (Content-Disposition: attachment)
            if "Download is starting" not in str(error):
                raise
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(url)
        collected_html[base + url] = response.text()
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            href = urldefrag(href)[0]
            if href.startswith(base):
                href = href[len(base):]
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href)
    return visited


@pytest.mark.parametrize("email", ROLES, ids=lambda e: (e or "anonymous").split("@")[0])
def test_every_reachable_page_passes_axe(page, live_server, axe, sign_in_page, email):
    if email:
        sign_in_page(page, live_server, email)
    problems = {}
    for url in _crawl(page, live_server):
        page.goto(live_server + url)
        violations = axe(page)
        if violations:
            problems[url] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert problems == {}


def test_form_error_states_pass_axe(page, live_server, axe):
    for path, button in [("/account/sign-in", "Sign in"), ("/account/register", "Create account"),
                         ("/account/reset-password", "Send me a link")]:
        page.goto(live_server + path)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        assert page.locator(".ds_error-summary").is_visible()
        collected_html[live_server + path + "#errors"] = posted.value.text()  # as served, before JS
        assert axe(page) == [], path


def test_html_is_valid(vnu_jar, tmp_path, live_server):
    """Run the Nu Html Checker once over every page the other browser tests collected."""
    if not collected_html:
        pytest.skip("no pages were collected (run with the crawl tests)")
    names = {}
    for n, (url, html) in enumerate(sorted(collected_html.items())):
        target = tmp_path / f"page{n}.html"
        target.write_text(html)
        names[target.as_uri()] = url
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--format", "json", "--stdout", "--errors-only", *map(str, tmp_path.glob("*.html"))],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stdout or '{"messages": []}')["messages"]
    errors = [(names.get(m.get("url"), m.get("url")), m.get("message"), m.get("extract", "")[:120])
              for m in messages if m.get("type") == "error"]
    assert errors == []
