"""Consents on record: each agreement's wording version and time, shown and withdrawn on /account/consents."""

import uuid

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.directory import services as directory_services
from champions.directory.models import ChampionProfile
from champions.discussions.models import EmailMode
from champions.discussions.services import notify, posting
from champions.extensions import db
from champions.privacy.models import CONSENT_WORDINGS, ConsentRecord, current_version


def _records(user, kind):
    return list(
        db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.user_id == user.id, ConsentRecord.kind == kind)
            .order_by(ConsentRecord.id)
        )
    )


def _apply(user, listed=True):
    details = directory_services.ProfileDetails("Ann Champion", "Lead", "Fife Council", listed=listed)
    return directory_services.apply(user, details)


def test_applying_to_be_listed_records_the_wording_version_and_time(app, make_user):
    user = make_user()
    profile = _apply(user)
    [record] = _records(user, "directory-listing")
    assert record.version == current_version("directory-listing") and record.withdrawn_at is None
    assert record.given_at == profile.listing_consent_at
    assert record.wording == CONSENT_WORDINGS["directory-listing"][record.version]


def test_not_listed_records_nothing_and_listing_later_records_it(app, make_user):
    user = make_user()
    profile = _apply(user, listed=False)
    assert _records(user, "directory-listing") == []
    directory_services.set_listing(profile, True, user)
    assert len(_records(user, "directory-listing")) == 1


def test_withdrawing_the_listing_on_the_consents_page_unlists_at_once(client, make_user, sign_in):
    user = make_user(role=Role.CHAMPION)
    _apply(user)
    sign_in(user)
    page = client.get("/account/consents").get_data(as_text=True)
    assert "Being listed in the champions directory" in page and "(version 1)" in page
    response = client.post("/account/consents/withdraw", data={"kind": "directory-listing"})
    assert response.headers["Location"] == "/account/consents"
    profile = db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))
    assert not profile.is_listed
    [record] = _records(user, "directory-listing")
    assert record.withdrawn_at is not None
    again = client.post(
        "/account/consents/withdraw", data={"kind": "directory-listing"}, follow_redirects=True
    )
    assert "nothing to withdraw" in again.get_data(as_text=True)


def test_an_anonymous_post_records_the_explanation_once(app, make_user, make_thread):
    user = make_user(role=Role.CHAMPION)
    thread = make_thread()
    posting.reply(thread, user, "Named", form_key=str(uuid.uuid4()))
    assert _records(user, "anonymous-posting") == []
    for _ in range(2):
        posting.reply(thread, user, "Anonymous", anonymous=True, form_key=str(uuid.uuid4()))
    assert [r.version for r in _records(user, "anonymous-posting")] == [current_version("anonymous-posting")]


def test_withdrawing_the_anonymous_explanation(client, make_user, make_thread, sign_in):
    user = make_user(role=Role.CHAMPION)
    posting.reply(make_thread(), user, "Anonymous", anonymous=True, form_key=str(uuid.uuid4()))
    sign_in(user)
    client.post("/account/consents/withdraw", data={"kind": "anonymous-posting"})
    assert _records(user, "anonymous-posting")[0].withdrawn_at is not None


def test_discussion_emails_are_recorded_and_withdrawing_stops_them(client, make_user, sign_in):
    user = make_user()
    notify.save_settings(user, EmailMode.EACH, True)
    notify.save_settings(user, EmailMode.DIGEST, True)  # still on: the same consent
    assert len(_records(user, "discussion-email")) == 1
    sign_in(user)
    client.post("/account/consents/withdraw", data={"kind": "discussion-email"})
    assert db.session.scalar(select(ConsentRecord.withdrawn_at).where(ConsentRecord.user_id == user.id))
    from_settings = client.get("/account/consents").get_data(as_text=True)
    assert "You have not agreed to this" in from_settings
    db.session.expire_all()
    assert notify.queries.settings_for(user).email_mode == EmailMode.OFF


@pytest.mark.parametrize("kind", ["", "marketing", "directory-listing"])
def test_withdrawing_what_was_never_given_or_does_not_exist_is_harmless(client, as_role, kind):
    as_role(Role.MEMBER)
    response = client.post("/account/consents/withdraw", data={"kind": kind})
    assert response.status_code == (302 if kind == "directory-listing" else 400)


def test_every_recorded_version_names_a_wording_that_exists(app, make_user, make_thread):
    user = make_user()
    _apply(user)
    notify.save_settings(user, EmailMode.EACH, True)
    posting.reply(make_thread(), user, "Anonymous", anonymous=True, form_key=str(uuid.uuid4()))
    records = db.session.scalars(select(ConsentRecord)).all()
    assert len(records) == 3 and all(r.wording for r in records)
