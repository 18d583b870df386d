"""Who may see what: a return is its champion's alone (coordinators and admins too get a 404), returns
are asked only of verified champions, and the windows, reminders and totals are for coordinators."""

import pytest

from champions.accounts.models import Role


def _coordinator_pages(window_id: int) -> list[str]:
    return [
        "/returns/windows",
        "/returns/windows/new",
        f"/returns/windows/{window_id}",
        f"/returns/windows/{window_id}/dates",
        f"/returns/windows/{window_id}/totals",
        f"/returns/windows/{window_id}/totals.csv",
    ]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION, Role.COORDINATOR, Role.ADMIN])
def test_someone_elses_return_is_not_found(client, as_role, make_champion, make_window, send_return, role):
    found = send_return(make_champion(), make_window())
    as_role(role)
    assert client.get(f"/returns/sent/{found.id}").status_code == 404
    assert client.get("/returns/sent/999999999").status_code == 404


def test_a_champion_of_another_area_cannot_see_or_change_anothers_return(
    client, sign_in, make_champion, make_window, send_return
):
    window = make_window()
    theirs = send_return(make_champion(), window, submit=False, helped_words="Private words")
    guesser = make_champion(area="Glasgow City")
    sign_in(guesser)
    assert client.get(f"/returns/sent/{theirs.id}").status_code == 404
    page = client.get(f"/returns/{window.id}").get_data(as_text=True)
    assert "Private words" not in page  # the form is always the signed-in person's own
    for url in _coordinator_pages(window.id):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/returns/windows/{window.id}/remind/{theirs.user_id}").status_code == 403


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_returns_are_asked_only_of_verified_champions(client, as_role, make_window, role):
    """A member, or someone with the champion role but no verified profile, is told it is not for them."""
    window = make_window()
    as_role(role)
    assert client.get("/returns").status_code == 403
    assert client.get(f"/returns/{window.id}").status_code == 403
    assert client.post(f"/returns/{window.id}", data={"version": "0"}).status_code == 403


def test_a_pending_champion_is_not_asked(client, sign_in, make_champion, make_window):
    window = make_window()
    sign_in(make_champion(status="pending"))
    assert client.get(f"/returns/{window.id}").status_code == 403


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_manage_windows(client, as_role, make_window, role):
    window = make_window()
    as_role(role)
    for url in _coordinator_pages(window.id):
        assert client.get(url).status_code == 200, url
    assert client.get("/returns").headers["Location"] == "/returns/windows"
    for url in ["/returns/windows/999999999", "/returns/windows/999999999/totals"]:
        assert client.get(url).status_code == 404


def test_members_cannot_reach_coordinator_pages(client, as_role, make_window):
    window = make_window()
    as_role(Role.MEMBER)
    for url in _coordinator_pages(window.id):
        assert client.get(url).status_code == 403, url


def test_signed_out_people_are_asked_to_sign_in(client, make_window):
    window = make_window()
    for url in ["/returns", f"/returns/{window.id}", "/returns/sent/1", *_coordinator_pages(window.id)]:
        assert client.get(url).headers["Location"].startswith("/account/sign-in?next="), url
    response = client.post(f"/returns/windows/{window.id}/remind/1")
    assert response.headers["Location"].startswith("/account/sign-in")


def test_a_window_that_does_not_exist_is_not_found_for_a_champion(client, sign_in, make_champion):
    sign_in(make_champion())
    assert client.get("/returns/999999999").status_code == 404
