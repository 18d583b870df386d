"""Facts about quarterly returns: who was asked and who sent one, what they did, what helped and what got
in the way, and the support they asked for. Each return counts in the first month of its quarter.

The wellbeing answer is never read here, so it never reaches the figures, the charts or a download.
"""

from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import select

from champions.accounts.models import User
from champions.dashboard.services.facts import Fact, areas_by_board, champion_areas, links, names_of
from champions.directory.models import (
    ChampionProfile,
    champion_profile_areas,
    champion_profile_sectors,
)
from champions.events.queries import theme_of
from champions.extensions import db
from champions.reference.models import NttpLevel
from champions.returns.models import (
    SUBMITTED,
    THEME_SEPARATOR,
    QuarterlyReturn,
    ReturnReach,
    ReturnWindow,
    quarter_start,
)
from champions.returns.queries import asked_for_returns


def _places(boards: dict[int, int]) -> dict[int, tuple[frozenset[int], frozenset[int]]]:
    """Each champion's council areas (all of a board's for a board champion) and sectors, by user id."""
    areas_of = links(champion_profile_areas, "champion_profile_id", "council_area_id")
    sectors_of = links(champion_profile_sectors, "champion_profile_id", "sector_id")
    in_board = areas_by_board(boards)
    rows = db.session.execute(
        select(
            ChampionProfile.id,
            ChampionProfile.user_id,
            ChampionProfile.scope,
            ChampionProfile.health_board_id,
        )
    )
    found = {}
    for profile, user, scope, board in rows:
        areas = champion_areas(areas_of.get(profile, frozenset()), scope, board, in_board)
        found[user] = (areas, sectors_of.get(profile, frozenset()))
    return found


def return_facts(first: datetime, today: date, boards: dict[int, int]) -> Iterator[Fact]:
    """Each champion asked, each return sent, and what was in it, for the quarters from `first` on.

    Only windows that have closed count, and what people said (themes, support) only from returns sent
    in time, as on the returns' own totals page: otherwise a coordinator could watch a figure move the
    night after one named person's return arrived (the "who has returned" page names them).
    """
    places = _places(boards)
    nowhere = (frozenset(), frozenset())
    windows = {
        w.id: (quarter_start(w.year, w.quarter), w.closes_on)
        for w in db.session.scalars(select(ReturnWindow))
        if quarter_start(w.year, w.quarter) >= first.date() and w.closes_on < today
    }
    if not windows:
        return
    # Asked: champions verified by the time a window closed whose account is in use, and whoever sent one.
    asked = db.session.execute(
        select(ChampionProfile.user_id, ChampionProfile.decided_at, ChampionProfile.applied_at)
        .join(User, User.id == ChampionProfile.user_id)
        .where(asked_for_returns())
    ).all()
    for month, closes_on in windows.values():
        for user, decided_at, applied_at in asked:
            since = decided_at or applied_at
            if since is None or since.date() <= closes_on:
                areas, sectors = places.get(user, nowhere)
                yield Fact("returns_asked", month, "", areas, sectors, user)
    sent = db.session.execute(
        select(
            QuarterlyReturn.id,
            QuarterlyReturn.window_id,
            QuarterlyReturn.user_id,
            QuarterlyReturn.sessions_run,
            QuarterlyReturn.events_attended,
            QuarterlyReturn.case_studies_shared,
            QuarterlyReturn.helped,
            QuarterlyReturn.hindered,
            QuarterlyReturn.support_wanted,
            QuarterlyReturn.late,
        ).where(QuarterlyReturn.status == SUBMITTED, QuarterlyReturn.window_id.in_(list(windows)))
    ).all()
    where = {}
    for answer, window, user, sessions, attended, shared, helped, hindered, support, late in sent:
        month = windows[window][0]
        areas, sectors = places.get(user, nowhere)
        where[answer] = (month, areas, sectors)
        yield Fact("returns_asked", month, "", areas, sectors, user)
        yield Fact("returns_sent", month, "", areas, sectors, answer)
        for measure, amount in (
            ("returns_sessions", sessions),
            ("returns_events", attended),
            ("returns_case_studies", shared),
        ):
            yield Fact(measure, month, "", areas, sectors, None, amount)
        if late:
            continue
        for kind, ticked in (("helped", helped), ("hindered", hindered)):
            themes = [theme for theme in ticked.split(THEME_SEPARATOR) if theme]
            if themes:
                yield Fact(f"returns_{kind}_answers", month, "", areas, sectors, answer)
            for theme in themes:
                yield Fact(f"returns_{kind}_themes", month, theme, areas, sectors, answer)
        if support.strip():
            yield Fact("returns_support_answers", month, "", areas, sectors, answer)
            yield Fact("returns_support_kinds", month, theme_of(support), areas, sectors, answer)
    level_names = names_of(NttpLevel)
    reach = db.session.execute(
        select(ReturnReach.return_id, ReturnReach.nttp_level_id, ReturnReach.people).where(
            ReturnReach.return_id.in_(list(where) or [0]), ReturnReach.people > 0
        )
    )
    for answer, level, people in reach:
        month, areas, sectors = where[answer]
        yield Fact("returns_reach", month, level_names[level], areas, sectors, None, people)
