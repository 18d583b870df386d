"""Public totals worked out at most a set number of seconds ago, one copy per process.

For figures that are the same for everyone and cost a pass over a growing table (coverage
counts, the most used topics). Nothing personal is ever kept, and each copy is short-lived, so
several workers can serve one database: at worst they disagree for those few seconds.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def recent(name: str, compute: Callable[[], T]) -> T:
    """compute()'s result, reused for RECENT_TOTALS_SECONDS (0 turns the reuse off)."""
    seconds = current_app.config["RECENT_TOTALS_SECONDS"]
    kept = current_app.extensions.setdefault("recent_totals", {})
    now = time.monotonic()
    if seconds <= 0 or name not in kept or kept[name][0] <= now:
        kept[name] = (now + seconds, compute())
    return kept[name][1]


# Lists and totals told apart by a key (a filter's values, a search's words): at most this many kept
# per process, the least recently used dropped first, so any number of different searches stays small.
KEPT_AT_MOST = 512
_lock = threading.Lock()


def keeping() -> bool:
    """Whether results are kept at all (RECENT_TOTALS_SECONDS above 0; tests set 0 to see each change)."""
    return current_app.config["RECENT_TOTALS_SECONDS"] > 0


def recent_for(kind: str, key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s result for this kind and key, reused for RECENT_TOTALS_SECONDS.

    For ordered id lists and counts that grow with the data (the directory's champions for a place, the
    library's case studies for a filter or words, site search's counts and best matches). The key must hold
    everything that decides the result, the audience included: a visitor's list is never a member's. The
    pages read each listed row again by id, as it is now, so a row kept here is never shown out of date;
    what may lag, for those seconds, is which rows are listed and their total.
    """
    seconds = current_app.config["RECENT_TOTALS_SECONDS"]
    if seconds <= 0:
        return compute()
    kept: OrderedDict = current_app.extensions.setdefault("recent_lists", OrderedDict())
    now = time.monotonic()
    with _lock:
        found = kept.get((kind, key))
        if found is not None and found[0] > now:
            kept.move_to_end((kind, key))
            return found[1]
    value = compute()
    with _lock:
        kept[(kind, key)] = (now + seconds, value)
        kept.move_to_end((kind, key))
        while len(kept) > KEPT_AT_MOST:
            kept.popitem(last=False)
    return value


def forget(kind: str) -> None:
    """Drop this process's kept results of one kind: the services that change the data call this, so the
    person who made a change sees it at once (other processes within RECENT_TOTALS_SECONDS)."""
    kept: OrderedDict = current_app.extensions.get("recent_lists", OrderedDict())
    with _lock:
        for key in [key for key in kept if key[0] == kind]:
            del kept[key]


def forget_total(name: str) -> None:
    """Drop this process's copy of one total kept by recent(): the next request works it out again."""
    current_app.extensions.get("recent_totals", {}).pop(name, None)
