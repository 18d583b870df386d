"""The thread page and the category page in three statements each, and what they show unchanged.

Thread page: the signed-in person; the thread with its category and this reader's follow and read
marker; the page of posts. Category page: the signed-in person; the category with this reader's
follow; the page of threads with this reader's unread counts. The same as threads and posts grow.
"""

import uuid
from datetime import timedelta

from sqlalchemy import insert, select, update

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.discussions import services
from champions.discussions.models import Post, Thread
from champions.extensions import db
from tests.discussions.bulk import bulk_threads


def _statements(client, count_queries, url: str) -> list[str]:
    client.get(url)  # the first reading writes the read marker; the second is the steady page
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return list(statements)


def _bulk_posts(thread: Thread, author_id: int, count: int) -> None:
    db.session.execute(
        insert(Post),
        [
            {
                "thread_id": thread.id,
                "author_id": author_id,
                "body": f"Reply {n}",
                "body_html": f"<p>Reply {n}</p>",
                "form_key": str(uuid.uuid4()),
                "created_at": utcnow(),
            }
            for n in range(count)
        ],
    )
    db.session.execute(
        update(Thread).where(Thread.id == thread.id).values(post_count=Thread.post_count + count)
    )
    db.session.commit()


def test_a_thread_page_is_three_statements_with_2_or_302_posts(client, as_role, make_thread, count_queries):
    thread = make_thread(replies=1)
    reader = as_role(Role.MEMBER)
    services.follow_thread(reader, thread)
    small = _statements(client, count_queries, f"/discussions/t/{thread.id}?page=1")
    _bulk_posts(thread, thread.author_id, 300)
    large = _statements(
        client, count_queries, f"/discussions/t/{thread.id}?page=16"
    )  # the last page: all read
    assert len(small) == len(large) == 3, large
    last = _statements(client, count_queries, f"/discussions/t/{thread.id}")  # all read: no redirect
    assert len(last) == 3, last


def test_a_category_page_is_three_statements_with_3_or_303_threads(
    client, as_role, make_category, make_thread, make_user, count_queries, form_key
):
    category = make_category()
    threads = [make_thread(category=category, replies=2) for _ in range(3)]
    reader = as_role(Role.MEMBER)
    services.follow_category(reader, category)
    services.mark_read(reader, threads[0], threads[0].posts[0].id)
    small = _statements(client, count_queries, f"/discussions/{category.slug}")
    bulk_threads(category, make_user().id, 300, posts_each=1, days_old=30)
    large = _statements(client, count_queries, f"/discussions/{category.slug}?page=7")
    first = _statements(client, count_queries, f"/discussions/{category.slug}")
    assert len(small) == len(large) == len(first) == 3, large


def test_the_category_page_shows_each_readers_unread_counts(
    client, as_role, make_category, make_thread, form_key
):
    category = make_category()
    never = make_thread(category=category, title="Never opened", replies=3)
    partly = make_thread(category=category, title="Opened with news", replies=2)
    fully = make_thread(category=category, title="Fully read", replies=1)
    reader = as_role(Role.MEMBER)
    services.mark_read(reader, partly, partly.posts[0].id)
    services.mark_read(reader, fully, fully.posts[-1].id)
    services.reply(partly, partly.author, "News", form_key=form_key())
    page = client.get(f"/discussions/{category.slug}").get_data(as_text=True)
    items = page.split('class="app-thread"')[1:]
    by_title = {title: next(i for i in items if title in i) for title in ["Never", "Opened with", "Fully"]}
    assert "Not read yet" in by_title["Never"] and "new post" not in by_title["Never"]
    assert "3 new posts" in by_title["Opened with"] and "Not read yet" not in by_title["Opened with"]
    assert "Not read yet" not in by_title["Fully"] and "new post" not in by_title["Fully"]
    # Someone else's read markers are not this reader's.
    client.post("/account/sign-out")
    as_role(Role.MEMBER)
    page = client.get(f"/discussions/{category.slug}").get_data(as_text=True)
    assert page.count("Not read yet") == 3 and "new post" not in page
    assert never


def test_the_category_page_orders_pinned_first_then_latest_post_then_newest(
    client, as_role, make_category, make_thread
):
    category = make_category()
    old_pinned = make_thread(category=category, title="Old pinned")
    quiet = make_thread(category=category, title="Quiet one")
    busy = make_thread(category=category, title="Busy one")
    same_a = make_thread(category=category, title="Tie A")
    same_b = make_thread(category=category, title="Tie B")
    moment = utcnow()
    for thread, when, pinned in [
        (old_pinned, moment - timedelta(days=9), True),
        (quiet, moment - timedelta(days=5), False),
        (busy, moment - timedelta(days=1), False),
        (same_a, moment - timedelta(days=3), False),
        (same_b, moment - timedelta(days=3), False),
    ]:
        db.session.execute(
            update(Thread).where(Thread.id == thread.id).values(last_post_at=when, is_pinned=pinned)
        )
    db.session.commit()
    as_role(Role.MEMBER)
    page = client.get(f"/discussions/{category.slug}").get_data(as_text=True)
    titles = ["Old pinned", "Busy one", "Tie B", "Tie A", "Quiet one"]
    assert [page.index(t) for t in titles] == sorted(page.index(t) for t in titles)
    assert page.count("Pinned") == 1


