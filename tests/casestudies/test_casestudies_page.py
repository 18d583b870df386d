"""The case study page: safe Markdown, save for later, 'this was useful', related, hooks for other pages."""

import re
from html.parser import HTMLParser

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.casestudies import services
from champions.casestudies.models import Bookmark, UsefulMark
from champions.extensions import db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "[r][1]\n\n[1]: javascript:alert(1)",
    '![x" onerror="alert(1)](https://example.org/a.png)',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><button>Go</button></form>',
    '<base href="https://evil.example/">',
]
SECTIONS = ["challenge", "approach", "involvement", "impact", "learning", "advice"]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def article(html: str) -> str:
    return html.split('<article class="app-case-study">', 1)[1].split("</article>", 1)[0]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_xss_is_neutralised_in_every_section(client, make_case_study, payload):
    case_study = make_case_study(**{name: payload for name in SECTIONS}, summary=payload)
    body = article(client.get(f"/case-studies/{case_study.id}").get_data(as_text=True))
    parser = _Elements()
    parser.feed(body)
    for tag, attrs in parser.elements:
        assert tag not in {"script", "img", "svg", "iframe", "style", "form", "base", "math", "object"}
        assert not any(name.startswith("on") or name in {"style", "src"} for name in attrs)
        assert re.match(r"^(https?:|mailto:|/|#)", attrs.get("href", "/").strip(), re.I), attrs


def test_save_for_later_toggles_and_shows_on_account_hook(app, client, as_role, make_case_study):
    user = as_role(Role.MEMBER)
    case_study = make_case_study(title="Worth keeping")
    response = client.post(f"/case-studies/{case_study.id}/save")
    assert response.headers["Location"] == f"/case-studies/{case_study.id}"
    assert [c.title for c in services.saved_by(user)] == ["Worth keeping"]
    assert "Remove from saved" in client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    with app.test_request_context():
        html = render_template_string(
            '{% from "casestudies/_sections.html" import account_section %}{{ account_section(saved) }}',
            saved=services.saved_by(user),
        )
    assert "Worth keeping" in html and f"/case-studies/{case_study.id}" in html
    client.post(f"/case-studies/{case_study.id}/save")
    assert services.saved_by(user) == []
    with app.test_request_context():
        empty = render_template_string(
            '{% from "casestudies/_sections.html" import account_section %}{{ account_section([]) }}'
        )
    assert "You have not saved any case studies yet" in empty


def test_useful_counts_once_per_person(client, as_role, make_case_study):
    as_role(Role.MEMBER)
    case_study = make_case_study()
    client.post(f"/case-studies/{case_study.id}/useful")
    response = client.post(f"/case-studies/{case_study.id}/useful", follow_redirects=True)
    assert "already said this was useful" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(UsefulMark.id))) == 1
    assert "1 person found this useful" in client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)


def test_anonymous_visitors_are_asked_to_sign_in_to_save(client, make_case_study):
    case_study = make_case_study()
    page = client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    assert "to save this case study" in page
    response = client.post(f"/case-studies/{case_study.id}/save")
    assert response.headers["Location"].startswith("/account/sign-in")
    assert db.session.scalar(select(func.count(Bookmark.id))) == 0


def test_related_case_studies_share_tags(client, make_case_study, sector):
    first = make_case_study(title="First of a pair", sector_ids=[sector.id], topics=["kinship care"])
    make_case_study(title="Second of a pair", sector_ids=[sector.id], topics=["kinship care"])
    make_case_study(title="Unrelated", topics=["other"])
    page = client.get(f"/case-studies/{first.id}").get_data(as_text=True)
    sidebar = page.split("Related case studies", 1)[1]
    assert "Second of a pair" in sidebar and "Unrelated" not in sidebar


def test_profile_hook_lists_published_case_studies(app, make_case_study, make_user):
    author = make_user(role=Role.CHAMPION)
    make_case_study(title="Published one", author=author)
    make_case_study(title="Draft one", author=author, status="draft")
    found = services.published_by_author(author.id)
    assert [c.title for c in found] == ["Published one"]
    with app.test_request_context():
        html = render_template_string(
            '{% from "casestudies/_sections.html" import profile_section %}{{ profile_section(items) }}',
            items=found,
        )
    assert "Published one" in html


def test_page_shows_author_organisation_and_print_stylesheet(client, make_case_study, make_user):
    case_study = make_case_study()
    page = client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    assert case_study.author.name in page
    assert 'href="/static/css/casestudies-print.css" media="print"' in page
    with client.get("/static/css/casestudies-print.css") as css:
        assert css.status_code == 200 and b"@media print" in css.data


def test_page_queries_stay_flat(client, make_case_study, count_queries, png_bytes):
    case_study = make_case_study(files=[("a.png", "png", png_bytes)] * 3, topics=["a", "b", "c"])
    with count_queries() as statements:
        assert client.get(f"/case-studies/{case_study.id}").status_code == 200
    assert len(statements) <= 15, [s[:80] for s in statements]
