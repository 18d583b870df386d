"""A reply whose check read the thread open, while a coordinator locked it, is refused: the lock commits
between the reply's check and its first write (tests/straddle.py)."""

import uuid

import pytest
from sqlalchemy import func, select, update

from champions.discussions import services
from champions.discussions.models import Post, Thread
from champions.extensions import db
from tests.straddle import other_commits_first


def test_a_reply_to_a_thread_locked_a_moment_before_is_refused(make_thread, make_user):
    thread, author = make_thread(), make_user()
    posts, count = db.session.scalar(select(func.count()).select_from(Post)), thread.post_count
    assert not thread.is_locked  # read before the coordinator's lock committed
    table = Thread.__table__

    def lock(other):
        other.execute(update(table).where(table.c.id == thread.id).values(is_locked=True))

    with other_commits_first(lock), pytest.raises(services.ThreadLocked):
        services.reply(thread, author, "Late words", form_key=str(uuid.uuid4()))
    assert db.session.scalar(select(func.count()).select_from(Post)) == posts
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).post_count == count
