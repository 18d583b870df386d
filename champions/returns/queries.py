"""Reads for returns: windows, a champion's returns and what the portal knows to pre-fill, who has
returned, the totals under the rule of five, and the line on /manage. Each in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from champions import clock
from champions.accounts.models import User
from champions.accounts.queries import responsible_area_ids
from champions.casestudies.models import CaseStudy
from champions.directory.models import ChampionProfile, Status, champion_profile_areas
from champions.events.models import Event, Registration, event_organisers
from champions.events.queries.reports import THEMES
from champions.extensions import db
from champions.pagination import page_number
from champions.reference.models import NttpLevel
from champions.returns.models import (
    SUBMITTED,
    WELLBEING_LABELS,
    QuarterlyReturn,
    ReturnChase,
    ReturnWindow,
)
from champions.small_numbers import Breakdown, breakdown, display_count, is_small, may_show_text

# The barrier and enabler themes of the events' learning reports, offered as ticks.
THEME_NAMES = list(THEMES)
LATE_WINDOW_DAYS = 92  # a closed window stays on a champion's home page this long for a late return


def levels() -> list[NttpLevel]:
    return list(db.session.scalars(select(NttpLevel).order_by(NttpLevel.position)))


def window(window_id: int) -> ReturnWindow | None:
    return db.session.get(ReturnWindow, window_id)


def window_for_quarter(year: int, quarter: int) -> ReturnWindow | None:
    return db.session.scalar(
        select(ReturnWindow).where(ReturnWindow.year == year, ReturnWindow.quarter == quarter)
    )


def windows() -> list[ReturnWindow]:
    return list(
        db.session.scalars(
            select(ReturnWindow).order_by(ReturnWindow.year.desc(), ReturnWindow.quarter.desc())
        )
    )


def verified_profile(user) -> ChampionProfile | None:
    """The person's verified champion profile, if their account is in use: they are asked for returns."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))
    return profile if profile is not None and profile.is_verified else None


def asked_for_returns():
    """SQL, over ChampionProfile joined to its User: champions asked for a return, verified, with an
    account in use."""
    return and_(
        ChampionProfile.status == Status.VERIFIED.value,
        User.active.is_(True),
        User.closed_at.is_(None),
        User.email_verified_at.is_not(None),
    )


def _expected():
    """Champions asked for a return."""
    return select(ChampionProfile).join(User, User.id == ChampionProfile.user_id).where(asked_for_returns())


def expected_champion(user_id: int) -> User | None:
    """The person if they are asked for returns now (a verified champion whose account is in use)."""
    return db.session.scalar(_expected().with_only_columns(User).where(ChampionProfile.user_id == user_id))


def expected_champions() -> list[ChampionProfile]:
    statement = _expected().options(
        joinedload(ChampionProfile.user),
        joinedload(ChampionProfile.health_board),
        selectinload(ChampionProfile.council_areas),
    )
    return list(db.session.scalars(statement.order_by(ChampionProfile.display_name, ChampionProfile.id)))


def return_for(window_id: int, user_id: int) -> QuarterlyReturn | None:
    return db.session.scalar(
        select(QuarterlyReturn)
        .options(selectinload(QuarterlyReturn.reach))
        .where(QuarterlyReturn.window_id == window_id, QuarterlyReturn.user_id == user_id)
    )


def return_by_id(return_id: int) -> QuarterlyReturn | None:
    return db.session.scalar(
        select(QuarterlyReturn)
        .options(selectinload(QuarterlyReturn.reach), joinedload(QuarterlyReturn.window))
        .where(QuarterlyReturn.id == return_id)
    )


@dataclass(frozen=True)
class Mine:
    """One window as a champion sees it: their return, if they have started one."""

    window: ReturnWindow
    quarterly_return: QuarterlyReturn | None

    @property
    def is_submitted(self) -> bool:
        return self.quarterly_return is not None and self.quarterly_return.is_submitted


