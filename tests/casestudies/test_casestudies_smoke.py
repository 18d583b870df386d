from champions.accounts.models import Role


def test_library_and_detail_render(client, make_case_study):
    case_study = make_case_study()
    response = client.get("/case-studies")
    assert response.status_code == 200
    assert case_study.title in response.get_data(as_text=True)
    page = client.get(f"/case-studies/{case_study.id}")
    assert page.status_code == 200, page.get_data(as_text=True)[:3000]
    assert "isolated" in page.get_data(as_text=True)


def test_pages_for_roles(client, as_role, make_case_study):
    case_study = make_case_study()
    as_role(Role.COORDINATOR)
    for url in ["/case-studies", "/case-studies/new", "/case-studies/mine", "/case-studies/review",
                f"/case-studies/{case_study.id}", f"/case-studies/{case_study.id}/unpublish",
                "/case-studies/feed.atom"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:3000])
