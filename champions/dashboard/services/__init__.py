"""Work out the month-by-month figures and draw the charts: what `flask refresh-statistics` does.

Every figure is kept per scope (all of Scotland, each NHS board, each council area) and per sector
(every sector, and each one), so a filtered dashboard reads its rows instead of counting live data.
Counts of people are kept exact here; the rule of five is applied when they are shown.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from itertools import chain

from flask import current_app
from limits import RateLimitItem, parse
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from champions.accounts.services import hit_limit
from champions.clock import to_london, utcnow
from champions.dashboard import charts, queries
from champions.dashboard.models import SCOTLAND, Chart, Figure, StatisticsRun
from champions.dashboard.queries import add_months, month_of
from champions.dashboard.services import casestudies, events, people, returns
from champions.dashboard.services.facts import Fact
from champions.extensions import db, limiter
from champions.recent import forget as forget_recent
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
        returns.return_facts(first, to_london(now).date(), boards),
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
    plain = queries.Run(run.id, run.first_month, run.last_month, run.finished_at)
    draw_ahead(plain, list(boards), sorted(set(boards.values())))
    db.session.commit()
    queries.forget()  # on SQLite a new run may reuse the old one's id, and a test may reuse its time
    return run


def draw_ahead(run: queries.Run, area_ids: list[int], board_ids: list[int]) -> None:
    """Draw the default period's charts, every sector, for Scotland, each NHS board and each council area.

    Charts that come out the same (many small areas have the same empty months) are drawn once.
    """
    default = queries.default_filters(run)
    scopes = [SCOTLAND, *(f"board:{b}" for b in board_ids), *(f"area:{a}" for a in sorted(area_ids))]
    drawn: dict[str, str] = {}
    for scope in scopes:
        filters = replace(default, scope=scope)
        view = queries.view_signature(filters)
        for key, title, summary, spec in charts.specs(queries.dashboard(filters, run)):
            text = json.dumps(spec, sort_keys=True)
            if text not in drawn:
                drawn[text] = charts.draw_spec(spec)
            db.session.add(
                Chart(view=view, key=key, ahead=True, title=title, summary=summary, svg=drawn[text])
            )


SCOPE = "dashboard-charts"


class NotNow(Exception):
    """A chart is not drawn now: too many views were charted since the refresh, or too many asked for."""


def draw_limit() -> RateLimitItem:
    return parse(current_app.config["DASHBOARD_CHART_DRAWS"])


def may_draw(user_id: int, filters: queries.Filters, stored: bool, run: queries.Run) -> bool:
    """Say, without counting anything, whether this person's requests could draw a view's charts now.

    `stored`: some of the view's charts are drawn already, so it is counted under the cap already. The
    views drawn are as this worker counted them up to RECENT_TOTALS_SECONDS ago: for that long after the
    cap is reached the page may still offer charts (drawing counts afresh and refuses them), and for that
    long after a refresh in another worker it may still say they are not drawn now.
    """
    if not stored and queries.recent_views_drawn(run) >= current_app.config["DASHBOARD_CHART_VIEWS"]:
        return False
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    try:
        return limiter.limiter.test(draw_limit(), SCOPE, str(user_id))
    except limiter.limiter.storage.base_exceptions:
        return True  # the draw itself counts against the in-memory fallback


def draw_on_request(user_id: int, filters: queries.Filters, run: queries.Run, key: str) -> str | None:
    """One chart of a view the refresh did not draw: drawn now, stored until the next refresh.

    None when the view has nothing safe to draw for that key. Raises NotNow past the cap on views per
    run or past the person's rate limit. Two requests drawing the same chart at once store it once.
    `run` is the run in the database now (the chart routes read it afresh, `queries.latest_run_now`): a
    stored chart lasts until the next refresh, so it is never drawn from an older run a worker kept.
    """
    view = queries.view_signature(filters)
    table = queries.kept_dashboard(filters, run).table(key)
    if key not in charts.CHARTED or table is None or not table.points:
        return None
    started = db.session.scalar(select(Chart.key).where(Chart.view == view).limit(1)) is not None
    if not started and queries.views_drawn_on_request() >= current_app.config["DASHBOARD_CHART_VIEWS"]:
        raise NotNow
    if current_app.config["RATELIMIT_ENABLED"] and not hit_limit(draw_limit(), str(user_id), scope=SCOPE):
        raise NotNow
    svg = charts.draw(table)
    db.session.add(Chart(view=view, key=key, ahead=False, title=table.title, summary=table.summary, svg=svg))
    try:
        db.session.commit()
    except IntegrityError:  # another request drew it first: theirs is the same chart
        db.session.rollback()
        svg = queries.chart_svg(view, key) or svg
    forget_recent(queries.STORED_CHARTS)  # this worker's pages show it at once
    forget_recent(queries.VIEWS_DRAWN)
    return svg
