"""Return windows, the quarterly return each champion sends, and the emails and reminders sent about them."""

from datetime import date, datetime, timedelta

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db
from champions.reference.models import NttpLevel

WORDS_MAX = 2_000
THEMES_MAX = 300  # the theme names ticked, joined by THEME_SEPARATOR
THEME_SEPARATOR = "|"
PEOPLE_MAX = 100_000  # people reached by one champion at one level in a quarter
SESSIONS_MAX = 1_000
DEFAULT_WEEKS = 4
REMINDER_DAYS = 7  # the reminder goes a week before the window closes

DRAFT = "draft"
SUBMITTED = "submitted"

# "How are you finding the role?": the five steps, best first as people read them.
WELLBEING_LABELS = {
    5: "Going well",
    4: "Mostly fine",
    3: "Some ups and downs",
    2: "Finding it hard",
    1: "Struggling",
}
WELLBEING_HUB = "https://wellbeinghub.scot"


def quarter_label(year: int, quarter: int) -> str:
    first = date(year, 3 * quarter - 2, 1)
    last = quarter_end(year, quarter)
    return f"{first:%B} to {last:%B} {year}"


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> date:
    """The last day of the quarter."""
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def default_dates(year: int, quarter: int) -> tuple[date, date]:
    """The first four weeks after the quarter ends."""
    opens = quarter_end(year, quarter) + timedelta(days=1)
    return opens, opens + timedelta(weeks=DEFAULT_WEEKS, days=-1)


def previous_quarter(today: date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


class ReturnWindow(db.Model):
    """The weeks in which champions send their return for one quarter: one window per quarter."""

    __tablename__ = "return_windows"
    __table_args__ = (UniqueConstraint("year", "quarter", name="uq_return_windows_quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    quarter: Mapped[int]
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Moves on with each save from an edit form, so a form opened on an older version cannot overwrite.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    opened_by: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def starts(self) -> date:
        return quarter_start(self.year, self.quarter)

    @property
    def ends(self) -> date:
        return quarter_end(self.year, self.quarter)

    def has_opened(self, today: date) -> bool:
        return self.opens_on <= today

    @hybrid_method
    def is_open(self, today: date) -> bool:
        """Open on that day; on the class, the same as a condition for a query."""
        return (self.opens_on <= today) & (self.closes_on >= today)

    def has_closed(self, today: date) -> bool:
        return today > self.closes_on

    def reminder_due(self, today: date) -> bool:
        return self.closes_on - timedelta(days=REMINDER_DAYS) <= today <= self.closes_on


class QuarterlyReturn(db.Model):
    """One champion's return for one quarter: a draft until they send it, then read-only."""

    __tablename__ = "quarterly_returns"
    __table_args__ = (UniqueConstraint("window_id", "user_id", name="uq_quarterly_returns_window_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("return_windows.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=DRAFT)
    sessions_run: Mapped[int] = mapped_column(default=0)
    events_attended: Mapped[int] = mapped_column(default=0)
    case_studies_shared: Mapped[int] = mapped_column(default=0)
    helped: Mapped[str] = mapped_column(String(THEMES_MAX), default="")
    helped_words: Mapped[str] = mapped_column(Text, default="")
    hindered: Mapped[str] = mapped_column(String(THEMES_MAX), default="")
    hindered_words: Mapped[str] = mapped_column(Text, default="")
    support_wanted: Mapped[str] = mapped_column(Text, default="")
    # The person's own: never shown by name to anyone else, not even coordinators.
    wellbeing: Mapped[int | None]
    late: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    window: Mapped[ReturnWindow] = relationship()
    user: Mapped[User] = relationship()
    reach: Mapped[list["ReturnReach"]] = relationship(
        back_populates="quarterly_return", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == SUBMITTED

    @property
    def helped_themes(self) -> list[str]:
        return [t for t in self.helped.split(THEME_SEPARATOR) if t]

    @property
    def hindered_themes(self) -> list[str]:
        return [t for t in self.hindered.split(THEME_SEPARATOR) if t]

    @property
    def wellbeing_label(self) -> str:
        return WELLBEING_LABELS.get(self.wellbeing or 0, "")

    def people_at(self, level_id: int) -> int:
        return next((r.people for r in self.reach if r.nttp_level_id == level_id), 0)

    def is_owned_by(self, user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.id == self.user_id


class ReturnReach(db.Model):
    """How many people a champion reached at one NTTP practice level in the quarter."""

    __tablename__ = "return_reach"

    return_id: Mapped[int] = mapped_column(
        ForeignKey("quarterly_returns.id", ondelete="CASCADE"), primary_key=True
    )
    nttp_level_id: Mapped[int] = mapped_column(ForeignKey("nttp_levels.id"), primary_key=True)
    people: Mapped[int] = mapped_column(default=0)

    quarterly_return: Mapped[QuarterlyReturn] = relationship(back_populates="reach")
    level: Mapped[NttpLevel] = relationship()


class ReturnEmail(db.Model):
    """One email about a window to one champion: the opening one, or the reminder. Never sent twice."""

    __tablename__ = "return_emails"

    window_id: Mapped[int] = mapped_column(
        ForeignKey("return_windows.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # "opened" or "reminder"
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReturnChase(db.Model):
    """A coordinator's one-click reminder to one champion: at most one a day for each person."""

    __tablename__ = "return_chases"
    __table_args__ = (UniqueConstraint("window_id", "user_id", "sent_on", name="uq_return_chases_daily"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("return_windows.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
