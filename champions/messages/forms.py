"""Forms for writing, replying, reporting, closing a report and mail settings."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from champions.forms import clean_text, multiline_clean, no_control_characters
from champions.messages.models import BODY_MAX, REASON_MAX, SUBJECT_MAX
from champions.once import FormKeyField


def _body() -> TextAreaField:
    return TextAreaField(
        "Your message",
        filters=[multiline_clean],
        validators=[
            DataRequired("Write your message before sending it"),
            Length(max=BODY_MAX, message=f"Messages can be up to {BODY_MAX:,} characters. Please shorten it"),
        ],
    )


class ReplyForm(FlaskForm):
    body = _body()
    form_key = FormKeyField()


class MessageForm(ReplyForm):
    subject = StringField(
        "Subject",
        filters=[clean_text],
        validators=[
            DataRequired("Enter a subject, a few words about what you would like to talk about"),
            Length(max=SUBJECT_MAX, message=f"Keep the subject to {SUBJECT_MAX} characters or fewer"),
            no_control_characters,
        ],
    )


class CoordinatorMessageForm(MessageForm):
    coordinator = RadioField(
        "Which coordinator would you like to write to?", coerce=int, validate_choice=True
    )

    def load_choices(self, coordinators) -> None:
        self.coordinator.choices = [
            (c.id, f"{c.name}, {c.workplace_label}" if c.workplace_label else c.name) for c in coordinators
        ]
        if len(coordinators) == 1 and self.coordinator.data is None:
            self.coordinator.data = coordinators[0].id


class ReportForm(FlaskForm):
    reason = TextAreaField(
        "What worries you about this conversation?",
        filters=[multiline_clean],
        validators=[
            DataRequired("Tell us a little about what worries you, so a coordinator knows what to look for"),
            Length(max=REASON_MAX, message=f"Keep this to {REASON_MAX:,} characters or fewer"),
        ],
    )


class CloseReportForm(FlaskForm):
    note = StringField(
        "Note for the audit log (optional)",
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=200, message="Keep the note to 200 characters or fewer"),
            no_control_characters,
        ],
    )


class SettingsForm(FlaskForm):
    email_on = BooleanField("Email me when someone sends me a message")
    contact_on = BooleanField("Let members start conversations with me from my directory profile")
