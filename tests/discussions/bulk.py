"""Many threads at once, straight into the table, then the category counters recounted."""

from datetime import timedelta

from sqlalchemy import insert

from champions.clock import utcnow
from champions.discussions.models import Thread
from champions.discussions.services.counters import recount_categories
from champions.extensions import db


def bulk_threads(category, author_id: int, count: int, posts_each: int = 3, days_old: int = 0) -> None:
    """`count` threads in the category, each of `posts_each` posts, the newest last posted `days_old` ago."""
    now = utcnow()
    db.session.execute(
        insert(Thread),
        [
            {
                "category_id": category.id,
                "author_id": author_id,
                "title": f"Bulk {n}",
                "post_count": posts_each,
                "created_at": now - timedelta(hours=n),
                "last_post_at": now - timedelta(days=days_old, minutes=n),
            }
            for n in range(count)
        ],
    )
    recount_categories()
    db.session.commit()
