"""The one Markdown renderer: known XSS payloads never produce an executable element or attribute."""

import re
from html.parser import HTMLParser

import pytest

from champions.markup import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[r][1]\n\n[1]: javascript:alert(1)",
    "[r][1]\n\n[1]: data:text/html,<script>alert(1)</script>",
    "`<script>alert(1)</script>`",
    "<div onclick=alert(1)>click</div>",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.org/a.png)',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[x](java\tscript:alert(1))",
    '<object data="evil.swf"></object>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><button>Go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](  javascript:alert(1))",
    '<base href="https://evil.example/">',
]
SAFE_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


class _ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def executable_parts(html: str) -> list[str]:
    """Parse HTML as a browser would and list anything that could run script."""
    collector = _ElementCollector()
    collector.feed(html)
    problems = []
    for tag, attrs in collector.elements:
        if tag not in SAFE_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in {"style", "src", "srcdoc", "formaction"}:
                problems.append(f"{tag}[{name}]")
            href = "".join(ch for ch in (value or "").strip() if ch not in "\t\r\n")
            if name == "href" and (not re.match(r"^(https?:|mailto:|/(?!/)|#)", href, re.I) or "\\" in href):
                problems.append(f"{tag}[href={value}]")
    return problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_neutralised(payload):
    html = str(render_markdown(payload))
    assert executable_parts(html) == [], html


def test_links_are_marked_and_images_become_links():
    html = str(render_markdown("[NES](https://www.nes.scot.nhs.uk) ![map](https://example.org/m.png)"))
    assert 'rel="nofollow ugc noopener"' in html
    assert "<img" not in html and 'href="https://example.org/m.png"' in html


def test_headings_start_below_the_page_heading():
    assert str(render_markdown("# Title")) == "<h2>Title</h2>"


def test_empty_text_renders_nothing():
    assert str(render_markdown("")) == "" and str(render_markdown(None)) == ""


def test_one_text_leaves_nothing_behind_for_the_next():
    # The converter is reused (issue #18): a link defined in one text must not resolve in another.
    first = str(render_markdown("[NES][n]\n\n[n]: https://www.nes.scot.nhs.uk"))
    second = str(render_markdown("See [NES][n] again."))
    assert 'href="https://www.nes.scot.nhs.uk"' in first
    assert "href" not in second and "[NES][n]" in second
    assert render_markdown("See [NES][n] again.") == second
