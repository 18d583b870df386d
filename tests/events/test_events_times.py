"""Times typed in Scotland become the right UTC moment, and impossible or doubled times are refused."""

from datetime import date, datetime, time

import pytest

from champions.clock import format_london
from champions.events.forms import TimeDoesNotExist, TimeIsAmbiguous, london_to_utc, utc_to_london_parts


@pytest.mark.parametrize(
    "day, clock, expected",
    [
        (date(2026, 3, 28), time(10, 0), datetime(2026, 3, 28, 10, 0)),  # GMT
        (date(2026, 3, 29), time(0, 30), datetime(2026, 3, 29, 0, 30)),  # before the change
        (date(2026, 3, 29), time(2, 0), datetime(2026, 3, 29, 1, 0)),  # BST starts
        (date(2026, 7, 1), time(9, 30), datetime(2026, 7, 1, 8, 30)),  # BST
        (date(2026, 10, 25), time(0, 59), datetime(2026, 10, 24, 23, 59)),
        (date(2026, 10, 25), time(2, 0), datetime(2026, 10, 25, 2, 0)),  # GMT again
        (date(2027, 3, 28), time(9, 0), datetime(2027, 3, 28, 8, 0)),
        (date(2027, 10, 31), time(10, 0), datetime(2027, 10, 31, 10, 0)),
    ],
)
def test_london_to_utc(day, clock, expected):
    assert london_to_utc(day, clock) == expected
    assert utc_to_london_parts(expected) == (day, clock)


@pytest.mark.parametrize(
    "day, clock",
    [
        (date(2026, 3, 29), time(1, 0)),
        (date(2026, 3, 29), time(1, 30)),
        (date(2027, 3, 28), time(1, 59)),
    ],
)
def test_spring_forward_gap_does_not_exist(day, clock):
    with pytest.raises(TimeDoesNotExist):
        london_to_utc(day, clock)


@pytest.mark.parametrize(
    "day, clock",
    [
        (date(2026, 10, 25), time(1, 0)),
        (date(2026, 10, 25), time(1, 30)),
        (date(2027, 10, 31), time(1, 59)),
    ],
)
def test_autumn_hour_is_ambiguous(day, clock):
    with pytest.raises(TimeIsAmbiguous):
        london_to_utc(day, clock)


def test_display_in_london_across_changes():
    assert format_london(datetime(2026, 3, 29, 0, 30), "%H:%M") == "00:30"
    assert format_london(datetime(2026, 3, 29, 1, 0), "%H:%M") == "02:00"
    assert format_london(datetime(2026, 10, 25, 0, 30), "%H:%M %Z") == "01:30 BST"
    assert format_london(datetime(2026, 10, 25, 1, 30), "%H:%M %Z") == "01:30 GMT"
