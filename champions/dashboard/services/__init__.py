"""Work out the month-by-month figures and draw the charts: what `flask refresh-statistics` does.

Every figure is kept per scope (all of Scotland, each NHS board, each council area) and per sector
(every sector, and each one), so a filtered dashboard reads its rows instead of counting live data.
Counts of people are kept exact here; the rule of five is applied when they are shown.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from itertools import chain

from sqlalchemy import delete, insert, select

from champions.clock import utcnow
from champions.dashboard import charts, queries
from champions.dashboard.models import SCOTLAND, Chart, Figure, StatisticsRun
from champions.dashboard.queries import add_months, month_of
from champions.dashboard.services import casestudies, events, people
from champions.dashboard.services.facts import Fact
from champions.extensions import db
from champions.reference.models import CouncilArea

MONTHS = 24  # the history kept: two years, so a year can be compared with the one before


def aggregate(facts: Iterable[Fact], boards: dict[int, int]) -> dict[tuple, int]:
    """Count each fact in every scope and sector it belongs to: distinct people or things, or sums."""
    distinct: dict[tuple, set] = defaultdict(set)
    sums: dict[tuple, int] = defaultdict(int)
    for fact in facts:
        scopes = {SCOTLAND} | {f"area:{a}" for a in fact.areas} | {f"board:{boards[a]}" for a in fact.areas}
        for scope in scopes:
            for sector in (None, *fact.sectors):
                key = (fact.measure, fact.month, scope, sector, fact.label)
                if fact.who is None:
                    sums[key] += fact.amount
                else:
                    distinct[key].add(fact.who)
    return {**sums, **{key: len(whos) for key, whos in distinct.items()}}


def refresh_statistics(now: datetime | None = None) -> StatisticsRun:
    """Work out every figure again from the live data, replace the old ones and draw the charts."""
    now = now or utcnow()
    last = month_of(now)
    months = [add_months(last, -i) for i in range(MONTHS - 1, -1, -1)]
    first = datetime(months[0].year, months[0].month, 1)
    boards = dict(db.session.execute(select(CouncilArea.id, CouncilArea.health_board_id)).all())
    # Streamed, not listed: at the large demo size there are millions of facts, and only the counts are kept.
    facts = chain(
        people.coverage_facts(months, boards),
        people.member_facts(last),
        events.event_facts(first, now),
        events.theme_facts(first, now),
        events.pledge_facts(first, now),
        casestudies.case_study_facts(first),
        casestudies.save_facts(first),
        people.discussion_facts(first),
    )
    counts = aggregate(facts, boards)
    db.session.execute(delete(Figure))
    db.session.execute(delete(Chart))
    db.session.execute(delete(StatisticsRun))
    rows = [
        {
            "measure": measure,
            "month": month,
            "scope": scope,
            "sector_id": sector,
            "label": label,
            "value": value,
        }
        for (measure, month, scope, sector, label), value in counts.items()
    ]
    if rows:
        db.session.execute(insert(Figure), rows)
    run = StatisticsRun(first_month=months[0], last_month=last, finished_at=now)
    db.session.add(run)
    db.session.flush()
    national = queries.dashboard(queries.default_filters(run), run)
    db.session.add_all(
        Chart(key=key, title=title, summary=summary, svg=svg)
        for key, title, summary, svg in charts.draw_all(national)
    )
    db.session.commit()
    return run
