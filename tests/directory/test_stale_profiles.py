"""Two edit forms of one champion profile: the older save is refused kindly, with the text kept."""

import re

from champions.directory.models import ChampionProfile
from champions.extensions import db

STALE = "changed by someone else"


def version_in(page: str) -> str:
    [version] = re.findall(r'name="version" type="hidden" value="(\d+)"', page)
    return version


def test_an_older_profile_form_does_not_overwrite_a_newer_save(
    client, make_profile, sign_in, application_form
):
    profile = make_profile()
    sign_in(profile.user)
    url = f"/champions/{profile.id}/edit"
    older = version_in(client.get(url).get_data(as_text=True))
    newer = version_in(client.get(url).get_data(as_text=True))
    saved = client.post(url, data=application_form(job_title="Director of Care", version=newer))
    assert saved.headers["Location"] == f"/champions/{profile.id}"

    refused = client.post(
        url, data=application_form(job_title="Chief Officer", bio="Typed in tab one", version=older)
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert STALE in page and "Chief Officer" in page and "Typed in tab one" in page
    assert "Director of Care" in page
    db.session.expire_all()
    assert db.session.get(ChampionProfile, profile.id).job_title == "Director of Care"

    again = client.post(url, data=application_form(job_title="Chief Officer", version=version_in(page)))
    assert again.headers["Location"] == f"/champions/{profile.id}"
    db.session.expire_all()
    assert db.session.get(ChampionProfile, profile.id).job_title == "Chief Officer"


def test_a_profile_form_that_names_no_version_is_refused(client, make_profile, sign_in, application_form):
    profile = make_profile()
    sign_in(profile.user)
    for version in (None, "", "x1", "9" * 30):
        data = application_form(job_title="Typed without a version", version=version)
        response = client.post(f"/champions/{profile.id}/edit", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and STALE in page and "Typed without a version" in page
    db.session.expire_all()
    assert db.session.get(ChampionProfile, profile.id).job_title == "Head of Service"


def test_the_same_profile_save_sent_twice_lands_calmly(client, make_profile, sign_in, application_form):
    profile = make_profile()
    sign_in(profile.user)
    url = f"/champions/{profile.id}/edit"
    data = application_form(
        job_title="Sent twice", version=version_in(client.get(url).get_data(as_text=True))
    )
    assert client.post(url, data=data).headers["Location"] == f"/champions/{profile.id}"
    assert client.post(url, data=data).headers["Location"] == f"/champions/{profile.id}"
