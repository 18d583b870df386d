"""Work out the month-by-month figures and draw the charts: what `flask refresh-statistics` does.

Every figure is kept per scope (all of Scotland, each NHS board, each council area) and per sector
(every sector, and each one), so a filtered dashboard reads its rows instead of counting live data.
Counts of people are kept exact here; the rule of five is applied when they are shown.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain

from sqlalchemy import delete, insert, select

from champions.accounts.models import User
from champions.casestudies.models import CaseStudy, case_study_areas, case_study_sectors
from champions.casestudies.models import Status as CaseStudyStatus
from champions.clock import utcnow
from champions.dashboard import charts, queries
from champions.dashboard.models import SCOTLAND, Chart, Figure, StatisticsRun
from champions.dashboard.queries import add_months, month_of
from champions.directory.models import (
    ChampionProfile,
    Scope,
    Status,
    champion_profile_areas,
    champion_profile_levels,
    champion_profile_sectors,
)
from champions.discussions.models import Post
from champions.events.models import (
    ANSWER_LABELS,
    OWN,
    PLEDGE_CHOICES,
    TYPE_LABELS,
    Event,
    EventStatus,
    EventType,
    Feedback,
    Pledge,
    Registration,
    RegistrationStatus,
    event_levels,
    event_sectors,
)
from champions.extensions import db
from champions.reference.models import CouncilArea, NttpLevel, Sector

MONTHS = 24  # the history kept: two years, so a year can be compared with the one before
NO_ANSWER = "No answer"


@dataclass(frozen=True)
class Fact:
    """One thing that happened, counted once per distinct `who` (or summed by `amount` when who is None)."""

    measure: str
    month: date
    label: str
    areas: frozenset[int]
    sectors: frozenset[int]
    who: object = None
    amount: int = 1


def _links(table, key: str, value: str) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for owner, item in db.session.execute(select(table.c[key], table.c[value])):
        found[owner].add(item)
    return {owner: frozenset(items) for owner, items in found.items()}


def _names(model) -> dict[int, str]:
    return dict(db.session.execute(select(model.id, model.name)).all())


def _coverage_facts(months: list[date], boards: dict[int, int]) -> Iterator[Fact]:
    areas_of = _links(champion_profile_areas, "champion_profile_id", "council_area_id")
    sectors_of = _links(champion_profile_sectors, "champion_profile_id", "sector_id")
    levels_of = _links(champion_profile_levels, "champion_profile_id", "nttp_level_id")
    names = {"area": _names(CouncilArea), "sector": _names(Sector), "level": _names(NttpLevel)}
    in_board: dict[int, set[int]] = defaultdict(set)
    for area, board in boards.items():
        in_board[board].add(area)
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
        areas = areas_of.get(profile, frozenset())
        if scope == Scope.NHS_BOARD and board is not None:
            areas = frozenset(in_board[board])
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


def _member_facts(now: date) -> Iterator[Fact]:
    names = _names(CouncilArea)
    rows = db.session.execute(
        select(User.id, User.council_area_id).where(User.active.is_(True), User.closed_at.is_(None))
    )
    for user, area in rows:
        areas = frozenset({area}) if area is not None else frozenset()
        label = names[area] if area is not None else "Area not given"
        yield Fact("members_by_area", now, label, areas, frozenset(), user)


def _event_facts(first: date, now: datetime) -> Iterator[Fact]:
    levels_of = _links(event_levels, "event_id", "level_id")
    sectors_of = _links(event_sectors, "event_id", "sector_id")
    level_names = _names(NttpLevel)
    held = select(Event.id, Event.event_type, Event.council_area_id, Event.starts_at).where(
        Event.status == EventStatus.PUBLISHED, Event.ends_at <= now, Event.starts_at >= first
    )
    events = {row.id: row for row in db.session.execute(held)}

    def labels(event_id: int) -> list[tuple[str, str]]:
        event = events[event_id]
        found = [("type", TYPE_LABELS[EventType(event.event_type)])]
        return found + [("level", level_names[level]) for level in levels_of.get(event_id, ())]

    def where(event_id: int) -> frozenset[int]:
        area = events[event_id].council_area_id
        return frozenset({area}) if area is not None else frozenset()

    for event_id, event in events.items():
        month = month_of(event.starts_at)
        for kind, label in labels(event_id):
            yield Fact(
                f"events_by_{kind}",
                month,
                label,
                where(event_id),
                sectors_of.get(event_id, frozenset()),
                event_id,
            )
    registrations = select(
        Registration.id, Registration.event_id, Registration.sector_id, Registration.attended
    ).where(
        Registration.status == RegistrationStatus.CONFIRMED, Registration.event_id.in_(list(events) or [0])
    )
    for registration, event_id, sector, attended in db.session.execute(registrations):
        month = month_of(events[event_id].starts_at)
        sectors = frozenset({sector}) if sector is not None else frozenset()
        for kind, label in labels(event_id):
            yield Fact(f"registrations_by_{kind}", month, label, where(event_id), sectors, registration)
            if attended:
                yield Fact(f"attended_by_{kind}", month, label, where(event_id), sectors, registration)
    feedback = select(Feedback.id, Feedback.event_id, Feedback.rating).where(
        Feedback.event_id.in_(list(events) or [0])
    )
    for answer, event_id, rating in db.session.execute(feedback):
        month = month_of(events[event_id].starts_at)
        label = labels(event_id)[0][1]
        sectors = sectors_of.get(event_id, frozenset())
        yield Fact("feedback_by_type", month, label, where(event_id), sectors, answer)
        yield Fact("ratings_by_type", month, f"{label}|{rating}", where(event_id), sectors, answer)


def _pledge_facts(first: date, now: datetime) -> Iterator[Fact]:
    rows = db.session.execute(
        select(
            Pledge.id,
            Pledge.kind,
            Pledge.progress,
            Pledge.progress_at,
            Pledge.created_at,
            Event.council_area_id,
        )
        .join(Feedback, Feedback.id == Pledge.feedback_id)
        .join(Event, Event.id == Feedback.event_id)
        .where(Pledge.created_at >= first)
    )
    for pledge, kind, progress, progress_at, created_at, area in rows:
        areas = frozenset({area}) if area is not None else frozenset()
        month = month_of(created_at)
        kind_label = "In their own words" if kind == OWN else PLEDGE_CHOICES.get(kind, kind)
        yield Fact("pledges_by_kind", month, kind_label, areas, frozenset(), pledge)
        for days in (30, 90):
            if created_at + timedelta(days=days) > now:
                continue
            answered = progress and progress_at and progress_at <= created_at + timedelta(days=days)
            label = ANSWER_LABELS.get(progress, NO_ANSWER) if answered else NO_ANSWER
            yield Fact(f"pledge_answers_{days}", month, label, areas, frozenset(), pledge)


def _case_study_facts(first: date) -> Iterator[Fact]:
    areas_of = _links(case_study_areas, "case_study_id", "council_area_id")
    sectors_of = _links(case_study_sectors, "case_study_id", "sector_id")
    rows = db.session.execute(
        select(CaseStudy.id, CaseStudy.published_at).where(
            CaseStudy.status == CaseStudyStatus.PUBLISHED, CaseStudy.published_at >= first
        )
    )
    for case_study, published_at in rows:
        areas, sectors = areas_of.get(case_study, frozenset()), sectors_of.get(case_study, frozenset())
        yield Fact("case_studies", month_of(published_at), "", areas, sectors, case_study)


def _discussion_facts(first: date) -> Iterator[Fact]:
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
        _coverage_facts(months, boards),
        _member_facts(last),
        _event_facts(first, now),
        _pledge_facts(first, now),
        _case_study_facts(first),
        _discussion_facts(first),
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