def test_the_follow_state_shows_on_both_pages(client, as_role, make_thread):
    thread = make_thread()
    reader = as_role(Role.MEMBER)
    category_url, thread_url = f"/discussions/{thread.category.slug}", f"/discussions/t/{thread.id}?page=1"
    assert "Follow this category" in client.get(category_url).get_data(as_text=True)
    assert "Follow this thread" in client.get(thread_url).get_data(as_text=True)
    services.follow_category(reader, thread.category)
    services.follow_thread(reader, thread)
    assert "Stop following this category" in client.get(category_url).get_data(as_text=True)
    assert "Stop following this thread" in client.get(thread_url).get_data(as_text=True)
    client.post("/account/sign-out")
    as_role(Role.MEMBER)  # another person follows nothing
    assert "Stop following" not in client.get(category_url).get_data(as_text=True)
    assert "Stop following" not in client.get(thread_url).get_data(as_text=True)


def test_a_locked_thread_and_the_coordinators_tools(client, as_role, make_category, make_thread):
    other = make_category("Somewhere else")
    thread = make_thread(title="Locked one")
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(is_locked=True))
    db.session.commit()
    as_role(Role.MEMBER)
    page = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert "This thread is locked" in page and "Post reply" not in page and "Move thread" not in page
    assert thread.category.name in page
    client.post("/account/sign-out")
    as_role(Role.COORDINATOR)
    page = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert "Unlock this thread" in page and "Move thread" in page and other.name in page


def test_a_thread_page_reads_the_thread_afresh(client, as_role, make_thread):
    """The thread may sit in the session from before (as in tests); the page shows it as it is now."""
    thread = make_thread(title="Before")
    as_role(Role.MEMBER)
    assert db.session.get(Thread, thread.id).title == "Before"
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(title="After", is_locked=True))
    page = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert "After" in page and "This thread is locked" in page
    db.session.rollback()


def test_pages_out_of_range_and_unknown_ids(client, as_role, make_thread):
    thread = make_thread()
    as_role(Role.MEMBER)
    beyond = client.get(f"/discussions/t/{thread.id}?page=9")
    assert beyond.status_code == 200 and "There is nothing on this page" in beyond.get_data(as_text=True)
    beyond = client.get(f"/discussions/{thread.category.slug}?page=9")
    assert beyond.status_code == 200 and "There is nothing on this page" in beyond.get_data(as_text=True)
    missing = db.session.scalar(select(Thread.id).order_by(Thread.id.desc())) + 1000
    assert client.get(f"/discussions/t/{missing}").status_code == 404
    assert client.get(f"/discussions/t/{missing}?page=1").status_code == 404
    assert client.get(f"/discussions/t/{2**40}?page=1").status_code == 404
    assert client.get("/discussions/no-such-category").status_code == 404
    assert client.get("/discussions/" + "x" * 300).status_code == 404


def test_the_thread_page_opens_at_the_first_unread_post(client, as_role, make_thread, form_key):
    thread = make_thread(replies=1)
    as_role(Role.MEMBER)
    assert client.get(f"/discussions/t/{thread.id}").status_code == 200  # never opened: the top
    new = services.reply(thread, thread.author, "Later", form_key=form_key())
    response = client.get(f"/discussions/t/{thread.id}")
    assert response.headers["Location"] == f"/discussions/t/{thread.id}?page=1#post-{new.id}"


def test_a_later_page_of_threads_shows_its_own_unread_counts(
    client, as_role, make_category, make_thread, make_user, form_key
):
    category = make_category()
    opened = make_thread(category=category, title="Opened long ago", replies=2)
    db.session.execute(
        update(Thread).where(Thread.id == opened.id).values(last_post_at=utcnow() - timedelta(days=365))
    )
    db.session.commit()
    # Newer than the opened thread, which comes last, on page 2.
    bulk_threads(category, make_user().id, 30, posts_each=1, days_old=30)
    reader = as_role(Role.MEMBER)
    services.mark_read(reader, opened, opened.posts[0].id)
    second = client.get(f"/discussions/{category.slug}?page=2").get_data(as_text=True)
    items = second.split('class="app-thread"')[1:]
    assert len(items) == 6 and "Opened long ago" in items[-1] and "2 new posts" in items[-1]
    assert sum("Not read yet" in item for item in items) == 5
    first = client.get(f"/discussions/{category.slug}").get_data(as_text=True)
    assert first.count("Not read yet") == 25 and "new post" not in first
