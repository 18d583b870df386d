"""The form coordinators use to add or change a catalogue entry."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, URLField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional

from champions.forms import clean_text, multiline_clean, no_control_characters
from champions.once import FormKeyField
from champions.reference.services import implementation_domains, levels
from champions.resources.models import FORMAT_LABELS
from champions.versions import VersionField


class ResourceForm(FlaskForm):
    version = VersionField()
    form_key = FormKeyField()  # shown only on the new-resource form
    title = StringField(
        "Title",
        filters=[clean_text],
        validators=[
            DataRequired("Enter a title"),
            Length(max=200, message="The title can be up to 200 characters"),
            no_control_characters,
        ],
    )
    provider = StringField(
        "Provider",
        filters=[clean_text],
        validators=[
            DataRequired("Enter who provides it, for example NHS Education for Scotland"),
            Length(max=200, message="The provider can be up to 200 characters"),
            no_control_characters,
        ],
    )
    format = SelectField("Format", validate_choice=False)
    levels = SelectMultipleField("NTTP practice levels", validators=[Optional()], validate_choice=False)
    domains = SelectMultipleField("Implementation domains", validators=[Optional()], validate_choice=False)
    url = URLField(
        "Web address",
        filters=[clean_text],
        validators=[
            DataRequired("Enter the web address, starting with https://"),
            Length(max=500, message="The web address can be up to 500 characters"),
            URL(require_tld=True, message="Enter a full web address, starting with https://"),
        ],
    )
    description = TextAreaField(
        "Description",
        filters=[multiline_clean],
        validators=[Optional(), Length(max=5000, message="The description can be up to 5,000 characters")],
    )

    def load_choices(self) -> None:
        self.format.choices = [SelectChoice("", "Choose a format")] + [
            SelectChoice(key.value, label) for key, label in FORMAT_LABELS.items()
        ]
        self.levels.choices = [SelectChoice(level.slug, level.name) for level in levels()]
        self.domains.choices = [SelectChoice(d.slug, d.name) for d in implementation_domains()]

    def validate_format(self, field) -> None:
        if field.data not in {key.value for key in FORMAT_LABELS}:
            raise ValidationError("Choose a format")

    def validate_levels(self, field) -> None:
        known = {choice.value for choice in self.levels.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError("Choose practice levels from the list")

    def validate_domains(self, field) -> None:
        known = {choice.value for choice in self.domains.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError("Choose implementation domains from the list")

    def validate_url(self, field) -> None:
        if not (field.data or "").lower().startswith(("https://", "http://")):
            raise ValidationError("Enter a full web address, starting with https://")

    def values(self) -> dict:
        return {
            "title": self.title.data,
            "provider": self.provider.data,
            "format": self.format.data,
            "url": self.url.data,
            "description": self.description.data or "",
            "levels": list(self.levels.data or []),
            "domains": list(self.domains.data or []),
        }
