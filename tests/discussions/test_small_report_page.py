"""Issue #12: the report-a-post page shows the post being reported, as the thread shows it."""

from champions.accounts.models import Role
from champions.discussions import services


def _report_page(client, post) -> str:
    response = client.get(f"/discussions/p/{post.id}/report")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_report_page_shows_the_post_and_its_author(client, sign_in, make_user, make_thread):
    author = make_user(name="Morag Fraser")
    thread = make_thread(author=author, title="Budgets", body="Something **unkind** about a team")
    sign_in(make_user())
    page = _report_page(client, thread.posts[0])
    assert "Morag Fraser" in page
    assert "Something <strong>unkind</strong> about a team" in page
    assert page.index("Something <strong>unkind</strong>") < page.index('name="reason"')


def test_an_anonymous_post_stays_anonymous_on_the_report_page(
    client, sign_in, make_user, make_thread, form_key
):
    thread = make_thread()
    post = services.reply(
        thread, make_user(name="Shona Kerr"), "Hard week", anonymous=True, form_key=form_key()
    )
    for role in (Role.MEMBER, Role.COORDINATOR):
        client.post("/account/sign-out")
        sign_in(make_user(role=role))
        page = _report_page(client, post)
        assert "A member of the network" in page and "Shona Kerr" not in page and "Hard week" in page


def test_a_content_note_keeps_the_post_behind_a_disclosure(client, as_role, make_thread):
    thread = make_thread(body="Hard words", content_note="mentions suicide")
    as_role(Role.MEMBER)
    page = _report_page(client, thread.posts[0])
    details = page.split("<details")[1].split("</details>")[0]
    assert "Content note: mentions suicide" in details and "Hard words" in details


def test_the_post_body_on_the_report_page_is_sanitised(client, as_role, make_thread, xss):
    for payload in xss.XSS_PAYLOADS:
        thread = make_thread(body=payload)
        as_role(Role.MEMBER)
        page = _report_page(client, thread.posts[0])
        shown = page.split('class="app-post__body">', 1)[1].split("</div>", 1)[0]
        assert xss.executable_parts(shown) == [], payload
        client.post("/account/sign-out")
