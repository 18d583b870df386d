"""Forms: opening or moving a window, and the return itself (with a field for each practice level)."""

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from champions.forms import multiline_clean
from champions.returns.models import (
    PEOPLE_MAX,
    SESSIONS_MAX,
    WELLBEING_LABELS,
    WORDS_MAX,
    quarter_end,
    quarter_label,
    quarter_start,
)
from champions.returns.queries import THEME_NAMES
from champions.versions import VersionField

MAX_WINDOW_DAYS = 120
NOT_SAID = 0  # the wellbeing answer "I would rather not say": saved as no answer
OPENS_WITHIN_DAYS = 365  # a window opens at the latest a year after its quarter ends


class PlainDateField(DateField):
    """A date typed as 2026-10-01, with a plain message when it is not a real date (not "Not a valid date
    value.")."""

    def __init__(self, label: str, example: str, **kwargs):
        self.invalid_message = f"Enter a real date, like {example}"
        super().__init__(label, format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid_message) from None


class WholeNumberField(IntegerField):
    """A whole number typed as text, with the range's own message for letters too ("1e5", "three")."""

    def __init__(self, label: str, maximum: int, **kwargs):
        self.invalid_message = f"Enter a whole number from 0 to {maximum:,}"
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid_message) from None


class WindowDatesForm(FlaskForm):
    opens_on = PlainDateField(
        "Opens on",
        "2026-10-01",
        validators=[InputRequired("Enter the date the window opens, like 2026-10-01")],
    )
    closes_on = PlainDateField(
        "Closes on",
        "2026-10-28",
        validators=[InputRequired("Enter the date the window closes, like 2026-10-28")],
    )
    version = VersionField()
    # The window's quarter, (year, quarter): the window may not open before it starts, nor long after.
    year_quarter: tuple[int, int] | None = None

    def _quarter(self) -> tuple[int, int] | None:
        return self.year_quarter

    def validate_opens_on(self, field) -> None:
        year_quarter = self._quarter()
        if field.data is None or year_quarter is None:
            return
        starts, ends = quarter_start(*year_quarter), quarter_end(*year_quarter)
        if field.data < starts:
            raise ValidationError(
                f"The window must open after the quarter starts, on or after {starts:%-d %B %Y}"
            )
        latest = ends + timedelta(days=OPENS_WITHIN_DAYS)
        if field.data > latest:
            raise ValidationError(
                f"The window must open within a year of the quarter ending, by {latest:%-d %B %Y}"
            )

    def validate_closes_on(self, field) -> None:
        opens, closes = self.opens_on.data, field.data
        if opens and closes and closes < opens:
            raise ValidationError("The window must close on or after the day it opens")
        if opens and closes and (closes - opens).days > MAX_WINDOW_DAYS:
            raise ValidationError(f"Keep the window to {MAX_WINDOW_DAYS} days or fewer")


class NewWindowForm(WindowDatesForm):
    quarter = SelectField("Quarter", validate_choice=True)

    def load_choices(self, today: date) -> None:
        """This year's quarters and last year's, newest first: "2026-3" is July to September 2026."""
        choices = []
        for year in (today.year, today.year - 1):
            for quarter in (4, 3, 2, 1):
                choices.append(
                    SelectChoice(f"{year}-{quarter}", f"{quarter_label(year, quarter)} (quarter {quarter})")
                )
        self.quarter.choices = choices

    def _quarter(self) -> tuple[int, int] | None:
        if self.quarter.data not in {choice.value for choice in self.quarter.choices}:
            return None  # the quarter field says what is wrong
        return self.year_and_quarter

    @property
    def year_and_quarter(self) -> tuple[int, int]:
        year, _, quarter = (self.quarter.data or "").partition("-")
        return int(year), int(quarter)


def _count(label: str, maximum: int) -> IntegerField:
    """A whole number typed as text (the GOV.UK pattern: number inputs change on scroll and refuse letters
    without saying why)."""
    return WholeNumberField(
        label,
        maximum,
        widget=TextInput(),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
        validators=[
            Optional(),
            NumberRange(min=0, max=maximum, message=f"Enter a whole number from 0 to {maximum:,}"),
        ],
    )


def _words(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[multiline_clean],
        validators=[
            Optional(),
            Length(max=WORDS_MAX, message=f"Keep this to {WORDS_MAX:,} characters or fewer"),
        ],
    )


class ReturnForm(FlaskForm):
    sessions_run = _count("Sessions you ran", SESSIONS_MAX)
    events_attended = _count("Events you attended", SESSIONS_MAX)
    case_studies_shared = _count("Case studies you shared", SESSIONS_MAX)
    helped = SelectMultipleField(
        "What helped?", choices=[SelectChoice(t, t) for t in THEME_NAMES], validate_choice=True
    )
    helped_words = _words("Anything else that helped (optional)")
    hindered = SelectMultipleField(
        "What got in the way?", choices=[SelectChoice(t, t) for t in THEME_NAMES], validate_choice=True
    )
    hindered_words = _words("Anything else that got in the way (optional)")
    support_wanted = _words("Is there any support you would like? (optional)")
    wellbeing = RadioField(
        "How are you finding the role? (optional)",
        choices=[
            *(SelectChoice(score, label) for score, label in WELLBEING_LABELS.items()),
            SelectChoice(NOT_SAID, "I would rather not say"),  # a ticked radio cannot be unticked
        ],
        coerce=int,
        validate_choice=False,
    )
    version = VersionField()

    def validate_wellbeing(self, field) -> None:
        if field.data is not None and field.data != NOT_SAID and field.data not in WELLBEING_LABELS:
            raise ValidationError("Choose one of the answers, or leave it blank")

    @property
    def reach_fields(self) -> list:
        return [f for f in self if f.name.startswith("reach_")]

    def reach(self) -> dict[int, int]:
        return {int(f.name.removeprefix("reach_")): f.data or 0 for f in self.reach_fields}

    def answers(self) -> dict:
        names = (
            "sessions_run events_attended case_studies_shared helped helped_words hindered hindered_words "
            "support_wanted wellbeing"
        )
        return {name: self[name].data for name in names.split()}


def return_form(levels, **kwargs) -> ReturnForm:
    """The return form with one "people reached" field for each NTTP practice level."""

    class WithLevels(ReturnForm):
        pass

    for level in levels:
        setattr(WithLevels, f"reach_{level.id}", _count(level.name, PEOPLE_MAX))
    return WithLevels(**kwargs)
