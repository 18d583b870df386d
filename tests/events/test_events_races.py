"""An organiser's publish, cancel or report choice sent twice at once acts once (one audit entry, and
each person told once): the other request commits between this one's checks and its first write
(tests/straddle.py). Removing a resource twice at once removes it once."""

import pytest
from sqlalchemy import func, select, update

from champions.accounts.models import Role
from champions.audit import AuditEntry
from champions.clock import utcnow
from champions.events import services
from champions.events.models import Event, EventStatus, Registration
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.resources import services as resource_services
from champions.resources.models import Resource
from tests.straddle import other_commits_first


def _set(event_id: int, **values):
    table = Event.__table__
    return lambda other: other.execute(update(table).where(table.c.id == event_id).values(**values))


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_same_cancel_sent_twice_at_once_tells_each_person_once(make_event, make_user, coordinator):
    event = make_event()
    for _ in range(2):
        services.register(event, make_user())
    assert event.status == EventStatus.PUBLISHED  # read before the other sending's cancel committed
    emails = _count(OutboxMessage)
    with other_commits_first(_set(event.id, status=EventStatus.CANCELLED.value)):
        told = services.cancel_event(coordinator, event, "The trainer is ill")
    assert told is None and _count(OutboxMessage) == emails
    assert _count(AuditEntry, AuditEntry.action == "event.cancel") == 0


def test_a_second_cancel_sent_at_once_is_told_the_event_is_cancelled(client, as_role, make_event):
    organiser = as_role(Role.COORDINATOR)
    event = make_event(owner=organiser)
    assert event.status == EventStatus.PUBLISHED
    with other_commits_first(_set(event.id, status=EventStatus.CANCELLED.value)):
        response = client.post(f"/events/{event.id}/cancel", data={"reason": ""}, follow_redirects=True)
    assert "This event is already cancelled." in response.get_data(as_text=True)


def test_the_same_publish_sent_twice_at_once_is_audited_once(make_event, coordinator):
    event = make_event(publish=False)
    assert event.status == EventStatus.DRAFT
    with other_commits_first(_set(event.id, status=EventStatus.PUBLISHED.value)):
        services.publish_event(coordinator, event)
    assert _count(AuditEntry, AuditEntry.action == "event.publish") == 0
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.PUBLISHED


def test_the_same_report_publish_sent_twice_at_once_is_audited_once(make_event, coordinator):
    event = make_event()
    assert event.report_published_at is None
    with other_commits_first(_set(event.id, report_published_at=utcnow())):
        services.save_report_text(coordinator, event, "Key", "Summary", publish=True)
    assert _count(AuditEntry, AuditEntry.action == "event.report.publish") == 0
    assert event.report_summary == "Summary" and event.report_published_at is not None


def test_the_same_removal_of_a_resource_sent_twice_at_once_removes_and_audits_once(make_resource, make_user):
    coordinator = make_user(role=Role.COORDINATOR)
    resource = make_resource()
    assert resource.title
    table = Resource.__table__
    with other_commits_first(lambda other: other.execute(table.delete().where(table.c.id == resource.id))):
        resource_services.delete_resource(coordinator, resource)
    assert _count(AuditEntry, AuditEntry.action == "resource.delete") == 0


def test_a_registration_for_an_event_cancelled_a_moment_before_is_refused(make_event, make_user):
    event, person = make_event(), make_user()
    assert not event.registration_closed_reason(utcnow())  # read before the cancel committed
    with (
        other_commits_first(_set(event.id, status=EventStatus.CANCELLED.value)),
        pytest.raises(services.RegistrationClosed),
    ):
        services.register(event, person)
    assert _count(Registration) == 0


def _someone_else_took(event_id: int, user_id: int, status: str = "confirmed"):
    table = Registration.__table__
    row = {"event_id": event_id, "user_id": user_id, "status": status, "needs": "", "attended": False}
    return lambda other: other.execute(
        table.insert().values(**row, feedback_given=False, created_at=utcnow(), updated_at=utcnow())
    )


def test_the_last_place_taken_by_someone_else_a_moment_before_puts_this_person_on_the_waiting_list(
    make_event, make_user
):
    """Both engines: the seats are counted after the event is held (FOR UPDATE, or SQLite's write lock)."""
    event, first, second = make_event(capacity=1), make_user(), make_user()
    assert event.capacity == 1 and not event.registration_closed_reason(utcnow())
    with other_commits_first(_someone_else_took(event.id, first.id)):
        registration = services.register(event, second)
    assert registration.status == "waitlisted"
    confirmed = _count(Registration, Registration.event_id == event.id, Registration.status == "confirmed")
    assert confirmed == 1


def test_a_freed_place_is_given_once_when_two_cancel_at_once(make_event, make_user):
    """Two people cancel at the same moment with one waiting: the one waiting gets one seat, not two."""
    event = make_event(capacity=2)
    first, second, waiting = make_user(), make_user(), make_user()
    mine = services.register(event, first)
    services.register(event, second)
    services.register(event, waiting)
    assert mine.status == "confirmed"  # read as holding a seat before the other cancel committed
    table = Registration.__table__

    def the_other_cancels(other):
        other.execute(
            update(table)
            .where(table.c.event_id == event.id, table.c.user_id == second.id)
            .values(status="cancelled")
        )
        other.execute(
            update(table)
            .where(table.c.event_id == event.id, table.c.user_id == waiting.id)
            .values(status="confirmed")
        )

    with other_commits_first(the_other_cancels):
        services.cancel_registration(mine)
    query = select(Registration.user_id, Registration.status).where(Registration.event_id == event.id)
    statuses = {user_id: status for user_id, status in db.session.execute(query)}
    assert statuses == {first.id: "cancelled", second.id: "cancelled", waiting.id: "confirmed"}
