"""Starting threads, replying, preview, validation, double submits, quoting, editing and deleting."""

import re
import uuid

import pytest
from sqlalchemy import func, select

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.discussions import queries, services
from champions.discussions.models import Post, Thread
from champions.extensions import db

BODY = re.compile(r'<div class="app-post__body">(.*?)</div>', re.DOTALL)


def _post_count() -> int:
    return db.session.scalar(select(func.count(Post.id)))


def test_start_a_thread(client, as_role, make_category, form_key):
    category = make_category()
    user = as_role(Role.MEMBER)
    response = client.post(
        f"/discussions/{category.slug}/new",
        data={
            "title": "  Supervision that helps  ",
            "body": "What **works** for you?",
            "form_key": form_key(),
        },
    )
    thread = db.session.scalar(select(Thread))
    post = thread.posts[0]
    assert response.headers["Location"] == f"/discussions/t/{thread.id}?page=1#post-{post.id}"
    assert thread.title == "Supervision that helps" and post.author == user
    assert post.body_html == "<p>What <strong>works</strong> for you?</p>"
    assert queries.is_following_thread(user, thread)  # followed automatically
    page = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert "<strong>works</strong>" in page and user.name in page


def test_preview_shows_the_post_without_saving_it(client, as_role, make_thread, form_key):
    thread = make_thread()
    as_role(Role.MEMBER)
    response = client.post(
        f"/discussions/t/{thread.id}/reply",
        data={"body": "# Heading\n\n*gentle*", "form_key": form_key(), "action": "preview"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview" in html and "<em>gentle</em>" in html and "<h2>Heading</h2>" in html
    assert "# Heading" in html  # the words stay in the box
    assert _post_count() == 1


@pytest.mark.parametrize(
    "body, message",
    [
        ("", "Write your post before sending it"),
        ("   \n\t  ", "Write your post before sending it"),
        ("x" * 50_001, "Posts can be up to 50,000 characters"),
    ],
)
def test_reply_body_problems_get_a_message(client, as_role, make_thread, form_key, body, message):
    thread = make_thread()
    as_role(Role.MEMBER)
    response = client.post(f"/discussions/t/{thread.id}/reply", data={"body": body, "form_key": form_key()})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and "<title>Error: " in html
    assert _post_count() == 1


@pytest.mark.parametrize(
    "title, message",
    [
        ("", "Give your thread a title"),
        ("    ", "Give your thread a title"),
        ("t" * 201, "Titles can be up to 200 characters"),
        ("Hello\u202eevil", "hidden or formatting characters"),
    ],
)
def test_title_problems_get_a_message(client, as_role, make_category, form_key, title, message):
    category = make_category()
    as_role(Role.MEMBER)
    response = client.post(
        f"/discussions/{category.slug}/new", data={"title": title, "body": "Fine", "form_key": form_key()}
    )
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _post_count() == 0


def test_long_but_allowed_and_odd_unicode_input(client, as_role, make_category, form_key):
    category = make_category()
    as_role(Role.MEMBER)
    body = "Gàidhlig, emoji 🌿, Ελληνικά, \u0301 combining, right-to-left עברית. " + "x" * 49_000
    response = client.post(
        f"/discussions/{category.slug}/new", data={"title": "t" * 200, "body": body, "form_key": form_key()}
    )
    assert response.status_code == 302
    assert "Gàidhlig" in db.session.scalar(select(Post.body))


def test_wrong_types_and_a_missing_form_key(client, as_role, make_thread):
    thread = make_thread()
    as_role(Role.MEMBER)
    for data in [
        {"body": "Hi"},
        {"body": "Hi", "form_key": "not-a-uuid"},
        {"body": ["a", "b"], "anonymous": "maybe"},
    ]:
        response = client.post(f"/discussions/t/{thread.id}/reply", data=data)
        assert response.status_code == 200
        assert "This form has expired" in response.get_data(as_text=True)
    assert _post_count() == 1


def test_a_second_submit_of_the_same_form_does_not_duplicate(client, as_role, make_thread, form_key):
    thread = make_thread()
    as_role(Role.MEMBER)
    data = {"body": "Only once, please", "form_key": form_key()}
    first = client.post(f"/discussions/t/{thread.id}/reply", data=data)
    second = client.post(f"/discussions/t/{thread.id}/reply", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert _post_count() == 2
    assert thread.post_count == 2


def test_a_locked_thread_refuses_replies(client, as_role, make_thread, make_user, form_key):
    thread = make_thread()
    services.lock_thread(make_user(role=Role.COORDINATOR), thread, True)
    as_role(Role.MEMBER)
    page = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert "This thread is locked" in page and "Post reply" not in page
    response = client.post(
        f"/discussions/t/{thread.id}/reply", data={"body": "Let me in", "form_key": form_key()}
    )
    assert response.status_code == 200
    assert "not taking new replies" in response.get_data(as_text=True)
    assert _post_count() == 1
    with pytest.raises(services.ThreadLocked):
        services.reply(thread, make_user(), "Direct", form_key=form_key())


def test_a_thread_locked_while_the_reply_is_sent_keeps_the_words(
    client, as_role, make_thread, make_user, form_key, monkeypatch
):
    thread = make_thread()
    coordinator = make_user(role=Role.COORDINATOR)
    as_role(Role.MEMBER)
    assert "Post reply" in client.get(f"/discussions/t/{thread.id}/reply").get_data(as_text=True)
    reply = services.reply

    def locked_first(thread, *args, **kwargs):
        # A coordinator locks the thread after the page loaded it, just before the reply is saved.
        services.lock_thread(coordinator, thread, True)
        return reply(thread, *args, **kwargs)

    monkeypatch.setattr(services, "reply", locked_first)
    response = client.post(
        f"/discussions/t/{thread.id}/reply", data={"body": "Words I typed with care", "form_key": form_key()}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "not taking new replies" in page and "Words I typed with care" in page
    assert _post_count() == 1


def test_reply_to_a_missing_thread_is_404(client, as_role, form_key):
    as_role(Role.MEMBER)
    assert (
        client.post("/discussions/t/424242/reply", data={"body": "Hi", "form_key": form_key()}).status_code
        == 404
    )


def test_xss_through_the_posting_form(client, as_role, make_thread, form_key, xss):
    thread = make_thread()
    as_role(Role.MEMBER)
    assert len(xss.XSS_PAYLOADS) >= 20
    for payload in xss.XSS_PAYLOADS:
        response = client.post(
            f"/discussions/t/{thread.id}/reply", data={"body": payload, "form_key": form_key()}
        )
        assert response.status_code == 302, payload
    for payload in xss.XSS_PAYLOADS[:3]:  # the preview goes through the same sanitiser
        preview = client.post(
            f"/discussions/t/{thread.id}/reply",
            data={"body": payload, "form_key": form_key(), "action": "preview"},
        )
        [shown] = BODY.findall(preview.get_data(as_text=True))
        assert xss.executable_parts(shown) == []
    posts = db.session.scalars(select(Post).where(Post.id > thread.posts[0].id)).all()
    assert len(posts) == len(xss.XSS_PAYLOADS)
    for post in posts:
        assert xss.executable_parts(post.body_html) == [], post.body
    for page in range(1, thread.post_count // 20 + 2):
        html = client.get(f"/discussions/t/{thread.id}?page={page}").get_data(as_text=True)
        bodies = BODY.findall(html)
        assert bodies and all(xss.executable_parts(body) == [] for body in bodies)


def test_links_are_marked_and_images_become_links(client, as_role, make_thread, form_key):
    thread = make_thread()
    as_role(Role.MEMBER)
    client.post(
        f"/discussions/t/{thread.id}/reply",
        data={
            "body": "[NES](https://www.nes.scot.nhs.uk) ![chart](https://example.com/c.png)",
            "form_key": form_key(),
        },
    )
    html = thread.posts[-1].body_html
    assert 'rel="nofollow ugc noopener"' in html and "<img" not in html and "chart (image)" in html


def test_quote_a_reply(client, as_role, make_thread, make_user, form_key):
    thread = make_thread(body="Line one\n\nLine two")
    as_role(Role.MEMBER)
    html = client.get(f"/discussions/t/{thread.id}/reply?quote={thread.posts[0].id}").get_data(as_text=True)
    assert "&gt; **" in html and "wrote:**" in html and "&gt; Line two" in html
    anonymous = services.reply(thread, make_user(), "Quiet words", anonymous=True, form_key=form_key())
    html = client.get(f"/discussions/t/{thread.id}/reply?quote={anonymous.id}").get_data(as_text=True)
    assert "A member of the network wrote" in html and anonymous.author.name not in html


def test_edit_keeps_earlier_versions_for_coordinators(client, sign_in, make_user, make_thread):
    author = make_user()
    thread = make_thread(author=author, body="First version")
    post = thread.posts[0]
    sign_in(author)
    preview = client.post(f"/discussions/p/{post.id}/edit", data={"body": "*Second*", "action": "preview"})
    assert "<em>Second</em>" in preview.get_data(as_text=True) and post.body == "First version"
    response = client.post(
        f"/discussions/p/{post.id}/edit",
        data={"body": "Second version", "content_note": "", "version": post.version},
    )
    assert response.headers["Location"] == f"/discussions/t/{thread.id}?page=1#post-{post.id}"
    assert post.body_html == "<p>Second version</p>" and post.edited_at
    assert "Edited" in client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert client.get(f"/discussions/p/{post.id}/history").status_code == 403
    client.post("/account/sign-out")
    sign_in(make_user(role=Role.COORDINATOR))
    history = client.get(f"/discussions/p/{post.id}/history").get_data(as_text=True)
    assert "First version" in history


def test_delete_leaves_a_placeholder(client, sign_in, make_user, make_thread, form_key):
    author = make_user()
    thread = make_thread(replies=1)
    post = services.reply(thread, author, "Regret this", form_key=form_key())
    services.edit_post(post, "Regret this more", "")
    sign_in(author)
    assert client.get(f"/discussions/p/{post.id}/delete").status_code == 200
    client.post(f"/discussions/p/{post.id}/delete")
    html = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert "This post was removed by its author" in html and "Regret this" not in html
    assert post.revisions == [] and thread.post_count == 3
    assert client.get(f"/discussions/p/{post.id}/edit").status_code == 403


def test_content_note_puts_the_post_behind_a_disclosure(client, as_role, make_thread):
    thread = make_thread(body="Hard words", content_note="mentions suicide")
    as_role(Role.MEMBER)
    html = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    details = html.split("<details")[1].split("</details>")[0]
    assert "Content note: mentions suicide" in details and "Hard words" in details


def test_anonymous_post_and_an_audited_reveal(client, sign_in, make_user, make_thread, form_key):
    author = make_user(name="Shona Kerr")
    thread = make_thread()
    post = services.reply(thread, author, "Hard week", anonymous=True, form_key=form_key())
    sign_in(make_user())
    html = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert "A member of the network" in html and "Shona Kerr" not in html
    coordinator = make_user(role=Role.COORDINATOR)
    client.post("/account/sign-out")
    sign_in(coordinator)
    html = client.get(f"/discussions/t/{thread.id}?page=1").get_data(as_text=True)
    assert "Shona Kerr" not in html and "Show who wrote this" in html
    for _ in range(2):
        assert "Shona Kerr" in client.post(f"/discussions/p/{post.id}/reveal").get_data(as_text=True)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "discussions.post.reveal_author")
    ).all()
    assert [(e.actor_id, e.target_id) for e in entries] == [(coordinator.id, post.id)] * 2


def test_permalink_goes_to_the_right_page_and_pagination_is_stable(client, as_role, make_thread):
    thread = make_thread(replies=44)  # 45 posts: three pages
    as_role(Role.MEMBER)
    posts = thread.posts
    assert (
        client.get(f"/discussions/p/{posts[0].id}").headers["Location"]
        == f"/discussions/t/{thread.id}?page=1#post-{posts[0].id}"
    )
    assert (
        client.get(f"/discussions/p/{posts[20].id}").headers["Location"]
        == f"/discussions/t/{thread.id}?page=2#post-{posts[20].id}"
    )
    assert (
        client.get(f"/discussions/p/{posts[44].id}").headers["Location"]
        == f"/discussions/t/{thread.id}?page=3#post-{posts[44].id}"
    )
    page2 = client.get(f"/discussions/t/{thread.id}?page=2").get_data(as_text=True)
    assert f'id="post-{posts[20].id}"' in page2 and f'id="post-{posts[39].id}"' in page2
    assert f'id="post-{posts[40].id}"' not in page2


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_posting_is_rate_limited_per_person(client, sign_in, make_user, make_thread, form_key):
    thread = make_thread()
    person = make_user()
    sign_in(person)
    for n in range(20):
        response = client.post(
            f"/discussions/t/{thread.id}/reply", data={"body": f"Post {n}", "form_key": form_key()}
        )
        assert response.status_code == 302
    limited = client.post(
        f"/discussions/t/{thread.id}/reply", data={"body": "One more", "form_key": form_key()}
    )
    assert limited.status_code == 429
    other = make_user()
    client.post("/account/sign-out")
    sign_in(other)  # someone else, same address, is not held back
    response = client.post(f"/discussions/t/{thread.id}/reply", data={"body": "Mine", "form_key": form_key()})
    assert response.status_code == 302


@pytest.mark.parametrize("quote", ["9" * 40, "2147483648", "²", "-1", ""])
def test_an_odd_quote_leaves_the_reply_empty(client, as_role, make_thread, quote):
    thread = make_thread(body="Line one")
    as_role(Role.MEMBER)
    response = client.get(f"/discussions/t/{thread.id}/reply?quote={quote}")
    assert response.status_code == 200 and "Line one" not in response.get_data(as_text=True)


@pytest.mark.parametrize("shape", ["urn:uuid:{}", "{{{}}}", "{}"])
def test_a_form_key_in_another_uuid_spelling_saves_once(client, as_role, make_thread, shape):
    thread = make_thread()
    as_role(Role.MEMBER)
    data = {"body": "Same words twice", "form_key": shape.format(uuid.uuid4())}
    first = client.post(f"/discussions/t/{thread.id}/reply", data=data)
    second = client.post(f"/discussions/t/{thread.id}/reply", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(Post.id)).where(Post.body == "Same words twice")) == 1
