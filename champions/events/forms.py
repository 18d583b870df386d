"""Forms for events: create and edit, register, email, feedback and the learning report."""

from datetime import UTC, date, datetime, time

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from champions import versions
from champions.accounts.services import user_by_email
from champions.clock import LONDON, utcnow
from champions.events.models import FORMAT_LABELS, PLEDGE_CHOICES, RATING_LABELS, TYPE_LABELS, EventFormat
from champions.forms import clean_text, multiline_clean, no_control_characters
from champions.once import FormKeyField
from champions.reference.services import council_areas, implementation_domains, levels, sectors
from champions.resources.queries import all_resources, resources_by_ids
from champions.resources.services import levels_by_slugs
from champions.versions import VersionField

MAX_CAPACITY = 5000
GAP = "{} does not exist in the UK on that day, because the clocks go forward. Choose a time after 2am."
AMBIGUOUS = (
    "{} happens twice in the UK on that day, because the clocks go back. "
    "Choose a time before 1am or from 2am."
)


class TimeDoesNotExist(ValueError):
    """The clocks go forward over this time (the spring-forward gap)."""


class TimeIsAmbiguous(ValueError):
    """The clocks go back over this time, so it happens twice (the autumn hour)."""


def london_to_utc(day: date, clock_time: time) -> datetime:
    """Return naive UTC for a Europe/London wall-clock time, or raise if it is not one moment."""
    local = datetime.combine(day, clock_time).replace(tzinfo=LONDON)
    round_trip = local.astimezone(UTC).astimezone(LONDON)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TimeDoesNotExist
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        raise TimeIsAmbiguous
    return local.astimezone(UTC).replace(tzinfo=None)


def utc_to_london_parts(moment: datetime) -> tuple[date, time]:
    """Split stored UTC into the date and time a person in Scotland would type."""
    local = moment.replace(tzinfo=UTC).astimezone(LONDON)
    return local.date(), local.time().replace(tzinfo=None, second=0, microsecond=0)


def _text(label: str, required: str | None, limit: int):
    checks = [DataRequired(required)] if required else []
    return StringField(
        label,
        filters=[clean_text],
        validators=[
            *checks,
            Length(max=limit, message=f"{label} can be up to {limit:,} characters"),
            no_control_characters,
        ],
    )


def _long_text(label: str, limit: int = 10_000, required: str | None = None):
    checks = [DataRequired(required)] if required else []
    return TextAreaField(
        label,
        filters=[multiline_clean],
        validators=[*checks, Length(max=limit, message=f"{label} can be up to {limit:,} characters")],
    )


