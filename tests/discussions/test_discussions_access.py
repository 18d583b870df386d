"""Who may see and do what in the discussions, and odd input never causing a 500."""

import pytest
from flask import render_template_string

from champions.accounts.models import Role
from champions.discussions import queries, services


@pytest.fixture
def world(make_thread, make_user):
    author = make_user(role=Role.CHAMPION)
    thread = make_thread(author=author, replies=2)
    return {"thread": thread, "post": thread.posts[0], "category": thread.category, "author": author}


def _urls(w):
    t, p, c = w["thread"], w["post"], w["category"]
    return [
        "/discussions",
        f"/discussions/{c.slug}",
        f"/discussions/{c.slug}/new",
        f"/discussions/t/{t.id}",
        f"/discussions/t/{t.id}/reply",
        f"/discussions/p/{p.id}",
        f"/discussions/p/{p.id}/edit",
        f"/discussions/p/{p.id}/report",
        "/discussions/settings",
        "/discussions/moderation",
        "/discussions/categories",
        f"/discussions/p/{p.id}/history",
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    welcome = client.get("/discussions").get_data(as_text=True)
    assert "Sign in to join the discussions" in welcome and world["category"].name not in welcome
    for url in _urls(world)[1:]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/account/sign-in?next="), url


COORDINATOR_GET = [
    "/discussions/moderation",
    "/discussions/categories",
    "/discussions/categories/new",
    "/discussions/p/{post}/history",
]
COORDINATOR_POST = [
    "/discussions/p/{post}/hide",
    "/discussions/p/{post}/restore",
    "/discussions/p/{post}/reveal",
    "/discussions/t/{thread}/lock",
    "/discussions/t/{thread}/pin",
    "/discussions/t/{thread}/move",
    "/discussions/categories/new",
]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_moderation_needs_a_coordinator(client, as_role, world, role):
    as_role(role)
    ids = {"post": world["post"].id, "thread": world["thread"].id}
    for url in COORDINATOR_GET:
        assert client.get(url.format(**ids)).status_code == 403, url
    for url in COORDINATOR_POST:
        assert client.post(url.format(**ids)).status_code == 403, url


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION, Role.COORDINATOR, Role.ADMIN])
def test_editing_or_deleting_another_persons_post_is_refused(client, as_role, world, role):
    as_role(role)
    post = world["post"]
    for url in [f"/discussions/p/{post.id}/edit", f"/discussions/p/{post.id}/delete"]:
        assert client.get(url).status_code == 403
        assert client.post(url, data={"body": "Changed"}).status_code == 403
    assert post.body == "First post"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR])
def test_signed_in_members_can_read(client, as_role, world, role):
    as_role(role)
    for url in [
        "/discussions",
        f"/discussions/{world['category'].slug}",
        f"/discussions/t/{world['thread'].id}?page=1",
    ]:
        assert client.get(url).status_code == 200, url


def test_unknown_things_are_404(client, as_role):
    as_role(Role.COORDINATOR)
    for url in [
        "/discussions/no-such-category",
        "/discussions/no-such-category/new",
        "/discussions/t/99999",
        "/discussions/t/99999/reply",
        "/discussions/p/99999",
        "/discussions/p/99999/edit",
        "/discussions/p/99999/history",
        "/discussions/categories/99999/edit",
        "/discussions/t/abc",
        "/discussions/p/-1",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        "/discussions/t/99999/reply",
        "/discussions/p/99999/hide",
        "/discussions/t/99999/lock",
        "/discussions/reports/99999/dismiss",
        "/discussions/p/99999/report",
    ]:
        assert client.post(url, data={"body": "Hello", "reason": "x"}).status_code == 404, url


@pytest.mark.parametrize("page", ["-1", "abc", "0", "99999", "1e9", "١"])
def test_odd_page_numbers(client, as_role, make_thread, page):
    thread = make_thread(replies=25)
    as_role(Role.MEMBER)
    for url in [
        f"/discussions/t/{thread.id}?page={page}",
        f"/discussions/{thread.category.slug}?page={page}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        if page == "99999":
            assert "Go to the first page" in response.get_data(as_text=True)


def test_a_member_cannot_report_their_own_post(client, sign_in, world):
    sign_in(world["author"])
    assert client.get(f"/discussions/p/{world['post'].id}/report").status_code == 404


def test_recent_posts_hook_skips_anonymous_hidden_and_deleted(make_thread, make_user, form_key):
    author = make_user()
    coordinator = make_user(role=Role.COORDINATOR)
    thread = make_thread(author=author, body="Named")
    services.reply(thread, author, "Secret", anonymous=True, form_key=form_key())
    hidden = services.reply(thread, author, "Hidden", form_key=form_key())
    services.hide_post(coordinator, hidden)
    gone = services.reply(thread, author, "Gone", form_key=form_key())
    services.delete_post(gone)
    assert [p.body for p in queries.recent_posts_by(author.id)] == ["Named"]


def test_hooks_for_the_profile_and_account_pages(app, make_user, make_thread):
    author = make_user()
    make_thread(author=author, title="Walking 1:1s")
    page = (
        '{% from "discussions/_sections.html" import profile_section, account_section %}'
        "{{ profile_section(posts) }}{{ account_section(settings) }}"
    )
    with app.test_request_context():
        html = render_template_string(
            page, posts=queries.recent_posts_by(author.id), settings=queries.settings_for(author)
        )
    assert "Walking 1:1s" in html and "One email a day at most" in html and "/discussions/settings" in html
