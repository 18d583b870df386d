"""Facts about people: champions covering areas over time, members, and who took part in discussions."""

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from champions.accounts.models import User
from champions.dashboard.queries import month_of
from champions.dashboard.services.facts import Fact, areas_by_board, champion_areas, links, names_of
from champions.directory.models import (
    ChampionProfile,
    Scope,
    Status,
    champion_profile_areas,
    champion_profile_levels,
    champion_profile_sectors,
)
from champions.discussions.models import Post
from champions.extensions import db
from champions.reference.models import CouncilArea, NttpLevel, Sector


def coverage_facts(months: list[date], boards: dict[int, int]) -> Iterator[Fact]:
    areas_of = links(champion_profile_areas, "champion_profile_id", "council_area_id")
    sectors_of = links(champion_profile_sectors, "champion_profile_id", "sector_id")
    levels_of = links(champion_profile_levels, "champion_profile_id", "nttp_level_id")
    names = {"area": names_of(CouncilArea), "sector": names_of(Sector), "level": names_of(NttpLevel)}
    in_board = areas_by_board(boards)
    rows = db.session.execute(
        select(
            ChampionProfile.id,
            ChampionProfile.scope,
            ChampionProfile.health_board_id,
            ChampionProfile.decided_at,
            ChampionProfile.applied_at,
        ).where(ChampionProfile.status == Status.VERIFIED)
    )
    now = months[-1]
    for profile, scope, board, decided_at, applied_at in rows:
        areas = champion_areas(areas_of.get(profile, frozenset()), scope, board, in_board)
        sectors = sectors_of.get(profile, frozenset())
        # A national champion covers no one area: they count in the people figures, not in coverage.
        local = areas if scope != Scope.NATIONAL else frozenset()
        start = month_of(decided_at or applied_at)
        for month in (m for m in months if m >= start):
            for area in local:
                yield Fact("areas_covered", month, "", frozenset({area}), sectors, area)
                yield Fact("boards_covered", month, "", frozenset({area}), sectors, boards[area])
                if month == now:
                    yield Fact("covered_area", month, names["area"][area], frozenset({area}), sectors, area)
        for sector in sectors:
            yield Fact("champions_by_sector", now, names["sector"][sector], areas, sectors, profile)
        for level in levels_of.get(profile, ()):
            yield Fact("champions_by_level", now, names["level"][level], areas, sectors, profile)
        for area in areas:
            yield Fact("champions_by_area", now, names["area"][area], areas, sectors, profile)
        yield Fact("champions", now, "", areas, sectors, profile)


def member_facts(now: date) -> Iterator[Fact]:
    names = names_of(CouncilArea)
    rows = db.session.execute(
        select(User.id, User.council_area_id).where(User.active.is_(True), User.closed_at.is_(None))
    )
    for user, area in rows:
        areas = frozenset({area}) if area is not None else frozenset()
        label = names[area] if area is not None else "Area not given"
        yield Fact("members_by_area", now, label, areas, frozenset(), user)


def discussion_facts(first: date) -> Iterator[Fact]:
    rows = db.session.execute(
        select(Post.thread_id, Post.author_id, Post.created_at, User.council_area_id)
        .join(User, User.id == Post.author_id)
        .where(Post.created_at >= first, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    )
    for thread, author, created_at, area in rows:
        areas = frozenset({area}) if area is not None else frozenset()
        month = month_of(created_at)
        yield Fact("active_threads", month, "", areas, frozenset(), thread)
        yield Fact("active_members", month, "", areas, frozenset(), author)
