"""Load-or-404 helpers: a return is only ever its champion's; windows are for coordinators to manage."""

from flask import abort

from champions import clock
from champions.accounts.models import User
from champions.directory.models import ChampionProfile
from champions.returns import queries
from champions.returns.models import QuarterlyReturn, ReturnWindow


def champion_or_403(user: User) -> ChampionProfile:
    """Returns are asked of verified champions; anyone else is told it is not for them."""
    profile = queries.verified_profile(user)
    if profile is None:
        abort(403)
    return profile


def window_or_404(window_id: int) -> ReturnWindow:
    found = queries.window(window_id)
    if found is None:
        abort(404)
    return found


def opened_window_or_404(window_id: int) -> ReturnWindow:
    """A window that has opened (after it closes, a return is late, not refused)."""
    found = window_or_404(window_id)
    if not found.has_opened(clock.today()):
        abort(404)
    return found


def own_return_or_404(return_id: int, user: User) -> QuarterlyReturn:
    """Someone else's return is a 404 for everyone, coordinators too: it does not say that it exists."""
    found = queries.return_by_id(return_id)
    if found is None or not found.is_owned_by(user):
        abort(404)
    return found


def expected_champion_or_404(user_id: int) -> User:
    """A champion asked for returns (verified, their account in use: not closed, deactivated or with an
    email never confirmed); anyone else is a 404 to a reminder, even with a guessed id."""
    person = queries.expected_champion(user_id)
    if person is None:
        abort(404)
    return person
