"""Forms for closing an account: the owner's confirmation and an admin's reason."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, TextAreaField
from wtforms.validators import DataRequired, Length

from champions.forms import clean_text, no_control_characters

PASSWORD_MAX = 256  # as long as any password the accounts feature accepts


class CloseAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[
            DataRequired("Enter your password to confirm that you want to close your account"),
            Length(max=PASSWORD_MAX, message="That is not your password. Please try again."),
        ],
    )
    delete_posts = BooleanField("Delete my discussion posts too")


class CloseConfirmedForm(FlaskForm):
    """Closing for a person with no password, who confirms by signing in again with their organisation."""

    delete_posts = BooleanField("Delete my discussion posts too")


class CloseOnRequestForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        filters=[clean_text],
        validators=[
            DataRequired("Enter the reason, such as how and when the person asked"),
            Length(max=500, message="The reason can be up to 500 characters"),
            no_control_characters,
        ],
    )
