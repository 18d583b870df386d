"""Forms for the buddy settings, asking for a buddy, and a coordinator's pairing."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from champions.buddies.models import NOTE_MAX, ROADMAP_STAGES
from champions.forms import multiline_clean


class SettingsForm(FlaskForm):
    willing = BooleanField("I am happy to be another champion's buddy")
    roadmap_stage = RadioField(
        "How far has your organisation come with the Roadmap?",
        coerce=int,
        choices=[
            *(SelectChoice(value, label) for value, label in ROADMAP_STAGES.items()),
            SelectChoice(0, "I would rather not say"),
        ],
        default=0,
        validators=[Optional()],
    )


class AskForm(FlaskForm):
    different_sector = BooleanField("Someone in a different sector from mine")
    nearby = BooleanField("Someone nearby: in my NHS board or a neighbouring one")
    further_on = BooleanField("Someone further on with the Roadmap than my organisation")
    council_board = BooleanField("Someone in the health board for my council area")
    note = TextAreaField(
        "Anything else you would like a coordinator to know (optional)",
        filters=[multiline_clean],
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=f"Please keep this to {NOTE_MAX} characters or fewer"),
        ],
    )


class PairForm(FlaskForm):
    buddy_id = HiddenField(validators=[DataRequired("Choose who to pair them with")])

    def validate_buddy_id(self, field) -> None:
        """An id from the list: digits that fit the column (a forged huge number is refused, not a 500)."""
        value = str(field.data or "")
        if not value.isascii() or not value.isdigit() or int(value) >= 2**31:
            raise ValidationError("Choose who to pair them with")

    @property
    def buddy(self) -> int:
        return int(self.buddy_id.data)


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: withdrawing a request, ending a pairing."""
