"""champions.recent: a public total is reused for a set number of seconds, then worked out again."""

import time

import pytest

from champions.recent import recent


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
