"""Rendered pieces of a page kept per process, keyed by everything they show.

A thread page shows the same twenty posts to many readers, and rendering each post's macro is the
largest single cost of that page. `kept(key, render)` returns the piece rendered for an equal key
before, or renders it and keeps it. The caller's key must hold every value the piece shows or depends
on (so a changed post, a renamed author or a locked thread makes a new key, never a stale piece), and
nothing may be kept that differs per person beyond what the key says (never a CSRF token). The
latest `SIZE` pieces are kept; each worker has its own copy, so nothing needs clearing.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from markupsafe import Markup

SIZE = 2048

_pieces: OrderedDict[Hashable, Markup] = OrderedDict()
_lock = Lock()


def kept(key: Hashable, render: Callable[[], str]) -> Markup:
    """The piece for this key: rendered once, then kept while it is among the latest SIZE used."""
    with _lock:
        piece = _pieces.get(key)
        if piece is not None:
            _pieces.move_to_end(key)
            return piece
    piece = Markup(render())
    with _lock:
        _pieces[key] = piece
        if len(_pieces) > SIZE:
            _pieces.popitem(last=False)
    return piece


def clear() -> None:
    with _lock:
        _pieces.clear()
