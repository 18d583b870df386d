"""Markdown for user text: rendered, then sanitised with nh3. The only |markdown filter."""

import re
import threading
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown as markdown_lib
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED_TAGS = {
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
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
SAFE_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


class _ImagesAsLinks(Treeprocessor):
    """Show an image as a link to it, so nothing loads from another site."""

    def run(self, root: Element) -> None:
        for image in root.iter("img"):
            label = image.get("alt") or "Image"
            image.tag = "a"
            image.attrib = {"href": image.get("src", "")}
            image.text = f"{label} (image)"


class _NoRawHtml(Extension):
    """Treat HTML typed into a post as text, and turn images into links."""

    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ImagesAsLinks(md), "images_as_links", 0)


_SAFE_HREF = re.compile(r"^(https?://|mailto:|/(?!/)|#)", re.IGNORECASE)


def _only_plain_links(tag: str, attribute: str, value: str) -> str | None:
    # nh3 already drops unsafe schemes; this also drops forms a browser would read as another
    # site (browsers ignore tabs and newlines in URLs and treat a backslash like a slash).
    if attribute != "href":
        return value
    squeezed = "".join(ch for ch in value.strip() if ch not in "\t\r\n")
    if "\\" in squeezed or squeezed.startswith("//") or not _SAFE_HREF.match(squeezed):
        return None
    return value


def _shift_headings(html: str) -> str:
    # The page owns <h1>; user headings start at <h2> so the outline stays sound.
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    return html


_converters = threading.local()


def _converter() -> markdown_lib.Markdown:
    # Building a converter loads its extensions, which costs more than converting a page of text:
    # keep one per thread (a converter is not safe to share between threads) and reset it per use.
    if not hasattr(_converters, "markdown"):
        _converters.markdown = markdown_lib.Markdown(
            extensions=["fenced_code", "tables", "sane_lists", _NoRawHtml()], output_format="html"
        )
    return _converters.markdown.reset()


def render_markdown(text: str | None) -> Markup:
    """Turn Markdown into safe HTML: no raw HTML, scripts, handlers or unsafe URLs."""
    if not text:
        return Markup("")
    return _rendered(text)


# The same text always gives the same HTML, and event pages, case studies and profiles render
# their text on every view: keep the most recent results in each process.
@lru_cache(maxsize=256)
def _rendered(text: str) -> Markup:
    html = _converter().convert(text)
    cleaned = nh3.clean(
        _shift_headings(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=SAFE_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_only_plain_links,
    )
    return Markup(cleaned)
