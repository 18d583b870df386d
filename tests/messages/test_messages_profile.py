"""The "Contact" button on a champion's profile follows their own setting, and never reveals a block."""

from champions.messages import services


def test_the_button_goes_when_the_champion_turns_portal_contact_off(
    client, make_user, make_champion, sign_in
):
    champion = make_champion(name="Fiona Robertson")
    sign_in(make_user())
    assert "Contact Fiona Robertson" in client.get(f"/champions/{champion.id}").get_data(as_text=True)
    services.save_settings(champion.user, email_on=True, contact_on=False)
    page = client.get(f"/champions/{champion.id}").get_data(as_text=True)
    assert "Contact Fiona Robertson" not in page
    assert "Fiona Robertson is not taking messages through the portal at the moment." in page
    client.post("/account/sign-out")
    page = client.get(f"/champions/{champion.id}").get_data(as_text=True)  # signed out, too
    assert "Contact Fiona Robertson" not in page


def test_someone_who_was_blocked_still_sees_the_button(client, make_user, make_champion, sign_in, start):
    champion = make_champion(name="Fiona Robertson")
    member = make_user()
    services.block(champion.user, member)
    sign_in(member)
    page = client.get(f"/champions/{champion.id}").get_data(as_text=True)
    assert "Contact Fiona Robertson" in page and "not taking messages" not in page
