"""Forms for posts, reports, moderation, categories and mail settings."""

import uuid

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from champions.discussions.models import BODY_MAX, EMAIL_MODE_LABELS, Category
from champions.forms import clean_text, multiline_clean, no_control_characters
from champions.versions import VersionField

TITLE_MAX = 200


def _is_uuid(form, field) -> None:
    try:
        uuid.UUID(field.data or "")
    except ValueError as error:
        raise ValidationError(
            "This form has expired. Please copy your words, reload the page and try again."
        ) from error


def _canonical_uuid(value: str | None) -> str | None:
    """Spell a UUID the one 36-character way, so urn:uuid: or braces fit the column and match."""
    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        return value


def _body() -> TextAreaField:
    return TextAreaField(
        "Your post",
        filters=[multiline_clean],
        validators=[
            DataRequired("Write your post before sending it"),
            Length(max=BODY_MAX, message=f"Posts can be up to {BODY_MAX:,} characters. Please shorten it"),
        ],
    )


def _content_note() -> StringField:
    return StringField(
        "Content note (optional)",
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=120, message="Keep the content note to 120 characters or fewer"),
            no_control_characters,
        ],
    )


class PostForm(FlaskForm):
    body = _body()
    content_note = _content_note()
    anonymous = BooleanField("Post anonymously")
    form_key = HiddenField(validators=[_is_uuid], filters=[_canonical_uuid])

    def ensure_form_key(self) -> None:
        """Give the form a one-time key, or a fresh one when the sent key was missing or odd."""
        if not self.form_key.data or self.form_key.errors:
            self.form_key.data = str(uuid.uuid4())


class ThreadForm(PostForm):
    title = StringField(
        "Title",
        filters=[clean_text],
        validators=[
            DataRequired("Give your thread a title"),
            Length(max=TITLE_MAX, message=f"Titles can be up to {TITLE_MAX} characters"),
            no_control_characters,
        ],
    )
    body = _body()
    content_note = _content_note()
    anonymous = BooleanField("Post anonymously")
    form_key = HiddenField(validators=[_is_uuid], filters=[_canonical_uuid])


class EditForm(FlaskForm):
    version = VersionField()
    body = _body()
    content_note = _content_note()


class ReportForm(FlaskForm):
    reason = TextAreaField(
        "What is the problem with this post?",
        filters=[multiline_clean],
        validators=[
            DataRequired("Tell us briefly what the problem is"),
            Length(max=2000, message="Please keep this to 2,000 characters or fewer"),
        ],
    )


class HideForm(FlaskForm):
    reason = StringField(
        "Reason (shared with the author)",
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=500, message="Please keep the reason to 500 characters or fewer"),
            no_control_characters,
        ],
    )


class MoveForm(FlaskForm):
    # No "required": a select always has a value, and HTML forbids it without a blank option.
    category = SelectField("Move to category", coerce=int, validate_choice=True)

    def load_choices(self, categories: list[Category]) -> None:
        self.category.choices = [SelectChoice(c.id, c.name) for c in categories]


class CategoryForm(FlaskForm):
    version = VersionField()
    name = StringField(
        "Name",
        filters=[clean_text],
        validators=[
            DataRequired("Enter a name"),
            Length(max=80, message="Names can be up to 80 characters"),
            no_control_characters,
        ],
    )
    description = TextAreaField(
        "Description",
        filters=[multiline_clean],
        validators=[
            Optional(),
            Length(max=1000, message="Descriptions can be up to 1,000 characters"),
        ],
    )
    position = IntegerField(
        "Order (lower numbers come first)",
        default=0,
        validators=[
            InputRequired("Enter a whole number, like 10"),
            NumberRange(min=0, max=10_000, message="Enter a whole number between 0 and 10,000"),
        ],
    )


class SettingsForm(FlaskForm):
    email_mode = RadioField(
        "Email me about discussions",
        validators=[InputRequired("Choose how often")],
        choices=[SelectChoice(k.value, v) for k, v in EMAIL_MODE_LABELS.items()],
    )
    auto_follow = BooleanField("Follow threads I start or reply to")
