"""Unread tracking, opening at the first unread post, and the query budget of the busiest pages."""

import uuid

from sqlalchemy import insert

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.discussions import services
from champions.discussions.models import Post
from champions.extensions import db


def test_thread_list_shows_new_posts_and_opens_at_the_first_unread(client, as_role, make_thread, form_key):
    thread = make_thread(replies=24)  # 25 posts
    reader = as_role(Role.MEMBER)
    listing = client.get(f"/discussions/{thread.category.slug}").get_data(as_text=True)
    assert "Not read yet" in listing
    first = client.get(f"/discussions/t/{thread.id}")
    assert first.status_code == 200  # never opened: starts at the top
    assert "1 new post" not in client.get(f"/discussions/{thread.category.slug}").get_data(as_text=True)
    client.get(f"/discussions/t/{thread.id}?page=2")
    new = [services.reply(thread, thread.author, f"News {n}", form_key=form_key()) for n in range(3)]
    listing = client.get(f"/discussions/{thread.category.slug}").get_data(as_text=True)
    assert "3 new posts" in listing
    response = client.get(f"/discussions/t/{thread.id}")
    assert response.headers["Location"] == f"/discussions/t/{thread.id}?page=2#post-{new[0].id}"
    client.get(response.headers["Location"])
    assert "new post" not in client.get(f"/discussions/{thread.category.slug}").get_data(as_text=True)
    assert reader


def test_reading_never_moves_the_marker_backwards(client, as_role, make_thread):
    thread = make_thread(replies=30)
    as_role(Role.MEMBER)
    client.get(f"/discussions/t/{thread.id}?page=2")
    client.get(f"/discussions/t/{thread.id}?page=1")
    assert client.get(f"/discussions/t/{thread.id}").status_code == 200  # all read: no redirect


def _bulk_replies(thread, authors, count: int) -> None:
    now = utcnow()
    db.session.execute(
        insert(Post),
        [
            {
                "thread_id": thread.id,
                "author_id": authors[n % len(authors)].id,
                "body": f"Reply {n}",
                "body_html": f"<p>Reply {n}</p>",
                "form_key": str(uuid.uuid4()),
                "created_at": now,
                "is_anonymous": n % 7 == 0,
                "content_note": "mentions loss" if n % 11 == 0 else "",
            }
            for n in range(count)
        ],
    )
    thread.post_count += count
    db.session.commit()


def test_a_thread_with_1000_replies_stays_within_10_queries(
    client, as_role, make_user, make_thread, count_queries
):
    thread = make_thread()
    authors = [make_user() for _ in range(30)]
    _bulk_replies(thread, authors, 1000)
    as_role(Role.COORDINATOR)
    for url in [
        f"/discussions/t/{thread.id}?page=1",
        f"/discussions/t/{thread.id}?page=50",
        f"/discussions/t/{thread.id}",
    ]:
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code in (200, 302)
        assert len(queries) <= 10, (url, queries)


def test_category_list_and_thread_list_stay_within_10_queries(
    client, as_role, make_user, make_category, make_thread, count_queries
):
    categories = [make_category() for _ in range(6)]
    for n in range(30):
        thread = make_thread(category=categories[n % 6], author=make_user())
        _bulk_replies(thread, [thread.author], 5)
    as_role(Role.MEMBER)
    for url in ["/discussions", f"/discussions/{categories[0].slug}"]:
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= 10, (url, queries)
