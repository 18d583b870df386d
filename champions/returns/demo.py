"""Demo returns: last quarter's window, open now, with some returns sent (one late) and a draft, and the
quarter before, closed, with the demo champion's own past return. The demo champion of Fife has this
quarter's return still to do."""

from datetime import datetime, time, timedelta

from champions import clock
from champions.accounts.models import User
from champions.extensions import db
from champions.returns import queries, services
from champions.returns.models import default_dates, previous_quarter

THEMES = queries.THEME_NAMES
SUPPORT = [
    "Time protected for the role",
    "Someone to talk cases through with",
    "Help to bring my manager on board",
    "Training for the trauma-skilled level",
    "A peer buddy",
    "",
]


def _answers(n: int) -> dict:
    """Answers that vary, with the common themes common, so the totals have something to show."""
    return {
        "sessions_run": 1 + n % 4,
        "events_attended": n % 3,
        "case_studies_shared": 1 if n % 5 == 0 else 0,
        "helped": ["Working together", THEMES[n % len(THEMES)]],
        "helped_words": "",
        "hindered": ["Time and workload"] + (["Resources and funding"] if n % 2 else []),
        "hindered_words": "",
        "support_wanted": SUPPORT[n % len(SUPPORT)],
        "wellbeing": 4 if n % 2 == 0 else 5,
    }


def _reach(levels, n: int) -> dict[int, int]:
    return {level.id: (n * 7 + i * 5) % 40 for i, level in enumerate(levels)}


def _send(person: User, window, levels, n: int, submit: bool = True, on_time: bool = True):
    found = services.save_return(person, window, 0, _answers(n), _reach(levels, n), submit)
    if submit and on_time:  # sent inside the window, as it would have been
        found.late = False
        found.submitted_at = datetime.combine(window.opens_on + timedelta(days=n % 20), time(10))
        db.session.commit()
    return found


def seed(accounts: dict[str, User]) -> None:
    today = clock.today()
    coordinator, champion = accounts["coordinator"], accounts["champion"]
    levels = queries.levels()
    others = [p.user for p in queries.expected_champions() if p.user_id != champion.id]

    year, quarter = previous_quarter(today)
    before = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    opens, closes = default_dates(*before)
    earlier = services.open_window(coordinator, *before, opens, closes)
    _send(champion, earlier, levels, 3)
    for n, person in enumerate(others[:8]):
        _send(person, earlier, levels, n)
    _send(others[8], earlier, levels, 8, on_time=False)  # sent after the window closed: late

    opens, closes = default_dates(year, quarter)
    current = services.open_window(
        coordinator,
        year,
        quarter,
        min(opens, today - timedelta(days=7)),
        max(closes, today + timedelta(days=14)),
    )
    for n, person in enumerate(others[:6]):
        _send(person, current, levels, n + 10)
    _send(others[6], current, levels, 16, submit=False)  # a draft, not sent yet
