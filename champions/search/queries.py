"""Site search as the results page needs it: counts per kind, the best few or one page of a kind."""

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape

from champions.fulltext import Query, parse
from champions.recent import recent_for
from champions.search import engine
from champions.search.engine import CLOSE, OPEN
from champions.search.models import Kind

PER_PAGE = 20
PREVIEW = 3
# Counting stops here, so a common word never makes the page count a huge set of matches.
COUNT_CAP = 500
# Counts per kind and the best ids per kind, kept briefly per process (champions.recent).
COUNTED = "site search: counts"
BEST = "site search: best ids"


@dataclass(frozen=True)
class KindInfo:
    kind: Kind
    slug: str
    label: str
    members_only: bool = False


KINDS = [
    KindInfo(Kind.CHAMPION, "champions", "Champions"),
    KindInfo(Kind.THREAD, "threads", "Discussion threads", members_only=True),
    KindInfo(Kind.POST, "posts", "Discussion posts", members_only=True),
    KindInfo(Kind.CASE_STUDY, "case-studies", "Case studies"),
    KindInfo(Kind.EVENT, "events", "Events"),
    KindInfo(Kind.RESOURCE, "resources", "Resources"),
]
BY_SLUG = {info.slug: info for info in KINDS}


@dataclass
class Result:
    kind: Kind
    object_id: int
    title: Markup
    snippet: Markup
    context: str
    link: str
    dated_at: datetime | None


@dataclass
class Group:
    info: KindInfo
    count: int
    results: list[Result] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown(self) -> int:
        """How many can be paged through: the count, up to the cap."""
        return min(self.count, COUNT_CAP)


@dataclass
class Pages:
    """Enough of Flask-SQLAlchemy's pagination for the pagination macro."""

    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self):
        shown = [
            n for n in range(1, self.pages + 1) if n <= 2 or n > self.pages - 2 or abs(n - self.page) <= 2
        ]
        for previous, n in zip([0, *shown], shown, strict=False):
            if n - previous > 1:
                yield None
            yield n


@dataclass
class SearchResults:
    text: str
    query: Query
    kinds: list[KindInfo]
    selected: KindInfo | None = None
    groups: list[Group] = field(default_factory=list)
    pages: Pages | None = None

    @property
    def total(self) -> int:
        return sum(group.shown for group in self.groups)

    @property
    def selected_group(self) -> Group | None:
        return next((g for g in self.groups if self.selected and g.info == self.selected), None)

    @property
    def capped(self) -> bool:
        return any(group.capped for group in self.groups)


_MARKDOWN = re.compile(r"[*#>`]+|\[|\]\([^)\s]*\)")


def marked(raw: str, tidy: bool = False) -> Markup:
    """Escape the text, then turn the engine's sentinels into balanced <mark> elements."""
    out, inside = [], False
    for piece in re.split(f"([{OPEN}{CLOSE}])", raw or ""):
        if piece == OPEN and not inside:
            out.append("<mark>")
            inside = True
        elif piece == CLOSE and inside:
            out.append("</mark>")
            inside = False
        elif piece not in (OPEN, CLOSE):
            out.append(str(escape(_MARKDOWN.sub("", piece) if tidy else piece)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))


def visible_kinds(user) -> list[KindInfo]:
    signed_in = bool(getattr(user, "is_authenticated", False))
    return [info for info in KINDS if signed_in or not info.members_only]


def search(text: str, kind_slug: str, page: int, user) -> SearchResults:
    """Search what this person may see: every kind's best few, or one page of one kind."""
    kinds = visible_kinds(user)
    selected = BY_SLUG.get(kind_slug)
    results = SearchResults(text, parse(text), kinds, selected if selected in kinds else None)
    if not results.query:
        return results
    public_only = not getattr(user, "is_authenticated", False)
    # Counts and best ids grow with the data (each word's whole list in the index, issue #18): kept for a
    # minute per process; the rows are read afresh below.
    words = (tuple(results.query.words), tuple(map(tuple, results.query.phrases)))
    kinds_key = tuple(info.kind for info in kinds)
    counts = recent_for(
        COUNTED,
        (words, kinds_key, public_only),
        lambda: engine.counts(results.query, [info.kind for info in kinds], public_only, COUNT_CAP + 1),
    )
    results.groups = [Group(info, counts[info.kind]) for info in kinds]
    group = results.selected_group
    if group:
        results.pages = Pages(min(page, Pages(1, group.shown).pages), group.shown)
        slices = [engine.Slice(group.info.kind, PER_PAGE, (results.pages.page - 1) * PER_PAGE)]
    else:
        slices = [engine.Slice(g.info.kind, PREVIEW) for g in results.groups if g.count]
    # A word matched past the count cap is too common to rank cheaply (champions.search.engine).
    ranked = not results.capped
    ids = recent_for(
        BEST,
        (words, tuple((s.kind, s.limit, s.offset) for s in slices), public_only, ranked),
        lambda: engine.best_ids(results.query, slices, public_only, ranked=ranked),
    )
    # Read as they are now, and for a visitor only if still public: kept ids never show a stale row.
    hits = engine.hits(results.query, ids, public_only)
    by_kind = {group.info.kind: group for group in results.groups}
    for hit in (hits[i] for i in ids if i in hits):
        by_kind[hit.kind].results.append(
            Result(
                hit.kind,
                hit.object_id,
                marked(hit.title),
                marked(hit.snippet, tidy=True),
                hit.context,
                hit.link,
                hit.dated_at,
            )
        )
    return results