def returns_of(user) -> list[Mine]:
    """Every window opened so far, newest first, with this person's return in each."""
    opened = db.session.scalars(
        select(ReturnWindow)
        .where(ReturnWindow.opens_on <= clock.today())
        .order_by(ReturnWindow.year.desc(), ReturnWindow.quarter.desc())
    ).all()
    theirs = {
        r.window_id: r
        for r in db.session.scalars(select(QuarterlyReturn).where(QuarterlyReturn.user_id == user.id))
    }
    return [Mine(w, theirs.get(w.id)) for w in opened]


def due_for(user) -> list[Mine]:
    """The returns waiting for this champion (for their home page): open windows, and recent closed
    ones they have not sent, which are still welcome late. One query for a champion, none for a member:
    the home page is the busiest page there is."""
    if not getattr(user, "is_authenticated", False) or not user.is_champion:
        return []
    now = clock.today()
    verified = (
        select(ChampionProfile.id)
        .where(ChampionProfile.user_id == user.id, ChampionProfile.status == Status.VERIFIED.value)
        .exists()
    )
    rows = db.session.execute(
        select(ReturnWindow, QuarterlyReturn)
        .outerjoin(
            QuarterlyReturn,
            (QuarterlyReturn.window_id == ReturnWindow.id) & (QuarterlyReturn.user_id == user.id),
        )
        .where(
            verified,
            ReturnWindow.opens_on <= now,
            ReturnWindow.closes_on >= now - timedelta(days=LATE_WINDOW_DAYS),
        )
        .order_by(ReturnWindow.year.desc(), ReturnWindow.quarter.desc())
    ).all()
    return [mine for mine in (Mine(w, r) for w, r in rows) if not mine.is_submitted]


@dataclass(frozen=True)
class Prefill:
    """What the portal knows about the champion's quarter."""

    sessions_run: int
    events_attended: int
    case_studies_shared: int


def _moments(window: ReturnWindow) -> tuple[datetime, datetime]:
    return datetime.combine(window.starts, time()), datetime.combine(window.ends + timedelta(days=1), time())


def prefill(user, window: ReturnWindow) -> Prefill:
    """Events they organised (sessions run) and attended, and case studies they published, in the quarter."""
    start, end = _moments(window)
    in_quarter = (Event.starts_at >= start, Event.starts_at < end, Event.status == "published")
    organised = db.session.scalar(
        select(func.count(func.distinct(Event.id)))
        .outerjoin(event_organisers, event_organisers.c.event_id == Event.id)
        .where(*in_quarter, or_(Event.created_by_id == user.id, event_organisers.c.user_id == user.id))
    )
    attended = db.session.scalar(
        select(func.count(Registration.id))
        .join(Event, Event.id == Registration.event_id)
        .where(*in_quarter, Registration.user_id == user.id, Registration.attended.is_(True))
    )
    published = db.session.scalar(
        select(func.count(CaseStudy.id)).where(
            CaseStudy.author_id == user.id,
            CaseStudy.status == "published",
            CaseStudy.published_at >= start,
            CaseStudy.published_at < end,
        )
    )
    return Prefill(organised or 0, attended or 0, published or 0)


# -- coordinators: who has returned -------------------------------------------------------------------


RETURNED, RETURNED_LATE, DRAFT_ONLY, NOT_YET = "Returned", "Returned late", "Draft saved", "Not yet"
PROGRESS_PER_PAGE = 50
# What the coordinator may narrow the list to: (value in the address, label, the states it shows).
SHOW_CHOICES = [
    ("all", "Everyone asked", (RETURNED, RETURNED_LATE, DRAFT_ONLY, NOT_YET)),
    ("waiting", "Not sent yet (no return or a draft)", (DRAFT_ONLY, NOT_YET)),
    ("draft", "A draft saved", (DRAFT_ONLY,)),
    ("sent", "Sent (in time or late)", (RETURNED, RETURNED_LATE)),
]
WHERE_CHOICES = [("mine", "Your areas"), ("elsewhere", "Elsewhere"), ("all", "All of Scotland")]


