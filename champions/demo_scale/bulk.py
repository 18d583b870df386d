"""What every part of the large seeder shares: batched inserts with explicit ids, and the run's state."""

import random
from bisect import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from sqlalchemy import Connection, Table, func, select, text

from champions.demo_scale.texts import TextPools

BATCH = 5_000


@dataclass
class Counts:
    """How much of each thing to make."""

    users: int
    champions: int
    threads: int
    posts: int
    case_studies: int
    events: int
    registrations: int

    @property
    def main_rows(self) -> int:
        """The rows the progress bar counts (link tables and small extras are not counted)."""
        return (
            self.users
            + self.champions
            + self.threads
            + self.posts
            + self.case_studies
            + self.events
            + self.registrations
        )


@dataclass
class Run:
    """The state one seeding run passes from part to part."""

    conn: Connection
    counts: Counts
    rng: random.Random
    now: datetime
    texts: TextPools
    advance: Callable[[int], None] = lambda n: None
    # Filled in by the parts, in order: people, directory, discussions, case studies, events.
    reference: dict = field(default_factory=dict)
    people: object = None
    champion_user_ids: list[int] = field(default_factory=list)

    def next_id(self, table: Table) -> int:
        return (self.conn.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1

    def insert(self, table: Table, rows: Iterable[dict], counted: bool = False) -> int:
        """Insert rows in batches with one executemany each; return how many went in."""
        total, batch = 0, []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                total += self._flush(table, batch, counted)
                batch = []
        if batch:
            total += self._flush(table, batch, counted)
        return total

    def _flush(self, table: Table, batch: list[dict], counted: bool) -> int:
        self.conn.execute(table.insert(), batch)
        if counted:
            self.advance(len(batch))
        return len(batch)

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        """A random time between two moments, to the second."""
        seconds = max(int((end - start).total_seconds()), 0)
        return start + timedelta(seconds=self.rng.randint(0, seconds))

    def days_ago(self, low: float, high: float) -> datetime:
        return (self.now - timedelta(days=self.rng.uniform(low, high))).replace(microsecond=0)


def sync_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL: move each id sequence past the ids given explicitly, so later inserts do not collide."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"
            )
        )


def spread_total(
    rng: random.Random, sizes: list[int], total: int, fixed: set[int], low: int, high: int | list[int]
) -> list[int]:
    """Nudge the sizes (not the fixed positions) one at a time, within [low, high], until they add to total.

    high is one bound for all, or one per position.
    """
    highs = high if isinstance(high, list) else [high] * len(sizes)
    free = [n for n in range(len(sizes)) if n not in fixed]
    difference = total - sum(sizes)
    tries = 50 * abs(difference) + 1_000  # gives up, rather than spin, if total cannot be reached
    while difference and free and tries:
        tries -= 1
        n = rng.choice(free)
        step = 1 if difference > 0 else -1
        if low <= sizes[n] + step <= highs[n]:
            sizes[n] += step
            difference -= step
    return sizes


def weighted_picker(rng: random.Random, items: list, weights: list[float]) -> Callable[[], object]:
    """A cheap weighted choice: cumulative weights are computed once."""
    cumulative = list(accumulate(weights))
    top = cumulative[-1]

    def pick():
        return items[bisect(cumulative, rng.random() * top)]

    return pick
