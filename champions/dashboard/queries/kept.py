"""What every viewer of one view sees alike, kept per process until the next refresh.

The figures change only when `flask refresh-statistics` runs, and each refresh replaces the
StatisticsRun with one finished at a new moment. So whatever is worked out from one run's figures
(a view's tables, with the rule of five applied; the keys of the charts drawn ahead; the page's
tables as HTML) is the same for every request until then, and each worker keeps the last few views
it showed under the run's id and finish time. A new run drops them all: the store is keyed by the
run, so a worker notices at its next request, and a refresh in this process forgets at once.

Nothing about a viewer goes in here unless the viewer's part is in the key (which areas' links a
champion gets, say), so what one person may see never reaches another. The store is bounded, so
addresses with odd query strings only push older views out.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from champions.recent import forget as forget_recent
from champions.recent import forget_total

T = TypeVar("T")
KEEP = 48  # views and fragments per worker: the default views, and the boards and areas people open
_LOCK = threading.Lock()
# Kept in champions.recent for RECENT_TOTALS_SECONDS (queries/figures.py), forgotten here by a refresh: the
# last run, and a view's stored charts and the views drawn on request (also forgotten by a chart drawn here).
LATEST_RUN, STORED_CHARTS, VIEWS_DRAWN = (
    "dashboard latest run",
    "dashboard stored charts",
    "dashboard views drawn",
)


def _store(run) -> OrderedDict:
    state = current_app.extensions.setdefault("dashboard_kept", {})
    stamp = (run.id, run.finished_at)
    with _LOCK:
        if state.get("run") != stamp:
            state["run"], state["items"] = stamp, OrderedDict()
        return state["items"]


def kept(run, key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s result for this run and key: worked out once per worker, then reused."""
    items = _store(run)
    with _LOCK:
        if key in items:
            items.move_to_end(key)
            return items[key]
    value = compute()
    with _LOCK:
        items[key] = value
        while len(items) > KEEP:
            items.popitem(last=False)
    return value


def forget() -> None:
    """Drop what this worker kept, the last run and the stored charts' keys with it: the refresh calls it,
    as it may reuse a run's id and finish time."""
    current_app.extensions.pop("dashboard_kept", None)
    forget_total(LATEST_RUN)
    forget_recent(STORED_CHARTS)
    forget_recent(VIEWS_DRAWN)
