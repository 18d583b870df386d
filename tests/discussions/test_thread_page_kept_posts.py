"""The thread page keeps each rendered post per process (champions.fragments, issue #18).

What a reader sees must never lag what is there: each test reads the page (so the post is kept),
changes something the post shows, and reads it again.
"""

from champions import fragments
from champions.accounts.models import Role
from champions.discussions import services
from champions.extensions import db


def _page(client, thread) -> str:
    response = client.get(f"/discussions/t/{thread.id}?page=1")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_kept_post_changes_when_the_post_or_thread_changes(client, as_role, make_thread, make_user):
    fragments.clear()
    author = make_user(role=Role.CHAMPION, name="Ailsa Byrne")
    thread = make_thread(author=author, body="The first words", replies=1)
    post = thread.posts[0]
    coordinator = make_user(role=Role.COORDINATOR)
    as_role(Role.MEMBER)
    page = _page(client, thread)
    assert "The first words" in page and "Ailsa Byrne" in page and "Quote" in page
    assert f"/discussions/p/{post.id}/report" in page

    services.edit_post(post, "Words after an edit", "")
    page = _page(client, thread)
    assert "Words after an edit" in page and "The first words" not in page and "Edited" in page

    author.name = "Ailsa Byrne-Stewart"
    db.session.commit()
    assert "Ailsa Byrne-Stewart" in _page(client, thread)

    services.lock_thread(coordinator, thread, True)
    assert "Quote<span" not in _page(client, thread)

    services.hide_post(coordinator, post)
    page = _page(client, thread)
    assert "This post has been hidden by the coordinators." in page and "Words after an edit" not in page


def test_the_same_post_shows_each_reader_what_they_may_do(client, sign_in, make_thread, make_user, as_role):
    fragments.clear()
    author = make_user(role=Role.CHAMPION)
    thread = make_thread(author=author, body="Kept for everyone")
    post = thread.posts[0]
    as_role(Role.MEMBER)
    page = _page(client, thread)
    assert f"/discussions/p/{post.id}/report" in page and f"/discussions/p/{post.id}/edit" not in page
    client.post("/account/sign-out")
    sign_in(author)
    page = _page(client, thread)
    assert f"/discussions/p/{post.id}/edit" in page and f"/discussions/p/{post.id}/report" not in page
    client.post("/account/sign-out")
    # A coordinator's posts carry forms with their own CSRF token: rendered for them, never kept.
    as_role(Role.COORDINATOR)
    page = _page(client, thread)
    assert "Hide this post" in page and 'name="csrf_token"' in page
    client.post("/account/sign-out")
    as_role(Role.MEMBER)
    assert "Hide this post" not in _page(client, thread)
