"""Discussion pages under /discussions: reading and posting, moderation, mail settings."""

from champions.discussions.views import moderation, posts, settings, threads  # noqa: F401 - they add routes
from champions.discussions.views.blueprint import bp

__all__ = ["bp"]
