"""A champion's profile shows the events they organise and, to members only, their recent posts."""

import uuid
from datetime import timedelta

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.discussions import services as discussions
from champions.discussions.models import Category
from champions.events import services as events
from champions.events.models import EventFormat, EventType
from champions.extensions import db


def _event(organiser, title):
    starts = utcnow().replace(microsecond=0) + timedelta(days=12)
    event = events.create_event(
        organiser,
        {
            "title": title,
            "description": "A calm session.",
            "event_type": EventType.WEBINAR.value,
            "format": EventFormat.ONLINE.value,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "joining_link": "https://meet.example.org/room",
        },
    )
    events.publish_event(organiser, event)
    return event


def _post(author, title, anonymous=False):
    category = Category(
        name="Leadership", slug=f"leadership-{uuid.uuid4().hex[:6]}", description="", position=1
    )
    db.session.add(category)
    db.session.commit()
    return discussions.start_thread(
        category, author, title, "Body", form_key=str(uuid.uuid4()), anonymous=anonymous
    )


def test_profile_lists_events_and_shows_posts_to_members_only(client, make_user, make_profile, sign_in):
    champion = make_user(role=Role.COORDINATOR, name="Ailsa Grant")
    profile = make_profile(user=champion)
    _event(champion, "Leading with compassion webinar")
    _post(champion, "How we started our champions group")
    _post(champion, "Something I would rather not sign", anonymous=True)

    anonymous_view = client.get(f"/champions/{profile.id}").get_data(as_text=True)
    assert "Leading with compassion webinar" in anonymous_view
    assert "How we started our champions group" not in anonymous_view

    sign_in(make_user())
    member_view = client.get(f"/champions/{profile.id}").get_data(as_text=True)
    assert "How we started our champions group" in member_view
    assert "Something I would rather not sign" not in member_view