@dataclass(frozen=True)
class Row:
    profile: ChampionProfile
    state: str
    chased_today: bool

    @property
    def may_chase(self) -> bool:
        return self.state in (DRAFT_ONLY, NOT_YET)


@dataclass(frozen=True)
class ProgressView:
    """Which champions the coordinator is looking at: a state and a place, from the address."""

    show: str = "all"
    where: str = "all"
    page: int = 1
    has_areas: bool = False

    @classmethod
    def from_args(cls, args, has_areas: bool) -> "ProgressView":
        """Anything unknown falls back to the default: never an error page for a hand-edited address."""
        default_where = "mine" if has_areas else "all"
        show, where = args.get("show", "all"), args.get("where", default_where)
        return cls(
            show if show in {value for value, _, _ in SHOW_CHOICES} else "all",
            where if has_areas and where in dict(WHERE_CHOICES) else default_where,
            page_number(),
            has_areas,
        )

    def args(self, **changes) -> dict:
        """The address's arguments, for links and for coming back after a reminder (defaults left out)."""
        values = {"show": self.show, "where": self.where, "page": self.page, **changes}
        defaults = {"show": "all", "where": "mine" if self.has_areas else "all", "page": 1}
        return {key: value for key, value in values.items() if value != defaults[key]}


@dataclass
class Progress:
    window: ReturnWindow
    view: ProgressView
    page: object  # a Flask-SQLAlchemy pagination of this page's rows
    counts: dict[str, int] = field(default_factory=dict)  # state -> champions, all of Scotland
    counts_in_areas: dict[str, int] = field(default_factory=dict)  # state -> champions in their areas
    has_areas: bool = False

    @property
    def rows(self) -> list[Row]:
        return self.page.items

    def count(self, *states: str) -> int:
        return sum(self.counts.get(state, 0) for state in states)

    def count_in_areas(self, *states: str) -> int:
        return sum(self.counts_in_areas.get(state, 0) for state in states)

    @property
    def expected(self) -> int:
        return sum(self.counts.values())

    @property
    def expected_in_areas(self) -> int:
        return sum(self.counts_in_areas.values())


def _state(window_id: int):
    """SQL: the champion's state for this window, from their return (outer-joined) if any."""
    theirs = (
        select(QuarterlyReturn.status, QuarterlyReturn.late)
        .where(QuarterlyReturn.window_id == window_id, QuarterlyReturn.user_id == ChampionProfile.user_id)
        .correlate(ChampionProfile)
    )
    status = theirs.with_only_columns(QuarterlyReturn.status).scalar_subquery()
    late = theirs.with_only_columns(QuarterlyReturn.late).scalar_subquery()
    return case(
        (status.is_(None), NOT_YET),
        (status != SUBMITTED, DRAFT_ONLY),
        (late.is_(True), RETURNED_LATE),
        else_=RETURNED,
    )


def _in_areas(area_ids: frozenset[int], health_board_id: int | None):
    """SQL: the champion covers one of these council areas, or works for the coordinator's NHS board."""
    covering = ChampionProfile.id.in_(
        select(champion_profile_areas.c.champion_profile_id).where(
            champion_profile_areas.c.council_area_id.in_(area_ids)
        )
    )
    if health_board_id is None:
        return covering
    # Never NULL (a champion may name no board), so "elsewhere", its negation, lists everyone else.
    board = ChampionProfile.health_board_id
    return or_(covering, and_(board.is_not(None), board == health_board_id))


