"""Full-text queries for every search (site-wide and the library): one parser, one set of limits.

What someone typed becomes quoted phrases and plain words, ANDed. Nothing the person types
reaches an engine as syntax. The text is cut to MAX_QUERY_CHARS, split into words (letters and
digits only) and at most MAX_TERMS of them are kept. FTS5 gets each word or phrase
double-quoted; PostgreSQL gets plainto_tsquery / phraseto_tsquery parts.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
_QUOTED = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words people type as operators; plain words are ANDed already, so they add nothing.
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
# PostgreSQL's English stop words (tsearch_data/english.stop). PostgreSQL drops them from plain
# words; SQLite drops them here too, so both engines agree and "the" never makes FTS5 read a
# list of nearly every document. Inside a quoted phrase they stay.
_STOP_WORD_LIST = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
hers herself it its itself they them their theirs themselves what which who whom this that these
those am is are was were be been being have has had having do does did doing a an the and but if or
because as until while of at by for with about against between into through during before after
above below to from up down in out on off over under again further then once here there when where
why how all any both each few more most other some such no nor not only own same so than too very s
t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORD_LIST.split())


@dataclass
class Query:
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text) if word not in _OPERATORS and word.lower() not in STOP_WORDS]


def terms(text: str | None) -> list[str]:
    """Split text into plain words (letters and digits only), within the limits."""
    return _WORD.findall((text or "")[:MAX_QUERY_CHARS])[:MAX_TERMS]


def parse(text: str | None) -> Query:
    """Split the text into quoted phrases and single words, within the limits."""
    text = unicodedata.normalize("NFC", (text or "")[:MAX_QUERY_CHARS].replace("\x00", " "))
    query, budget = Query(), MAX_TERMS
    for phrase in _QUOTED.findall(text):
        words = terms(phrase)[:budget]
        budget -= len(words)
        if len(words) > 1:
            query.phrases.append(words)
        elif words:
            query.words.extend(words)
    query.words.extend(_words(_QUOTED.sub(" ", text))[:budget])
    return query


def _quoted(words: list[str]) -> str:
    return '"' + " ".join(word.replace('"', '""') for word in words) + '"'


def fts5_expression(query: Query) -> str:
    """The person's words as an FTS5 expression: every word and phrase quoted, all ANDed."""
    parts = [_quoted([word]) for word in query.words] + [_quoted(phrase) for phrase in query.phrases]
    return " ".join(parts)


def postgres_parts(query: Query) -> list[tuple[str, str]]:
    """(function, text) pairs whose tsqueries, joined with &&, make the query."""
    parts = [("plainto_tsquery", " ".join(query.words))] if query.words else []
    return parts + [("phraseto_tsquery", " ".join(phrase)) for phrase in query.phrases]
