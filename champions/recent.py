"""Public totals worked out at most a set number of seconds ago, one copy per process.

For figures that are the same for everyone and cost a pass over a growing table (coverage
counts, the most used topics). Nothing personal is ever kept, and each copy is short-lived, so
several workers can serve one database: at worst they disagree for those few seconds.
"""

import time
from collections.abc import Callable
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
