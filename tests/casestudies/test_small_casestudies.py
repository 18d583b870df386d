"""Issue #12: the topic filter offers only visible case studies' tags; a returned case study says so."""

import html

import pytest

from champions.accounts.models import Role
from champions.casestudies import queries, services

REVIEWED = {key: True for key in services.CHECKLIST}

COMMENT = "Please remove the surname in the second section & say who took part."


def _topic_options(client) -> str:
    page = client.get("/case-studies").get_data(as_text=True)
    start = page.index('id="filter-tag"')
    return page[start : page.index("</select>", start)]


def test_topic_filter_offers_only_tags_of_case_studies_the_viewer_may_see(
    client, make_case_study, make_user, sign_in
):
    make_case_study(title="Public one", topics=["Peer support"])
    make_case_study(title="Members one", topics=["Kinship care"], visibility="members")
    make_case_study(status="draft", topics=["Secret restructure"])
    make_case_study(status="submitted", topics=["Pending merger"])
    make_case_study(status="archived", topics=["Old project"])

    visitor = _topic_options(client)
    assert "peer-support" in visitor
    for hidden in ("kinship-care", "secret-restructure", "pending-merger", "old-project"):
        assert hidden not in visitor

    sign_in(make_user())
    member = _topic_options(client)
    assert "peer-support" in member and "kinship-care" in member
    for hidden in ("secret-restructure", "pending-merger", "old-project"):
        assert hidden not in member


def test_a_private_tag_is_not_confirmed_by_the_unknown_filter_message(client, make_case_study):
    make_case_study(status="draft", topics=["Secret restructure"])
    make_case_study(topics=["Peer support"])
    page = client.get("/case-studies?tag=secret-restructure").get_data(as_text=True)
    nothing = client.get("/case-studies?tag=never-used-anywhere").get_data(as_text=True)
    assert ("We do not recognise" in page) == ("We do not recognise" in nothing)


def _returned(make_case_study, make_user):
    case_study = make_case_study(status="submitted")
    services.return_for_changes(case_study, make_user(role=Role.COORDINATOR), REVIEWED, COMMENT)
    return case_study


def test_a_returned_case_study_says_so_to_its_author_with_the_comments(
    client, make_case_study, make_user, sign_in
):
    case_study = _returned(make_case_study, make_user)
    sign_in(case_study.author)
    mine = client.get("/case-studies/mine").get_data(as_text=True)
    assert "Returned for changes" in mine and "ds_tag" in mine
    detail = client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    assert "Returned for changes" in detail
    assert "What the reviewer asked for" in detail
    assert html.escape(COMMENT) in detail
    assert f'href="/case-studies/{case_study.id}/edit"' in detail
    form = client.get(f"/case-studies/{case_study.id}/edit").get_data(as_text=True)
    assert "What the reviewer asked for" in form and html.escape(COMMENT) in form


def test_a_returned_edit_of_a_published_case_study_says_so(client, make_case_study, make_user, sign_in):
    case_study = make_case_study(status="published")
    services.update(case_study, case_study.author, services.content_of(case_study), [], submit=True)
    services.return_for_changes(case_study, make_user(role=Role.COORDINATOR), REVIEWED, COMMENT)
    sign_in(case_study.author)
    assert "Returned for changes" in client.get("/case-studies/mine").get_data(as_text=True)
    for url in (f"/case-studies/{case_study.id}", f"/case-studies/{case_study.id}/edit"):
        page = client.get(url).get_data(as_text=True)
        assert "What the reviewer asked for" in page and html.escape(COMMENT) in page


def test_sending_it_again_ends_the_returned_status(client, make_case_study, make_user, sign_in):
    case_study = _returned(make_case_study, make_user)
    services.submit(case_study, case_study.author)
    sign_in(case_study.author)
    mine = client.get("/case-studies/mine").get_data(as_text=True)
    assert "Returned for changes" not in mine and "Waiting for review" in mine
    assert "What the reviewer asked for" not in client.get(f"/case-studies/{case_study.id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize("who", ["coordinator", "other coordinator", "member", "anonymous"])
def test_the_reviewers_comments_are_for_the_author_only(client, make_case_study, make_user, sign_in, who):
    case_study = make_case_study(status="published")
    services.update(case_study, case_study.author, services.content_of(case_study), [], submit=True)
    services.return_for_changes(case_study, make_user(role=Role.COORDINATOR), REVIEWED, COMMENT)
    if who != "anonymous":
        sign_in(make_user(role=Role.MEMBER if who == "member" else Role.COORDINATOR))
    page = client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    assert "What the reviewer asked for" not in page
    if who in ("member", "anonymous"):
        assert html.escape(COMMENT) not in page and "Returned for changes" not in page


def test_my_case_studies_queries_stay_flat(client, make_case_study, make_user, sign_in, count_queries):
    author = make_user(role=Role.CHAMPION)
    reviewer = make_user(role=Role.COORDINATOR)
    counts = []
    for n in (1, 6):
        while len(queries.mine(author)) < n:
            case_study = make_case_study(status="submitted", author=author)
            services.return_for_changes(case_study, reviewer, REVIEWED, COMMENT)
        sign_in(author)
        with count_queries() as statements:
            assert client.get("/case-studies/mine").status_code == 200
        counts.append(len(statements))
        client.post("/account/sign-out")
    assert counts[0] == counts[1]
