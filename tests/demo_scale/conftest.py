"""A tiny synthetic network for the demo_scale tests: the same code as --size large, at 0.6% of it."""

import pytest

from champions import demo_scale

TINY = 0.006


@pytest.fixture
def seeded(app):
    """Seed the tiny network; return its planned counts and the benchmark's fixed ids."""
    assert demo_scale.seed_scaled(TINY) is True
    return demo_scale.counts_for(TINY), demo_scale.bench_targets()
