"""Time in one place: stored as naive UTC, shown in Europe/London."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form every column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_london(moment: datetime) -> datetime:
    """Convert a stored naive-UTC time to Europe/London for display."""
    return moment.replace(tzinfo=UTC).astimezone(LONDON)


def today() -> date:
    """Today's date in Scotland: a day starts at midnight in London, an hour before UTC's in summer."""
    return to_london(utcnow()).date()


def format_london(moment: datetime | None, pattern: str = "%-d %B %Y, %H:%M") -> str:
    """Format a stored time for people in Scotland (a Jinja filter: |london)."""
    return to_london(moment).strftime(pattern) if moment else ""
