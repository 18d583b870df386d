"""Forms for registering, signing in, second-factor codes, passwords, profiles and roles."""

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from champions import versions
from champions.accounts import passwords
from champions.accounts.models import User
from champions.accounts.services import password_context, workplace_value
from champions.forms import clean_text, no_control_characters, single_line
from champions.reference.services import workplace_choices
from champions.versions import VersionField

EMAIL_REQUIRED = "Enter your email address"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.org"


def _email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label,
        filters=[clean_text],
        validators=[
            DataRequired(EMAIL_REQUIRED),
            Length(max=254, message="Email addresses can be up to 254 characters"),
            Email(EMAIL_FORMAT, check_deliverability=False),
        ],
    )


def _name_field() -> StringField:
    return StringField(
        "Full name",
        filters=[clean_text],
        validators=[
            DataRequired("Enter your name"),
            Length(max=120, message="Your name can be up to 120 characters"),
            no_control_characters,
        ],
    )


def _organisation_field() -> StringField:
    return StringField(
        "Organisation",
        filters=[clean_text],
        validators=[
            DataRequired("Enter the organisation you work for"),
            Length(max=200, message="The organisation name can be up to 200 characters"),
            no_control_characters,
        ],
    )


def _workplace_field() -> SelectField:
    return SelectField(
        "Council area or NHS board you work in",
        validators=[
            InputRequired("Choose the council area or NHS board you work in"),
        ],
        validate_choice=True,
    )


class WorkplaceMixin:
    def load_choices(self) -> None:
        self.workplace.choices = workplace_choices()

    def validate_workplace(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the council area or NHS board you work in")


class RegisterForm(WorkplaceMixin, FlaskForm):
    name = _name_field()
    email = _email_field()
    organisation = _organisation_field()
    workplace = _workplace_field()
    password = PasswordField("Create a password", validators=[DataRequired("Create a password")])

    def validate_email(self, field) -> None:
        allowed = current_app.config["REGISTRATION_EMAIL_DOMAINS"]
        domain = field.data.rpartition("@")[2].lower()
        if allowed and not any(domain == d or domain.endswith("." + d) for d in allowed):
            raise ValidationError(
                "Registration is open to addresses ending in "
                + ", ".join(allowed)
                + ". Please use your work email address."
            )

    def validate_password(self, field) -> None:
        context = password_context(self.name.data or "", self.email.data or "", self.organisation.data or "")
        problem = passwords.password_problem(field.data, context)
        if problem:
            raise ValidationError(problem)


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Enter your password"),
            Length(
                max=passwords.MAX_LENGTH, message=f"Passwords are up to {passwords.MAX_LENGTH} characters"
            ),
        ],
    )
    remember = BooleanField("Keep me signed in on this device for 30 days")


class ConfirmForm(FlaskForm):
    """A button and its CSRF token, for a step that asks before it acts."""


class CodeForm(FlaskForm):
    """A code from the authenticator app, or (when signing in) one of the recovery codes."""

    code = StringField(
        "Code",
        filters=[clean_text],
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(
                max=40,
                message="Enter the 6-digit code from your app, or a recovery code like abcd-efgh-jkmn-pqrs",
            ),
            single_line,
        ],
    )


class ResetRequestForm(FlaskForm):
    email = _email_field()


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Enter a new password")])

    def __init__(self, *args, context: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._context = context or []

    def validate_password(self, field) -> None:
        problem = passwords.password_problem(field.data, self._context)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Current password",
        validators=[
            DataRequired("Enter your current password"),
            Length(max=passwords.MAX_LENGTH, message="That is not your current password"),
        ],
    )


class ProfileForm(WorkplaceMixin, FlaskForm):
    version = VersionField()
    name = _name_field()
    organisation = _organisation_field()
    workplace = _workplace_field()


def profile_data(user: User) -> dict[str, str]:
    """Return the profile form's starting values as the text its fields hold."""
    # Not obj=user: the organisation is a relationship, and the field's text filter cannot read a model.
    return {
        "name": user.name,
        "organisation": user.organisation.name if user.organisation else "",
        "workplace": workplace_value(user),
    }


def profile_matches(form: ProfileForm, user: User) -> bool:
    """Say whether the form holds exactly the saved details, as when one save is sent twice."""
    return all(form[name].data == value for name, value in profile_data(user).items())


def profile_changes(form: ProfileForm, user: User) -> list[tuple[str, object]]:
    """Return the saved details that differ from what the person typed, for a refused stale save."""
    saved = profile_data(user)  # the workplace is left out: its stored value is a code, not words
    return versions.changes(
        {form[name].label.text: (form[name].data, saved[name]) for name in ("name", "organisation")}
    )
