"""Fits its column: the longest value a form accepts, and every value composed from it, fits on PostgreSQL.

SQLite keeps a string of any length, so a form that accepts more than its column holds works in
development and fails with a 500 on PostgreSQL. These tests read the limits instead of relying on
the engine, so they fail the same way on both.
"""

import pytest
from form_fields import text_fields
from sqlalchemy import Column
from wtforms.validators import Length

from champions.accounts import sessions
from champions.accounts.models import Role, User
from champions.assessments.models import Action, Answer, Assessment, Domain, Invitation
from champions.audit import AuditEntry
from champions.buddies.models import BuddyRequest
from champions.casestudies.models import CaseStudy, Transition
from champions.directory.models import ChampionProfile
from champions.discussions.models import Category, Post, Report, Thread
from champions.events.models import Event, Feedback, Pledge, Registration
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.messages.models import Conversation, Message
from champions.privacy.models import DataExport
from champions.reference.models import Organisation
from champions.resources.models import Resource
from champions.returns.models import QuarterlyReturn

# The model a form saves to, matched by field name to its columns.
MODEL_OF_FORM = {
    "accounts.RegisterForm": User,
    "accounts.ProfileForm": User,
    "casestudies.CaseStudyForm": CaseStudy,
    "directory.ProfileForm": ChampionProfile,
    "discussions.PostForm": Post,
    "discussions.ThreadForm": Post,
    "discussions.EditForm": Post,
    "discussions.CategoryForm": Category,
    "events.EventForm": Event,
    "events.RegisterForm": Registration,
    "events.FeedbackForm": Feedback,
    "resources.ResourceForm": Resource,
    "returns.ReturnForm": QuarterlyReturn,
    "assessments.DomainForm": Answer,
    "assessments.InviteForm": Invitation,
}

# Fields saved under another name or in another table.
COLUMN_OF_FIELD = {
    "accounts.RegisterForm.organisation": Organisation.name,
    "accounts.ProfileForm.organisation": Organisation.name,
    "directory.ProfileForm.organisation": Organisation.name,
    "directory.DecisionForm.reason": ChampionProfile.decision_reason,
    "directory.RevokeForm.reason": ChampionProfile.decision_reason,
    "casestudies.ReviewForm.comment": Transition.comment,
    "casestudies.ReasonForm.reason": Transition.comment,
    "discussions.ThreadForm.title": Thread.title,
    "discussions.ReportForm.reason": Report.reason,
    "discussions.HideForm.reason": AuditEntry.detail,
    "lifecycle.CloseOnRequestForm.reason": AuditEntry.detail,
    "events.EmailForm.subject": OutboxMessage.subject,
    "events.EmailForm.body": OutboxMessage.body,
    "events.CancelForm.reason": OutboxMessage.body,
    "events.FeedbackForm.own_pledge": Pledge.text,
    "events.ReportForm.key_messages": Event.report_key_messages,
    "events.ReportForm.summary": Event.report_summary,
    "privacy.OfficerExportForm.reason": DataExport.reason,
    "messages.MessageForm.subject": Conversation.subject,
    "messages.MessageForm.body": Message.body,
    "messages.CoordinatorMessageForm.subject": Conversation.subject,
    "messages.CoordinatorMessageForm.body": Message.body,
    "messages.ReplyForm.body": Message.body,
    "messages.ReportForm.reason": Conversation.report_reason,
    "messages.CloseReportForm.note": AuditEntry.detail,
    "buddies.AskForm.note": BuddyRequest.note,
    "assessments.DomainForm.action1_description": Action.description,
    "assessments.DomainForm.action2_description": Action.description,
    "assessments.DomainForm.action3_description": Action.description,
    "assessments.ReopenForm.reason": Assessment.reopen_reason,
    # Its statement fields are added per domain (statement_<id>), each with STATEMENT_MAX, the column size.
    "assessments.DomainWordingForm.name": Domain.name,
    "assessments.ProposeOrganisationForm.name": Organisation.name,
}