class EventForm(FlaskForm):
    version = VersionField()
    form_key = FormKeyField()  # shown only on the new-event form
    title = _text("Title", "Enter a title for the event", 200)
    description = _long_text("Description", 20_000, "Describe the event")
    event_type = SelectField("Type of event", validate_choice=False)
    levels = SelectMultipleField("NTTP practice levels", validate_choice=False)
    sectors = SelectMultipleField("Sectors it is for", validate_choice=False)
    domains = SelectMultipleField("Implementation domains it helps with", validate_choice=False)
    resources = SelectMultipleField("Linked resources", validate_choice=False)
    start_date = DateField("Start date", validators=[InputRequired("Enter the start date, like 2027-03-04")])
    start_time = TimeField("Start time", validators=[InputRequired("Enter the start time, like 09:30")])
    end_date = DateField("End date", validators=[InputRequired("Enter the end date, like 2027-03-04")])
    end_time = TimeField("End time", validators=[InputRequired("Enter the end time, like 12:30")])
    deadline_date = DateField("Registration deadline date", validators=[Optional()])
    deadline_time = TimeField("Registration deadline time", validators=[Optional()])
    format = RadioField(
        "Format", validate_choice=False, choices=[SelectChoice(k.value, v) for k, v in FORMAT_LABELS.items()]
    )
    joining_link = URLField(
        "Joining link",
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=500, message="The joining link can be up to 500 characters"),
            URL(message="Enter the full joining link, starting with https://"),
        ],
    )
    venue = _text("Venue", None, 200)
    address = _long_text("Address", 1000)
    council_area = SelectField("Council area", validate_choice=False)
    accessibility = _long_text("Accessibility information", 5000)
    capacity = IntegerField("Capacity", validators=[Optional()])
    co_organisers = _long_text("Co-organisers", 2000)

    def load_choices(self) -> None:
        self.event_type.choices = [SelectChoice("", "Choose a type")] + [
            SelectChoice(k.value, v) for k, v in TYPE_LABELS.items()
        ]
        self.levels.choices = [SelectChoice(x.slug, x.name) for x in levels()]
        self.sectors.choices = [SelectChoice(x.slug, x.name) for x in sectors()]
        self.domains.choices = [SelectChoice(x.slug, x.name) for x in implementation_domains()]
        self.resources.choices = [SelectChoice(str(x.id), x.title) for x in all_resources()]
        self.council_area.choices = [SelectChoice("", "Choose a council area")] + [
            SelectChoice(x.slug, x.name) for x in council_areas()
        ]

    def _known(self, field, message: str) -> None:
        known = {choice.value for choice in field.choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in known for value in values):
            raise ValidationError(message)

    def validate_event_type(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the type of event")
        self._known(field, "Choose the type of event from the list")

    def validate_levels(self, field) -> None:
        self._known(field, "Choose practice levels from the list")

    def validate_sectors(self, field) -> None:
        self._known(field, "Choose sectors from the list")

    def validate_domains(self, field) -> None:
        self._known(field, "Choose implementation domains from the list")

    def validate_resources(self, field) -> None:
        self._known(field, "Choose resources from the catalogue")

    def validate_format(self, field) -> None:
        if field.data not in {k.value for k in FORMAT_LABELS}:
            raise ValidationError("Choose whether the event is online, in person or hybrid")

    def validate_council_area(self, field) -> None:
        if field.data:
            self._known(field, "Choose a council area from the list")
        elif self.format.data in (EventFormat.IN_PERSON, EventFormat.HYBRID):
            raise ValidationError("Choose the council area the venue is in")

    def validate_venue(self, field) -> None:
        if not field.data and self.format.data in (EventFormat.IN_PERSON, EventFormat.HYBRID):
            raise ValidationError("Enter the name of the venue")

    def validate_joining_link(self, field) -> None:
        if field.data and not field.data.lower().startswith("https://"):
            raise ValidationError("Enter the full joining link, starting with https://")

    def validate_capacity(self, field) -> None:
        if field.data is not None and not 1 <= field.data <= MAX_CAPACITY:
            raise ValidationError(
                f"Capacity must be a whole number from 1 to {MAX_CAPACITY:,}, or leave it empty for no limit"
            )

    def _moment(self, date_field, time_field, what: str):
        try:
            return london_to_utc(date_field.data, time_field.data)
        except TimeDoesNotExist:
            time_field.errors.append(GAP.format(f"The {what} time"))
        except TimeIsAmbiguous:
            time_field.errors.append(AMBIGUOUS.format(f"The {what} time"))
        return None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.start_date.errors or self.start_time.errors or self.end_date.errors or self.end_time.errors:
            return False
        self.starts_at = self._moment(self.start_date, self.start_time, "start")
        self.ends_at = self._moment(self.end_date, self.end_time, "end")
        self.deadline = None
        if bool(self.deadline_date.data) != bool(self.deadline_time.data):
            self.deadline_time.errors.append("Enter both a date and a time for the deadline, or neither")
        elif self.deadline_date.data:
            self.deadline = self._moment(self.deadline_date, self.deadline_time, "deadline")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            self.end_time.errors.append("The end must be after the start")
        if self.starts_at and self.is_new and self.starts_at <= utcnow():
            self.start_date.errors.append("The start must be in the future for a new event")
        if self.deadline and self.starts_at and self.deadline > self.starts_at:
            self.deadline_time.errors.append("The registration deadline must be before the event starts")
        return valid and not any(f.errors for f in self)

    is_new = True
    co_organiser_users: list = []

    def validate_co_organisers(self, field) -> None:
        text = (field.data or "").replace(",", "\n").replace(";", "\n")
        emails = sorted({line.strip().lower() for line in text.splitlines() if line.strip()})
        self.co_organiser_users = [user_by_email(email) for email in emails]
        missing = [email for email, user in zip(emails, self.co_organiser_users, strict=True) if user is None]
        if missing:
            raise ValidationError(
                "We could not find a member with the email address "
                + ", ".join(missing)[:300]
                + ". Co-organisers need an account first."
            )


class RegisterForm(FlaskForm):
    sector = SelectField("The sector you work in (optional)", validate_choice=False)
    needs = _long_text("Access or dietary needs (optional)", 2000)

    def load_choices(self) -> None:
        self.sector.choices = [SelectChoice("", "Prefer not to say")] + [
            SelectChoice(x.slug, x.name) for x in sectors()
        ]

    def validate_sector(self, field) -> None:
        if field.data:
            known = {choice.value for choice in field.choices}
            if field.data not in known:
                raise ValidationError("Choose a sector from the list")


class EmailForm(FlaskForm):
    form_key = FormKeyField()
    subject = _text("Subject", "Enter a subject", 150)
    body = _long_text("Message", 10_000, "Write your message")


class CancelForm(FlaskForm):
    reason = _long_text("Reason (optional, included in the email)", 2000)


class FeedbackForm(FlaskForm):
    rating = RadioField(
        "How useful was the event?",
        validate_choice=False,
        choices=[SelectChoice(str(k), v) for k, v in RATING_LABELS.items()],
    )
    barriers = _long_text(
        "What barriers do you see to trauma-informed practice where you work? (optional)", 3000
    )
    enablers = _long_text("What helps, or would help? (optional)", 3000)
    pledges = SelectMultipleField(
        "What action are you taking forward?",
        validate_choice=False,
        choices=[SelectChoice(k, v) for k, v in PLEDGE_CHOICES.items()],
    )
    own_pledge = _long_text("Another action, in your own words (optional)", 1000)
    anonymous = BooleanField("Give this feedback anonymously")

    def validate_rating(self, field) -> None:
        if field.data not in {str(k) for k in RATING_LABELS}:
            raise ValidationError("Choose how useful the event was")

    def validate_pledges(self, field) -> None:
        if any(value not in PLEDGE_CHOICES for value in field.data or []):
            raise ValidationError("Choose actions from the list")

    def values(self) -> dict:
        return {
            "rating": int(self.rating.data),
            "barriers": self.barriers.data or "",
            "enablers": self.enablers.data or "",
            "pledges": list(dict.fromkeys(self.pledges.data or [])),
            "own_pledge": self.own_pledge.data or "",
            "anonymous": bool(self.anonymous.data),
        }


class ReportForm(FlaskForm):
    key_messages = _long_text("Key messages", 10_000)
    summary = _long_text("Summary", 20_000)
    published = BooleanField("Publish the report to members")


def stored_changes(form: EventForm, event) -> list[tuple[str, object]]:
    """Return the stored text that differs from what the organiser typed, for a refused stale save."""
    return versions.changes(
        {
            "Title": (form.title.data, event.title),
            "Description": (form.description.data, event.description),
            "Venue": (form.venue.data, event.venue),
            "Address": (form.address.data, event.address),
            "Accessibility": (form.accessibility.data, event.accessibility),
            "Places": (form.capacity.data, event.capacity),
        }
    )


def event_values(form: EventForm) -> dict:
    """The checked form as model values (slugs and ids turned into rows)."""
    in_person = form.format.data in (EventFormat.IN_PERSON, EventFormat.HYBRID)
    online = form.format.data in (EventFormat.ONLINE, EventFormat.HYBRID)
    areas = {area.slug: area for area in council_areas()} if in_person else {}
    return {
        "title": form.title.data,
        "description": form.description.data,
        "event_type": form.event_type.data,
        "format": form.format.data,
        "levels": levels_by_slugs(form.levels.data or []),
        "sectors": [x for x in sectors() if x.slug in set(form.sectors.data or [])],
        "domains": [x for x in implementation_domains() if x.slug in set(form.domains.data or [])],
        "resources": resources_by_ids([int(x) for x in form.resources.data or []]),
        "starts_at": form.starts_at,
        "ends_at": form.ends_at,
        "registration_deadline": form.deadline,
        "capacity": form.capacity.data,
        "joining_link": (form.joining_link.data or "") if online else "",
        "venue": (form.venue.data or "") if in_person else "",
        "address": (form.address.data or "") if in_person else "",
        "council_area": areas.get(form.council_area.data),
        "accessibility": form.accessibility.data or "",
        "co_organisers": [u for u in form.co_organiser_users if u is not None],
    }


def fill_from_event(form: EventForm, event) -> None:
    form.version.data = event.version
    for name in (
        "title",
        "description",
        "event_type",
        "format",
        "joining_link",
        "venue",
        "address",
        "accessibility",
        "capacity",
    ):
        getattr(form, name).data = getattr(event, name)
    form.levels.data = [x.slug for x in event.levels]
    form.sectors.data = [x.slug for x in event.sectors]
    form.domains.data = [x.slug for x in event.domains]
    form.resources.data = [str(x.id) for x in event.resources]
    form.council_area.data = event.council_area.slug if event.council_area else ""
    form.start_date.data, form.start_time.data = utc_to_london_parts(event.starts_at)
    form.end_date.data, form.end_time.data = utc_to_london_parts(event.ends_at)
    if event.registration_deadline:
        form.deadline_date.data, form.deadline_time.data = utc_to_london_parts(event.registration_deadline)
    form.co_organisers.data = "\n".join(u.email for u in event.co_organisers)
