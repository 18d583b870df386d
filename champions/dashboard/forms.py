"""The dashboard's filters: a GET form, so a view can be shared as a link, and it works without JavaScript."""

import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice

from champions.dashboard.models import SCOTLAND
from champions.dashboard.queries import Filters, Run, add_months, month_name
from champions.forms import clean_text
from champions.reference.cache import ReferenceItem

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class KindSelectField(SelectField):
    """A select that explains a value it does not know in plain words, instead of WTForms' own."""

    def __init__(self, *args, invalid: str = "Choose an option from the list", **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "SelectField"  # rendered by the field macro's fast select
        self.invalid = invalid

    def pre_validate(self, form) -> None:
        if self.data not in (None, "") and self.data not in {str(c.value) for c in self.choices}:
            raise ValidationError(self.invalid)


def parse_month(text: str) -> date | None:
    """A month written as 2025-04, or None when it is not one."""
    found = MONTH.match(text or "")
    if not found or not 1 <= int(found.group(2)) <= 12:
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    period = KindSelectField("Period", invalid="Choose a period from the list.")
    start = StringField("From (year and month)", filters=[clean_text])
    end = StringField("To (year and month)", filters=[clean_text])
    area = KindSelectField(
        "Council area", invalid="We do not know that council area. Choose one from the list."
    )
    board = KindSelectField("NHS board", invalid="We do not know that NHS board. Choose one from the list.")
    sector = KindSelectField("Sector", invalid="We do not know that sector. Choose one from the list.")

    def load_choices(self, run: Run, areas, boards, sectors) -> None:
        """Offer the periods the figures cover, and the reference lists."""
        self.run, self.area_boards = run, {item.slug: board for item, board in areas}
        years = sorted({m.year for m in (run.first_month, run.last_month)} | {run.last_month.year - 1})
        quarters = []
        month = date(run.first_month.year, (run.first_month.month - 1) // 3 * 3 + 1, 1)
        while month <= run.last_month:
            quarters.append(
                SelectChoice(
                    f"q-{month.year}-{(month.month - 1) // 3 + 1}",
                    f"{month.year}, quarter {(month.month - 1) // 3 + 1}",
                )
            )
            month = add_months(month, 3)
        self.period.choices = [
            SelectChoice("12", "Last 12 months"),
            SelectChoice("24", "Last 24 months"),
            *[SelectChoice(f"year-{y}", str(y)) for y in years if y >= run.first_month.year],
            *reversed(quarters),
            SelectChoice("custom", "Choose months (below)"),
        ]

        def options(label: str, items: list[ReferenceItem]):
            return [SelectChoice("", label)] + [SelectChoice(item.slug, item.name) for item in items]

        self.area.choices = options("All council areas", [item for item, _board in areas])
        self.board.choices = options("All NHS boards", list(boards))
        self.sector.choices = options("All sectors", list(sectors))

    def _custom(self) -> tuple[date, date] | None:
        first, last = parse_month(self.start.data), parse_month(self.end.data)
        for field, value in ((self.start, first), (self.end, last)):
            if value is None:
                field.errors.append("Enter a year and month like 2025-04.")
            elif not self.run.first_month <= value <= self.run.last_month:
                field.errors.append(
                    f"The figures run from {month_name(self.run.first_month)} to "
                    f"{month_name(self.run.last_month)}. Choose a month in between."
                )
        if first and last and not self.end.errors and last < first:
            self.end.errors.append("The period needs to end after it starts. Choose a later month to end on.")
        return None if self.start.errors or self.end.errors else (first, last)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.period.errors and self.period.data == "custom" and self._custom() is None:
            valid = False
        area_board = self.area_boards.get(self.area.data or "")
        if (
            self.board.data
            and area_board is not None
            and area_board.slug != self.board.data
            and not self.area.errors
        ):
            self.area.errors.append(
                f"That council area is in {area_board.name}. "
                "Choose an area in the NHS board you chose, or all areas."
            )
            valid = False
        return valid

    def period_months(self) -> tuple[date, date]:
        last, choice = self.run.last_month, self.period.data or "12"
        if self.period.errors:
            choice = "12"
        if choice == "custom":
            return self._custom() or (add_months(last, -11), last)
        if choice.startswith("year-"):
            year = int(choice[5:])
            return max(date(year, 1, 1), self.run.first_month), min(date(year, 12, 1), last)
        if choice.startswith("q-"):
            year, quarter = (int(part) for part in choice[2:].split("-"))
            first = date(year, quarter * 3 - 2, 1)
            return max(first, self.run.first_month), min(add_months(first, 2), last)
        return max(add_months(last, -int(choice) + 1), self.run.first_month), last

    def filters(self, areas, boards, sectors, place: ReferenceItem | None = None) -> Filters:
        """The filters to apply: a value the form refused is left out, never guessed at; `place` wins."""

        def find(field, items):
            if field.errors or not field.data:
                return None
            return next((item for item in items if item.slug == field.data), None)

        first, last = self.period_months()
        area, board = place or find(self.area, [item for item, _b in areas]), find(self.board, boards)
        sector = find(self.sector, sectors)
        scope, where = SCOTLAND, "All of Scotland"
        if area is not None:
            scope, where = f"area:{area.id}", area.name
        elif board is not None:
            scope, where = f"board:{board.id}", board.name
        kind = sector.name if sector else "every sector"
        description = f"{where}, {kind}, {month_name(first)} to {month_name(last)}"
        return Filters(first, last, scope, sector.id if sector else None, description)
