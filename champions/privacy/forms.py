"""Forms for asking for a copy of one's data, downloading it, withdrawing consent and the DPO's requests."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from champions.forms import multiline_clean
from champions.once import FormKeyField
from champions.privacy.models import ConsentKind


class ConfirmForm(FlaskForm):
    """A button and its CSRF token, for a step that asks before it acts."""


class ExportRequestForm(FlaskForm):
    """Ask for a copy of one's data; the one-time key makes a second press of the button a no-op."""

    form_key = FormKeyField()


class WithdrawForm(FlaskForm):
    kind = HiddenField(validators=[DataRequired(), AnyOf([k.value for k in ConsentKind])])


class OfficerExportForm(FlaskForm):
    form_key = FormKeyField()
    reason = TextAreaField(
        "Why you need a copy of this person's data",
        filters=[multiline_clean],
        validators=[
            DataRequired("Say why you need a copy, for example the date of their subject access request."),
            Length(max=500, message="Please keep the reason to 500 characters or fewer."),
        ],
    )
