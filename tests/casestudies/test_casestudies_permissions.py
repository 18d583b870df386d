"""Who sees and does what: drafts stay private (404), other people's actions get 403."""

import pytest

from champions.accounts.models import Role

ROLES = ["anonymous", "member", "other_champion", "coordinator", "author"]
ROLE_OF = {"member": Role.MEMBER, "other_champion": Role.CHAMPION, "coordinator": Role.COORDINATOR}

# state, visibility -> roles that may read the page
READERS = {
    ("draft", "public"): {"author"},
    ("submitted", "public"): {"author", "coordinator"},
    ("published", "public"): set(ROLES),
    ("published", "members"): {"member", "other_champion", "coordinator", "author"},
    ("unpublished", "public"): {"author", "coordinator"},
    ("archived", "public"): {"author", "coordinator"},
}


@pytest.fixture
def become(make_user, sign_in):
    def do(role: str, author):
        if role == "author":
            sign_in(author)
        elif role != "anonymous":
            sign_in(make_user(role=ROLE_OF[role]))

    return do


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("state", "visibility"), list(READERS))
def test_who_can_read(client, make_user, make_case_study, become, png_bytes, state, visibility, role):
    author = make_user(role=Role.CHAMPION)
    case_study = make_case_study(
        status=state, author=author, visibility=visibility, files=[("poster.png", "png", png_bytes)]
    )
    become(role, author)
    expected = 200 if role in READERS[(state, visibility)] else 404
    assert client.get(f"/case-studies/{case_study.id}").status_code == expected
    file_url = f"/case-studies/{case_study.id}/files/{case_study.attachments[0].id}"
    assert client.get(file_url).status_code == expected
    listed = case_study.title in client.get("/case-studies").get_data(as_text=True)
    assert listed == (state == "published" and expected == 200)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("member", 403), ("other_champion", 403), ("coordinator", 403), ("author", 200)],
)
def test_only_the_author_edits(client, make_user, make_case_study, become, role, expected):
    author = make_user(role=Role.CHAMPION)
    case_study = make_case_study(status="published", author=author)
    become(role, author)
    response = client.get(f"/case-studies/{case_study.id}/edit")
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/account/sign-in")
    data = {"title": "Changed", "summary": "x", "opened": case_study.content_fingerprint()}
    response = client.post(f"/case-studies/{case_study.id}/edit", data=data)
    assert response.status_code in ({expected, 302} if role == "author" else {expected})


@pytest.mark.parametrize("role", ["member", "other_champion", "coordinator"])
def test_someone_elses_draft_is_not_found(client, make_user, make_case_study, become, role):
    author = make_user(role=Role.CHAMPION)
    draft = make_case_study(status="draft", author=author)
    become(role, author)
    for url in (
        f"/case-studies/{draft.id}",
        f"/case-studies/{draft.id}/edit",
        f"/case-studies/{draft.id}/submit",
        f"/case-studies/{draft.id}/files/1",
        f"/case-studies/{draft.id}/save",
    ):
        method = client.post if url.endswith(("submit", "save")) else client.get
        assert method(url).status_code == 404, url


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("member", 403), ("other_champion", 403), ("author", 403), ("coordinator", 200)],
)
def test_only_coordinators_review_and_unpublish(client, make_user, make_case_study, become, role, expected):
    author = make_user(role=Role.CHAMPION)
    submitted = make_case_study(status="submitted", author=author)
    published = make_case_study(status="published", author=author)
    become(role, author)
    # the role check comes first, so a non-coordinator learns nothing about the id
    assert client.get(f"/case-studies/{submitted.id}/review").status_code == expected
    for step in ("unpublish", "archive"):
        assert client.get(f"/case-studies/{published.id}/{step}").status_code == expected
        assert client.post(f"/case-studies/{published.id}/{step}").status_code in (
            {302} if expected == 200 else {expected}
        )


@pytest.mark.parametrize(
    ("role", "expected"), [(None, 302), (Role.MEMBER, 403), (Role.CHAMPION, 200), (Role.COORDINATOR, 200)]
)
def test_writing_needs_a_champion(client, as_role, role, expected):
    as_role(role)
    assert client.get("/case-studies/new").status_code == expected
    assert client.get("/case-studies/mine").status_code == expected


@pytest.mark.parametrize(("role", "expected"), [(None, 302), (Role.CHAMPION, 403), (Role.COORDINATOR, 200)])
def test_review_queue_is_for_coordinators(client, as_role, role, expected):
    as_role(role)
    assert client.get("/case-studies/review").status_code == expected


@pytest.mark.parametrize(
    "url",
    [
        "/case-studies/999999",
        "/case-studies/999999/edit",
        "/case-studies/1/files/999",
        "/case-studies/abc",
        "/case-studies/-1",
        "/case-studies/1/nonsense",
    ],
)
def test_unknown_ids_are_not_found(client, as_role, url):
    as_role(Role.COORDINATOR)
    assert client.get(url).status_code == 404


def test_a_file_of_another_case_study_is_not_found(client, make_case_study, png_bytes):
    first = make_case_study(files=[("a.png", "png", png_bytes)])
    second = make_case_study()
    assert client.get(f"/case-studies/{second.id}/files/{first.attachments[0].id}").status_code == 404


@pytest.mark.parametrize(
    "status, role, own, view, edit, review, history",
    [
        ("draft", Role.CHAMPION, True, True, True, False, True),
        ("draft", Role.COORDINATOR, False, False, False, False, True),
        ("submitted", Role.COORDINATOR, False, True, False, True, True),
        ("submitted", Role.CHAMPION, True, True, False, False, True),
        ("published", Role.MEMBER, False, True, False, False, False),
        ("published", Role.CHAMPION, True, True, True, False, True),
        ("archived", Role.CHAMPION, True, True, False, False, True),
        ("archived", Role.MEMBER, False, False, False, False, False),
    ],
)
def test_the_case_study_answers_who_may_do_what(
    make_case_study, make_user, status, role, own, view, edit, review, history
):
    user = make_user(role=role)
    case_study = make_case_study(status=status, author=user if own else None)
    assert case_study.can_view(user) is view
    assert case_study.can_edit(user) is edit
    assert case_study.can_review(user) is review
    assert case_study.can_see_history(user) is history
