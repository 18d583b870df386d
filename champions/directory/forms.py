"""Forms for applying and editing a champion profile, deciding, and filtering the directory."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from champions import versions
from champions.directory.models import ChampionProfile, ContactAudience, Scope
from champions.directory.queries import Facets, Filters
from champions.directory.services import ProfileDetails
from champions.forms import clean_text, multiline_clean, no_control_characters
from champions.versions import VersionField

BIO_MAX = 3000
QUERY_MAX = 200


class KindSelectField(SelectField):
    """A select that explains a value it does not know in plain words."""

    def __init__(self, *args, invalid: str = "Choose an option from the list", **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "SelectField"
        self.invalid = invalid

    def pre_validate(self, form) -> None:
        if self.data in (None, ""):
            return
        if self.data not in {str(choice.value) for choice in self.choices}:
            raise ValidationError(self.invalid)


class KindMultipleField(SelectMultipleField):
    def __init__(self, *args, invalid: str = "Choose options from the list", **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "SelectMultipleField"
        self.invalid = invalid

    def pre_validate(self, form) -> None:
        known = {str(choice.value) for choice in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(self.invalid)


def _text(label: str, required: str, limit: int) -> StringField:
    return StringField(
        label,
        filters=[clean_text],
        validators=[
            DataRequired(required),
            Length(max=limit, message=f"{label} can be up to {limit} characters"),
            no_control_characters,
        ],
    )


class ProfileForm(FlaskForm):
    """The same form applies and edits. It has no field for the status, verification or a role."""

    version = VersionField()
    display_name = _text("Name to show", "Enter the name to show in the directory", 120)
    job_title = _text("Job title", "Enter your job title", 120)
    organisation = _text("Organisation", "Enter the organisation you work for", 200)
    scope = RadioField(
        "What do you cover as a champion?",
        choices=[
            SelectChoice(Scope.LOCAL.value, "One or more council areas"),
            SelectChoice(Scope.NHS_BOARD.value, "An NHS board: all the council areas it serves"),
            SelectChoice(Scope.NATIONAL.value, "A national body: all of Scotland"),
        ],
        default=Scope.LOCAL.value,
        validators=[DataRequired("Choose what you cover as a champion")],
    )
    council_areas = KindMultipleField("Council areas you cover", invalid="Choose council areas from the list")
    health_board = KindSelectField("NHS board you cover", invalid="Choose an NHS board from the list")
    sectors = KindMultipleField("Sectors you work in", invalid="Choose sectors from the list")
    levels = KindMultipleField(
        "NTTP practice levels you have completed", invalid="Choose practice levels from the list"
    )
    stilt_completed = BooleanField("I have completed the Scottish Trauma Informed Leaders Training (STILT)")
    bio = TextAreaField(
        "About you (optional)",
        filters=[multiline_clean],
        validators=[Length(max=BIO_MAX, message=f"About you can be up to {BIO_MAX} characters")],
    )
    phone = TelField(
        "Phone number (optional)",
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=40, message="Phone numbers can be up to 40 characters"),
            Regexp(r"^\+?[0-9 ()-]+$", message="Enter a phone number using digits, spaces and + ( ) - only"),
        ],
    )
    contact_audience = RadioField(
        "Who may see your contact details?",
        choices=[
            SelectChoice(ContactAudience.MEMBERS.value, "Any signed-in member of the network"),
            SelectChoice(ContactAudience.CHAMPIONS.value, "Other champions only"),
        ],
        default=ContactAudience.MEMBERS.value,
        validators=[DataRequired("Choose who may contact you")],
    )
    listed = BooleanField("Yes, list me in the public directory once I am verified")

    def load_choices(self, facets: Facets) -> None:
        self.council_areas.choices = [SelectChoice(a.slug, a.name) for a in facets.council_areas]
        self.health_board.choices = [SelectChoice("", "Choose an NHS board")] + [
            SelectChoice(b.slug, b.name) for b in facets.health_boards
        ]
        self.sectors.choices = [SelectChoice(s.slug, s.name) for s in facets.sectors]
        self.levels.choices = [SelectChoice(level.slug, level.name) for level in facets.levels]

    def details(self, facets: Facets) -> ProfileDetails:
        def chosen(items, slugs):
            return [item for item in items if item.slug in set(slugs or [])]

        boards = chosen(facets.health_boards, [self.health_board.data])
        return ProfileDetails(
            display_name=self.display_name.data,
            job_title=self.job_title.data,
            organisation=self.organisation.data,
            scope=self.scope.data,
            council_areas=chosen(facets.council_areas, self.council_areas.data),
            health_board=boards[0] if boards else None,
            sectors=chosen(facets.sectors, self.sectors.data),
            levels=chosen(facets.levels, self.levels.data),
            stilt_completed=self.stilt_completed.data,
            bio=self.bio.data or "",
            phone=self.phone.data or "",
            contact_audience=self.contact_audience.data,
            listed=self.listed.data,
        )

    def validate_council_areas(self, field) -> None:
        if self.scope.data == Scope.LOCAL and not field.data:
            raise ValidationError("Choose at least one council area you cover")

    def validate_health_board(self, field) -> None:
        if self.scope.data == Scope.NHS_BOARD and not field.data:
            raise ValidationError("Choose the NHS board you cover")

    def validate_sectors(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose at least one sector you work in")


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Your decision",
        choices=[
            SelectChoice("approve", "Approve: verify this champion"),
            SelectChoice("decline", "Decline this application"),
        ],
        validators=[DataRequired("Choose whether to approve or decline")],
    )
    reason = TextAreaField(
        "Reason (sent to the applicant)",
        filters=[multiline_clean],
        validators=[Length(max=2000, message="The reason can be up to 2000 characters")],
    )

    def validate_reason(self, field) -> None:
        if self.decision.data == "decline" and not field.data:
            raise ValidationError("Give a reason for declining, so the applicant knows what to do next")


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        "Reason (sent to the champion)",
        filters=[multiline_clean],
        validators=[
            DataRequired("Give a reason for ending this champion's role"),
            Length(max=2000, message="The reason can be up to 2000 characters"),
        ],
    )


class FilterForm(FlaskForm):
    """The directory filters: read from the query string, so a search can be shared as a link."""

    class Meta:
        csrf = False

    area = KindSelectField(
        "Council area", invalid="We do not know that council area. Choose one from the list."
    )
    board = KindSelectField("NHS board", invalid="We do not know that NHS board. Choose one from the list.")
    hscp = KindSelectField(
        "Health and social care partnership (HSCP)",
        invalid="We do not know that health and social care partnership. Choose one from the list.",
    )
    sector = KindSelectField("Sector", invalid="We do not know that sector. Choose one from the list.")
    level = KindSelectField(
        "NTTP practice level", invalid="We do not know that practice level. Choose one from the list."
    )
    q = StringField(
        "Name, organisation or words in their introduction",
        filters=[clean_text],
        validators=[
            Length(
                max=QUERY_MAX,
                message=f"Searches can be up to {QUERY_MAX} characters, so we used the first {QUERY_MAX}",
            )
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.q.data = (self.q.data or "")[:QUERY_MAX].strip()  # a long search is shortened, not refused
        return valid

    def load_choices(self, facets: Facets) -> None:
        def options(label, items):
            return [SelectChoice("", label)] + [SelectChoice(item.slug, item.name) for item in items]

        self.area.choices = options("Any council area", facets.council_areas)
        self.board.choices = options("Any NHS board", facets.health_boards)
        self.hscp.choices = options("Any partnership", facets.partnerships)
        self.sector.choices = options("Any sector", facets.sectors)
        self.level.choices = options("Any level", facets.levels)

    def filters(self, facets: Facets) -> Filters:
        """The filters to apply: a value the form refused is left out, never guessed at."""

        def find(field, items):
            if field.errors or not field.data:
                return None
            return next((item for item in items if item.slug == field.data), None)

        return Filters(
            council_area=find(self.area, facets.council_areas),
            health_board=find(self.board, facets.health_boards),
            sector=find(self.sector, facets.sectors),
            level=find(self.level, facets.levels),
            query=self.q.data or "",
            partnership=find(self.hscp, facets.partnerships),
        )

    def query_args(self) -> dict[str, str]:
        """The filters in use, for links that keep them (pagination, export)."""
        args = {
            f.name: f.data
            for f in (self.area, self.board, self.hscp, self.sector, self.level)
            if f.data and not f.errors
        }
        return {**args, "q": self.q.data} if self.q.data else args


def initial_data(profile: ChampionProfile | None, user) -> dict:
    """Fill the form from a saved profile, or from the person's account when applying."""
    if profile is None:
        return {
            "display_name": user.name,
            "organisation": user.organisation.name if user.organisation else "",
            "council_areas": [user.council_area.slug] if user.council_area else [],
        }
    return {
        "display_name": profile.display_name,
        "job_title": profile.job_title,
        "organisation": profile.organisation.name,
        "scope": profile.scope,
        "council_areas": [a.slug for a in profile.council_areas] if profile.scope == Scope.LOCAL else [],
        "health_board": profile.health_board.slug if profile.health_board else "",
        "sectors": [s.slug for s in profile.sectors],
        "levels": [level.slug for level in profile.levels],
        "stilt_completed": profile.stilt_completed,
        "bio": profile.bio,
        "phone": profile.phone,
        "contact_audience": profile.contact_audience,
        "listed": profile.is_listed,
    }


def matches(form: ProfileForm, profile: ChampionProfile) -> bool:
    """Say whether the form holds exactly what is stored, as when one save is sent twice."""
    return all(form[name].data == value for name, value in initial_data(profile, None).items())


def stored_changes(form: ProfileForm, profile: ChampionProfile) -> list[tuple[str, object]]:
    """Return the stored text that differs from what the champion typed, for a refused stale save."""
    return versions.changes(
        {
            "Name to show": (form.display_name.data, profile.display_name),
            "Job title": (form.job_title.data, profile.job_title),
            "Organisation": (form.organisation.data, profile.organisation.name),
            "About you": (form.bio.data, profile.bio),
            "Phone": (form.phone.data, profile.phone),
        }
    )