class _CountedPagination(SelectPagination):
    """A page of (profile, state) rows whose total the counts above already know: no second count."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement).unique().all())

    def _query_count(self) -> int:
        return self._query_args["total"]


def progress_view(args, coordinator) -> ProgressView:
    return ProgressView.from_args(args, has_areas=bool(responsible_area_ids(coordinator)))


def progress(window: ReturnWindow, coordinator, args) -> Progress:
    """Who has returned for a window (never what they said), a page at a time: by default the champions
    in the coordinator's areas; the counts for their areas and for Scotland. A fixed number of queries."""
    area_ids = responsible_area_ids(coordinator)
    view = ProgressView.from_args(args, has_areas=bool(area_ids))
    state = _state(window.id).label("state")
    mine = _in_areas(area_ids, coordinator.health_board_id) if area_ids else None

    counted = _expected().with_only_columns(state, func.count()).group_by(state)
    result = Progress(window, view, page=None, has_areas=bool(area_ids))
    if mine is not None:
        in_areas = case((mine, True), else_=False).label("in_areas")
        counted = counted.add_columns(in_areas).group_by(in_areas)
        for found, number, is_mine in db.session.execute(counted):
            result.counts[found] = result.counts.get(found, 0) + number
            if is_mine:
                result.counts_in_areas[found] = number
    else:
        result.counts = {found: number for found, number in db.session.execute(counted)}

    shown = _expected().add_columns(state)
    states = next(states for value, _, states in SHOW_CHOICES if value == view.show)
    shown = shown.where(state.in_(states))
    if view.where == "mine":
        shown = shown.where(mine)
    elif view.where == "elsewhere":
        shown = shown.where(~mine)
    shown = shown.options(
        joinedload(ChampionProfile.health_board), selectinload(ChampionProfile.council_areas)
    )
    if view.where == "mine":
        total = result.count_in_areas(*states)
    elif view.where == "elsewhere":
        total = result.count(*states) - result.count_in_areas(*states)
    else:
        total = result.count(*states)
    page = _CountedPagination(
        select=shown.order_by(ChampionProfile.display_name, ChampionProfile.id),
        session=db.session,
        total=total,
        page=view.page,
        per_page=PROGRESS_PER_PAGE,
        error_out=False,
    )
    chased = set(
        db.session.scalars(
            select(ReturnChase.user_id).where(
                ReturnChase.window_id == window.id,
                ReturnChase.sent_on == clock.today(),
                ReturnChase.user_id.in_([profile.user_id for profile, _ in page.items]),
            )
        )
    )
    page.items = [Row(profile, found, profile.user_id in chased) for profile, found in page.items]
    result.page = page
    return result


@dataclass(frozen=True)
class OpenLine:
    """For /manage: how many of the champions asked have sent their return for an open window."""

    window: ReturnWindow
    returned: int
    expected: int


def open_lines() -> list[OpenLine]:
    """One line per open window (staff work counts, not statistics about people)."""
    now = clock.today()
    open_windows = db.session.scalars(select(ReturnWindow).where(ReturnWindow.is_open(now))).all()
    if not open_windows:
        return []
    expected_ids = _expected().with_only_columns(ChampionProfile.user_id).scalar_subquery()
    expected = db.session.scalar(select(func.count()).select_from(_expected().subquery()))
    returned = dict(
        db.session.execute(
            select(QuarterlyReturn.window_id, func.count())
            .where(
                QuarterlyReturn.window_id.in_([w.id for w in open_windows]),
                QuarterlyReturn.status == SUBMITTED,
                QuarterlyReturn.user_id.in_(expected_ids),
            )
            .group_by(QuarterlyReturn.window_id)
        ).all()
    )
    return [OpenLine(w, returned.get(w.id, 0), expected or 0) for w in open_windows]


# -- the totals, under the rule of five ---------------------------------------------------------------


