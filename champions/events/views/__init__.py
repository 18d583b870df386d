"""Event pages under /events: public pages, managing an event, and a member's registration."""

from champions.events.views import manage, public, registration  # noqa: F401 - they add routes
from champions.events.views.blueprint import bp

__all__ = ["bp"]
