"""champions.recent: a public total is reused for a set number of seconds, then worked out again."""

import time

import pytest

from champions import recent as recent_module
from champions.recent import forget, keeping, recent, recent_for


@pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60})
def test_a_total_is_reused_within_its_time_and_renewed_after(app, monkeypatch):
    calls = []

    def total():
        calls.append(1)
        return len(calls)

    with app.app_context():
        assert recent("demo total", total) == 1
        assert recent("demo total", total) == 1
        assert recent("another total", total) == 2  # each name has its own copy
        later = time.monotonic() + 61
        monkeypatch.setattr(time, "monotonic", lambda: later)
        assert recent("demo total", total) == 3


def test_zero_seconds_works_it_out_every_time(app):
    calls = []
    with app.app_context():
        recent("demo total", lambda: calls.append(1))
        recent("demo total", lambda: calls.append(1))
    assert len(calls) == 2


@pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60})
def test_results_kept_by_key_are_bounded_and_forgotten_by_kind(app, monkeypatch):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    monkeypatch.setattr(recent_module, "KEPT_AT_MOST", 3)
    with app.app_context():
        assert recent_for("listing", ("fife",), compute) == 1
        assert recent_for("listing", ("fife",), compute) == 1
        assert recent_for("listing", ("angus",), compute) == 2  # each key has its own copy
        assert recent_for("counts", ("fife",), compute) == 3  # and each kind
        assert recent_for("listing", ("fife",), compute) == 1  # used last, so kept
        assert recent_for("listing", ("moray",), compute) == 4  # a fourth: the least recently used goes
        assert recent_for("listing", ("angus",), compute) == 5  # "angus" went when "moray" came
        assert recent_for("counts", ("fife",), compute) == 6  # and "counts" when "angus" came back
        forget("listing")
        assert recent_for("counts", ("fife",), compute) == 6  # other kinds untouched
        assert recent_for("listing", ("fife",), compute) == 7
        later = time.monotonic() + 61
        monkeypatch.setattr(time, "monotonic", lambda: later)
        assert recent_for("listing", ("fife",), compute) == len(calls)  # renewed after its time


def test_zero_seconds_keeps_nothing_by_key(app):
    calls = []
    with app.app_context():
        assert keeping() is False
        recent_for("listing", "fife", lambda: calls.append(1))
        recent_for("listing", "fife", lambda: calls.append(1))
    assert len(calls) == 2