@dataclass
class Totals:
    """A window's totals from the returns sent, already put through the rule of five."""

    window: ReturnWindow
    returned: int = 0
    withheld: bool = True  # fewer than the threshold sent a return: nothing else is shown
    sessions_run: int = 0
    events_attended: int = 0
    case_studies_shared: int = 0
    reach: list[tuple[str, str]] = field(default_factory=list)
    helped_answers: int = 0
    helped: list[tuple[str, str]] = field(default_factory=list)
    hindered_answers: int = 0
    hindered: list[tuple[str, str]] = field(default_factory=list)
    support_asked: int = 0
    support_words: list[str] = field(default_factory=list)
    answers_shown: bool = False  # the window has closed: what people said may be shown
    wellbeing_answers: int = 0
    wellbeing_all_alike: bool = False  # all answered and alike: not shown, as it would be each one's answer
    wellbeing: Breakdown = field(default_factory=lambda: Breakdown((), 0))

    @property
    def returned_label(self) -> str:
        return display_count(self.returned)

    @property
    def support_label(self) -> str:
        return display_count(self.support_asked)

    def rows(self) -> list[tuple[str, str]]:
        """The totals as (measure, value) rows for the downloads."""
        rows = [("Returns sent", self.returned_label)]
        if self.withheld:
            return rows
        rows += [
            ("Sessions run", str(self.sessions_run)),
            ("Events attended", str(self.events_attended)),
            ("Case studies shared", str(self.case_studies_shared)),
        ]
        rows += [(f"People reached: {label}", value) for label, value in self.reach]
        if not self.answers_shown:
            return rows
        rows += [(f"What helped: {label}", value) for label, value in self.helped]
        rows += [(f"What got in the way: {label}", value) for label, value in self.hindered]
        rows.append(("Champions asking for support", self.support_label))
        rows += [(f"How they find the role: {label}", str(n)) for label, n in self.wellbeing.rows]
        return rows


def _themes(named: list[list[str]]) -> tuple[int, list[tuple[str, str]]]:
    answered = [themes for themes in named if themes]
    if not may_show_text(len(answered)):
        return len(answered), []
    counts = Counter(theme for themes in answered for theme in themes)
    return len(answered), [(theme, display_count(counts[theme])) for theme in THEME_NAMES]


def totals(window: ReturnWindow) -> Totals:
    """Add up the returns sent for a window; counts of people from 1 to 4 read "fewer than 5"."""
    sent = db.session.scalars(
        select(QuarterlyReturn)
        .options(selectinload(QuarterlyReturn.reach))
        .where(QuarterlyReturn.window_id == window.id, QuarterlyReturn.status == SUBMITTED)
    ).all()
    result = Totals(window, returned=len(sent), withheld=len(sent) == 0 or is_small(len(sent)))
    if result.withheld:
        return result
    result.sessions_run = sum(r.sessions_run for r in sent)
    result.events_attended = sum(r.events_attended for r in sent)
    result.case_studies_shared = sum(r.case_studies_shared for r in sent)
    result.reach = [
        (level.name, display_count(sum(r.people_at(level.id) for r in sent))) for level in levels()
    ]
    # What people said (the themes, support asked for, how they find the role and their own words) only
    # once the window has closed, and only from the returns sent in time: coordinators see who has
    # returned, so a figure that moved when one more return came in would tell that person's answer.
    # Late returns would move them again, so they are counted in the activity above, not here.
    result.answers_shown = window.has_closed(clock.today())
    if not result.answers_shown:
        return result
    in_time = [r for r in sent if not r.late]
    result.helped_answers, result.helped = _themes([r.helped_themes for r in in_time])
    result.hindered_answers, result.hindered = _themes([r.hindered_themes for r in in_time])
    asked = [r.support_wanted for r in in_time if r.support_wanted]
    result.support_asked = len(asked)
    result.support_words = sorted(asked) if may_show_text(len(asked)) else []
    answers = [r.wellbeing for r in in_time if r.wellbeing]
    result.wellbeing_answers = len(answers)
    if may_show_text(len(answers)):
        counts = Counter(answers)
        shown = breakdown(
            [(label, counts[score]) for score, label in WELLBEING_LABELS.items()], "Other answers"
        )
        given = [label for label, n in shown.rows if n]
        # Everyone who returned in time answered, and alike: with their names on the list of who has
        # returned, the one figure would be each person's answer.
        if len(answers) == len(in_time) and len(given) == 1 and given[0] in WELLBEING_LABELS.values():
            result.wellbeing_all_alike = True
            shown = Breakdown((), len(answers))
        result.wellbeing = shown
    return result
