"""The privacy notice (issue #13, item 6): who is responsible and how long things are kept, from the same
settings the code uses, so the page changes when a setting does."""

import pytest


def test_the_notice_shows_the_default_periods_and_who_is_responsible(client):
    html = client.get("/privacy").get_data(as_text=True)
    for words in (
        "is deleted after 14 days",
        "do not sign in for 3 years",
        "close your account 30 days later",
        "deleted 30 days after the event",
        "deleted after 90 days",
        "is deleted after 12 months",
        "(which hold no names) 12 months after",
        "The Trauma Champions Network (demonstration)",
        "dpo@example.org",
        "privacy@example.org",
        'href="/account/close"',
        "download a copy of your data",
        "after it has gone unused for that long",
        "or 7 days after it is made",
        "your second factor and the record of where you are signed in",
    ):
        assert words in html, words


@pytest.mark.app_config(
    {
        "RETENTION_UNCONFIRMED_DAYS": 21,
        "RETENTION_INACTIVE_DAYS": 730,
        "RETENTION_WARNING_DAYS": 45,
        "RETENTION_EVENT_NEEDS_DAYS": 60,
        "RETENTION_OUTBOX_BODY_DAYS": 120,
        "RETENTION_AUDIT_DAYS": 1095,
        "RETENTION_RATE_LIMIT_DAYS": 200,
        "RETENTION_SESSION_DAYS": 10,
        "PRIVACY_CONTROLLER": "Example Health Board",
        "DPO_NAME": "Dana Protector",
        "DPO_EMAIL": "dana@example.org",
        "PRIVACY_CONTACT_EMAIL": "ask@example.org",
    }
)
def test_the_notice_follows_the_settings(client):
    html = client.get("/privacy").get_data(as_text=True)
    for words in (
        "is deleted after 21 days",
        "is deleted 10 days after you sign out there",
        "do not sign in for 2 years",
        "close your account 45 days later",
        "deleted 60 days after the event",
        "deleted after 120 days",
        "is deleted after 3 years",
        "(which hold no names) 200 days after",
        "The data controller is Example Health Board",
        "Dana Protector",
        "dana@example.org",
        "ask@example.org",
    ):
        assert words in html, words
    assert "14 days" not in html and "dpo@example.org" not in html
