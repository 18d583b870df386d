"""Two edit forms of one post: the older save is refused kindly, with the author's words kept."""

import re

from champions.discussions import services
from champions.discussions.models import Post
from champions.extensions import db

STALE = "changed by someone else"


def version_in(page: str) -> str:
    [version] = re.findall(r'name="version" type="hidden" value="(\d+)"', page)
    return version


def test_an_older_post_edit_does_not_overwrite_a_newer_one(client, sign_in, make_user, make_thread):
    author = make_user()
    post = make_thread(author=author, body="First version").posts[0]
    sign_in(author)
    url = f"/discussions/p/{post.id}/edit"
    older = version_in(client.get(url).get_data(as_text=True))
    newer = version_in(client.get(url).get_data(as_text=True))
    saved = client.post(url, data={"body": "Words from the newer tab", "content_note": "", "version": newer})
    assert saved.status_code == 302

    preview = client.post(url, data={"body": "Older tab words", "action": "preview", "version": older})
    assert version_in(preview.get_data(as_text=True)) == older  # a preview carries the version it was given
    refused = client.post(url, data={"body": "Older tab words", "content_note": "", "version": older})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert STALE in page and "Older tab words" in page and "Words from the newer tab" in page
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "Words from the newer tab"

    again = client.post(
        url, data={"body": "Older tab words", "content_note": "", "version": version_in(page)}
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "Older tab words"


def test_a_post_edit_that_names_no_version_is_refused(client, sign_in, make_user, make_thread, form_key):
    author = make_user()
    thread = make_thread(author=author, body="First version")
    post = thread.posts[0]
    sign_in(author)
    for version in (None, "", "one", "7" * 40):
        data = {"body": "Typed without a version", "content_note": ""}
        if version is not None:
            data["version"] = version
        response = client.post(f"/discussions/p/{post.id}/edit", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and STALE in page and "Typed without a version" in page
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "First version"


def test_replies_do_not_make_an_open_post_edit_stale(client, sign_in, make_user, make_thread, form_key):
    author = make_user()
    thread = make_thread(author=author, body="First version")
    post = thread.posts[0]
    sign_in(author)
    version = version_in(client.get(f"/discussions/p/{post.id}/edit").get_data(as_text=True))
    services.reply(thread, make_user(), "A reply meanwhile", form_key=form_key())
    data = {"body": "Still mine to change", "content_note": "", "version": version}
    assert client.post(f"/discussions/p/{post.id}/edit", data=data).status_code == 302
