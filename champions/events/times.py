"""Turning a date and time typed in Scotland into stored UTC, refusing times that do not exist."""

from datetime import UTC, date, datetime, time

from champions.clock import LONDON


class TimeDoesNotExist(ValueError):  # noqa: N818 - named for the rule, as the architecture asks
    """The clocks go forward over this time (the spring-forward gap)."""


class TimeIsAmbiguous(ValueError):  # noqa: N818 - named for the rule, as the architecture asks
    """The clocks go back over this time, so it happens twice (the autumn hour)."""


def london_to_utc(day: date, clock_time: time) -> datetime:
    """Return naive UTC for a Europe/London wall-clock time, or raise if it is not one moment."""
    local = datetime.combine(day, clock_time).replace(tzinfo=LONDON)
    round_trip = local.astimezone(UTC).astimezone(LONDON)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TimeDoesNotExist
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        raise TimeIsAmbiguous
    return local.astimezone(UTC).replace(tzinfo=None)


def utc_to_london_parts(moment: datetime) -> tuple[date, time]:
    local = moment.replace(tzinfo=UTC).astimezone(LONDON)
    return local.date(), local.time().replace(tzinfo=None, second=0, microsecond=0)