# Fields that are read, never saved as typed.
NOT_SAVED = {
    "accounts.SignInForm.email": "looks an account up",
    "accounts.ResetRequestForm.email": "looks an account up",
    "accounts.CodeForm.code": "checked against the second factor, never stored",
    "directory.FilterForm.q": "search words",
    "dashboard.FilterForm.start": "a month to filter the figures by",
    "dashboard.FilterForm.end": "a month to filter the figures by",
    "events.EventForm.co_organisers": "email addresses of existing members",
    "casestudies.CaseStudyForm.topics": "split into tags, each cut to the 60 characters of Topic.name",
}

# Composed subjects: a prefix and the longest title the event form accepts.
EVENT_SUBJECTS = ["Cancelled: ", "A place has come up: ", "Reminder: "]


def _limit(unbound) -> int | None:
    limits = [v.max for v in unbound.kwargs.get("validators", ()) if isinstance(v, Length) and v.max >= 0]
    return min(limits, default=None)


def _column(key: str) -> Column | None:
    if key in COLUMN_OF_FIELD:
        return COLUMN_OF_FIELD[key].property.columns[0]
    form, _, name = key.rpartition(".")
    model = MODEL_OF_FORM.get(form)
    return model.__table__.c.get(name) if model is not None else None


def _length(column: Column) -> int | None:
    return getattr(column.type, "length", None)


def test_every_saved_text_field_fits_its_column():
    problems = []
    for key, _form, _name, unbound in text_fields():
        if key in NOT_SAVED:
            continue
        column = _column(key)
        if column is None:
            problems.append(f"{key}: which column is it saved to? Add it to COLUMN_OF_FIELD or NOT_SAVED")
        elif _length(column) is not None and not (_limit(unbound) or 0) > 0:
            problems.append(f"{key} has no Length(max=...) but {column} holds {_length(column)}")
        elif _length(column) is not None and _limit(unbound) > _length(column):
            problems.append(f"{key} accepts {_limit(unbound)} but {column} holds {_length(column)}")
    assert problems == []


def test_the_tables_name_only_fields_that_exist():
    keys = {key for key, *_ in text_fields()}
    assert set(COLUMN_OF_FIELD) - keys == set()
    assert set(NOT_SAVED) - keys == set()


def _event_title_limit() -> int:
    return next(_limit(unbound) for key, _, _, unbound in text_fields() if key == "events.EventForm.title")


@pytest.mark.parametrize("prefix", EVENT_SUBJECTS)
def test_event_subjects_fit_the_outbox(prefix):
    longest = Event(title="T" * _event_title_limit()).subject(prefix)
    assert len(longest) <= _length(OutboxMessage.subject.property.columns[0])


def test_cancelling_an_event_with_the_longest_title_tells_everyone(app, make_user):
    organiser, member = app.test_client(), app.test_client()
    for client, role in ((organiser, Role.COORDINATOR), (member, Role.MEMBER)):
        user = make_user(role=role)
        user.session_record_id = sessions.start(user, "password", False, "").id  # as signing in makes
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.get_id(), True
    title = "T" * _event_title_limit()
    organiser.post(
        "/events/new",
        data={
            "title": title,
            "description": "Learn.",
            "event_type": "deep-dive",
            "format": "online",
            "joining_link": "https://meet.example.org/room",
            "start_date": "2037-03-04",
            "start_time": "09:30",
            "end_date": "2037-03-04",
            "end_time": "12:30",
        },
    )
    event = db.session.scalar(db.select(Event))
    organiser.post(f"/events/{event.id}/publish")
    assert member.post(f"/events/{event.id}/register", data={}).status_code == 302
    response = organiser.post(f"/events/{event.id}/cancel", data={"reason": "R" * 2000})
    assert response.status_code == 302
    db.session.rollback()
    subjects = db.session.scalars(db.select(OutboxMessage.subject)).all()
    assert subjects and all(len(s) <= _length(OutboxMessage.subject.property.columns[0]) for s in subjects)
