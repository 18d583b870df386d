from champions.accounts.models import Role


def test_smoke(search, make_profile, make_thread, make_case_study, make_event, make_resource, as_role):
    make_profile(name="Ailsa Grant", bio="I lead peer support in Fife.")
    make_thread(title="Peer support after hard calls", body="We meet every week for peer support.")
    make_case_study(title="Peer support for carers")
    make_event(title="Peer support workshop")
    make_resource(title="Peer support guide")
    as_role(Role.MEMBER)
    body, links = search("peer support")
    print(body)
    print(links)
    assert len(links) == 6
