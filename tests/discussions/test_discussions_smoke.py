from champions.accounts.models import Role


def test_pages_render(client, as_role, make_thread):
    thread = make_thread(replies=3, content_note="mentions loss")
    user = as_role(Role.COORDINATOR)
    for url in ["/discussions", f"/discussions/{thread.category.slug}", f"/discussions/t/{thread.id}?page=1",
                f"/discussions/t/{thread.id}/reply", f"/discussions/{thread.category.slug}/new",
                "/discussions/settings", "/discussions/moderation", "/discussions/categories",
                "/discussions/categories/new"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:3000])
    assert user
