"""Reminders before an event and follow-ups on pledges after it: each sent once only."""

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from champions import mail
from champions.clock import utcnow
from champions.events.models import (
    ANSWER_LABELS,
    Event,
    EventStatus,
    Feedback,
    Pledge,
    PledgeFollowup,
    PledgeProgress,
    Registration,
    RegistrationStatus,
    ReminderSent,
)
from champions.extensions import db
from champions.links import external_url
from champions.savepoints import insert_once

REMINDER_DAYS = (7, 1)
FOLLOWUP_DAYS = (30, 90)
TOKEN_MAX_AGE = 60 * 60 * 24 * 120  # long enough to answer the 90-day email a month late
STOP = "stop"
# The feedback invitation is recorded as a reminder "1 day after" (days_before -1) so that the unique
# (registration_id, days_before) row makes it once-only without a new table (no migrations this round).
FEEDBACK_INVITATION = -1
INVITE_WITHIN = timedelta(days=14)  # a first run, or one after an outage, does not invite for old events


class TokenInvalid(Exception):
    """The link was altered or has expired."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="events.pledge")


def pledge_token(pledge: Pledge, answer: str) -> str:
    """Sign a one-click answer to a pledge follow-up."""
    return _serializer().dumps({"p": pledge.id, "a": answer})


def read_token(token: str) -> tuple[Pledge, str]:
    """Return the pledge and answer a signed link carries, or raise TokenInvalid."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except (BadSignature, SignatureExpired) as error:
        raise TokenInvalid from error
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        raise TokenInvalid
    answer = data.get("a")
    pledge = db.session.get(Pledge, data["p"])
    if pledge is None or (answer not in ANSWER_LABELS and answer != STOP):
        raise TokenInvalid
    return pledge, answer


def record_answer(pledge: Pledge, answer: str) -> None:
    """Note how the pledged action is going, or stop its follow-ups; repeating an answer changes nothing."""
    if answer == STOP:
        if pledge.followups_stopped:
            return
        pledge.followups_stopped = True
    else:
        if pledge.progress == answer:
            return
        pledge.progress, pledge.progress_at = answer, utcnow()
    db.session.commit()


def send_reminders(now: datetime | None = None) -> int:
    """Queue the 7-day and 1-day reminders that are due; return how many were queued."""
    now = now or utcnow()
    registrations = db.session.scalars(
        select(Registration)
        .join(Registration.event)
        .options(joinedload(Registration.user), joinedload(Registration.event))
        .where(
            Event.status == EventStatus.PUBLISHED.value,
            Event.starts_at > now,
            Event.starts_at <= now + timedelta(days=max(REMINDER_DAYS)),
            Registration.status == RegistrationStatus.CONFIRMED.value,
        )
    ).all()
    sent = {
        (r.registration_id, r.days_before)
        for r in db.session.scalars(
            select(ReminderSent).where(ReminderSent.registration_id.in_([r.id for r in registrations]))
        )
    }
    queued = 0
    for registration in registrations:
        days = min(d for d in REMINDER_DAYS if registration.event.starts_at <= now + timedelta(days=d))
        if (registration.id, days) in sent or not insert_once(
            ReminderSent(registration_id=registration.id, days_before=days)
        ):
            continue
        event = registration.event
        mail.queue(
            registration.user.email,
            event.subject("Reminder: "),
            "events/event_reminder",
            user=registration.user,
            event=event,
            days=days,
            event_url=external_url("events.detail", event_id=event.id),
        )
        queued += 1
    db.session.commit()
    return queued


def send_feedback_invitations(now: datetime | None = None) -> int:
    """Invite each person marked as attended to give feedback once the event ends; return how many."""
    now = now or utcnow()
    registrations = db.session.scalars(
        select(Registration)
        .join(Registration.event)
        .options(joinedload(Registration.user), joinedload(Registration.event))
        .where(
            Event.status == EventStatus.PUBLISHED.value,
            Event.ends_at <= now,
            Event.ends_at > now - INVITE_WITHIN,
            Registration.status == RegistrationStatus.CONFIRMED.value,
            Registration.attended.is_(True),
            Registration.feedback_given.is_(False),
            ~select(ReminderSent.id)
            .where(
                ReminderSent.registration_id == Registration.id,
                ReminderSent.days_before == FEEDBACK_INVITATION,
            )
            .exists(),
        )
    ).all()
    queued = 0
    for registration in registrations:
        if not insert_once(ReminderSent(registration_id=registration.id, days_before=FEEDBACK_INVITATION)):
            continue
        event = registration.event
        mail.queue(
            registration.user.email,
            event.subject("Tell us how it went: "),
            "events/feedback_invitation",
            user=registration.user,
            event=event,
            feedback_url=external_url("events.feedback", event_id=event.id),
        )
        queued += 1
    db.session.commit()
    return queued


def send_followups(now: datetime | None = None) -> int:
    """Queue the 30-day and 90-day pledge follow-ups that are due; return how many were queued."""
    now = now or utcnow()
    pledges = db.session.scalars(
        select(Pledge)
        .join(Pledge.feedback)
        .options(joinedload(Pledge.user), joinedload(Pledge.feedback))
        .where(
            Pledge.user_id.is_not(None),
            Pledge.followups_stopped.is_(False),
            Pledge.progress.is_distinct_from(PledgeProgress.DONE.value),
            Feedback.created_at <= now - timedelta(days=min(FOLLOWUP_DAYS)),
        )
    ).all()
    sent = {
        (f.pledge_id, f.days_after)
        for f in db.session.scalars(
            select(PledgeFollowup).where(PledgeFollowup.pledge_id.in_([p.id for p in pledges]))
        )
    }
    events = {
        e.id: e
        for e in db.session.scalars(select(Event).where(Event.id.in_({p.feedback.event_id for p in pledges})))
    }
    queued = 0
    for pledge in pledges:
        age = now - pledge.feedback.created_at
        days = max(d for d in FOLLOWUP_DAYS if age >= timedelta(days=d))
        if (pledge.id, days) in sent or not insert_once(PledgeFollowup(pledge_id=pledge.id, days_after=days)):
            continue
        links = {
            answer: external_url("events.pledge_answer", token=pledge_token(pledge, answer))
            for answer in [*ANSWER_LABELS, STOP]
        }
        mail.queue(
            pledge.user.email,
            "How is your action going?",
            "events/pledge_followup",
            user=pledge.user,
            pledge=pledge,
            event=events[pledge.feedback.event_id],
            days=days,
            links=links,
            labels=ANSWER_LABELS,
        )
        queued += 1
    db.session.commit()
    return queued
