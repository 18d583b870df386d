"""Forms: start, invite, one domain's page, check and submit, reopen."""

from datetime import date
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from champions.assessments.models import (
    ACTION_MAX,
    EVIDENCE_MAX,
    LINK_MAX,
    LINKS_MAX,
    NAME_MAX,
    RATING_HINTS,
    RATING_LABELS,
    REASON_MAX,
    STATEMENT_MAX,
)
from champions.forms import clean_text, multiline_clean, no_control_characters
from champions.reference.models import ORGANISATION_KIND_LABELS
from champions.versions import VersionField

ACTION_ROWS = 3
MAX_LINKS = 10


class StartForm(FlaskForm):
    pass


class InviteForm(FlaskForm):
    email = EmailField(
        "Your colleague's work email address",
        filters=[clean_text],
        validators=[
            DataRequired("Enter your colleague's email address"),
            Length(max=254, message="Email addresses are up to 254 characters"),
            Email("Enter an email address like name@example.org", check_deliverability=False),
            no_control_characters,
        ],
    )


def _rating_choices() -> list[SelectChoice]:
    return [SelectChoice(k.value, f"{v}: {RATING_HINTS[k]}") for k, v in RATING_LABELS.items()]


class DomainForm(FlaskForm):
    version = VersionField()
    rating = RadioField(
        "Where is your organisation in this domain?",
        choices=_rating_choices(),
        validate_choice=False,
    )
    evidence = TextAreaField(
        "Evidence, in a few lines",
        filters=[multiline_clean],
        validators=[
            Length(
                max=EVIDENCE_MAX,
                message=f"Keep the evidence to {EVIDENCE_MAX:,} characters or fewer. Please shorten it",
            )
        ],
    )
    links = TextAreaField(
        "Links to documents or case studies (optional)",
        filters=[multiline_clean],
        validators=[Length(max=LINKS_MAX, message=f"Keep the links to {LINKS_MAX:,} characters in all")],
    )

    def load_owners(self, people) -> None:
        choices = [SelectChoice("", "Choose a person")] + [SelectChoice(str(p.id), p.name) for p in people]
        self._owner_ids = {str(p.id) for p in people}
        for n in range(1, ACTION_ROWS + 1):
            self[f"action{n}_owner"].choices = choices

    def validate_rating(self, field) -> None:
        if field.data in (None, "", "None"):  # nothing chosen yet: a draft may leave it
            field.data = None
        elif field.data not in {k.value for k in RATING_LABELS}:
            raise ValidationError("Choose one of the four steps")

    def validate_links(self, field) -> None:
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(f"Add up to {MAX_LINKS} links, one on each line")
        for line in lines:
            parts = urlsplit(line)
            if (
                parts.scheme not in ("http", "https")
                or not parts.netloc
                or " " in line
                or len(line) > LINK_MAX
            ):
                raise ValidationError(
                    f"“{line[:60]}” is not a full web address. Put one on each line, starting with https://"
                )

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in (self.links.data or "").splitlines() if line.strip()]

    def action_rows(self):
        return [
            (n, self[f"action{n}_description"], self[f"action{n}_owner"], self[f"action{n}_due"])
            for n in range(1, ACTION_ROWS + 1)
        ]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for _n, description, owner, due in self.action_rows():
            if not description.data:
                if owner.data or due.data:
                    description.errors.append("Say what the action is, or clear its person and date")
                    ok = False
                continue
            if owner.data not in getattr(self, "_owner_ids", set()):
                owner.errors.append("Choose who will take this action forward, from the list")
                ok = False
            if due.data is None and not due.errors:
                due.errors.append("Enter the date it is due, like 2027-03-31")
                ok = False
            elif due.data is not None and not date(2000, 1, 1) <= due.data <= date(2100, 12, 31):
                due.errors.append("Enter a date between the years 2000 and 2100")
                ok = False
        return ok


for _n in range(1, ACTION_ROWS + 1):
    setattr(
        DomainForm,
        f"action{_n}_description",
        StringField(
            f"Action {_n}",
            filters=[clean_text],
            validators=[
                Length(max=ACTION_MAX, message=f"Keep each action to {ACTION_MAX} characters or fewer"),
                no_control_characters,
            ],
        ),
    )
    setattr(DomainForm, f"action{_n}_owner", SelectField(f"Who owns action {_n}", validate_choice=False))
    setattr(
        DomainForm,
        f"action{_n}_due",
        DateField(
            f"Due date of action {_n}",
            validators=[Optional()],
            format="%Y-%m-%d",
        ),
    )


class SubmitForm(FlaskForm):
    version = VersionField()


class ReopenForm(FlaskForm):
    version = VersionField()
    reason = TextAreaField(
        "Why does it need to be reopened?",
        filters=[multiline_clean],
        validators=[
            DataRequired("Give a reason, so everyone can see why it changed after it was submitted"),
            Length(max=REASON_MAX, message=f"Keep the reason to {REASON_MAX:,} characters or fewer"),
        ],
    )


class AcceptForm(FlaskForm):
    pass


class DomainWordingForm(FlaskForm):
    """An admin's edit of one domain's name and statements; one field a statement, added per domain."""

    version = VersionField()
    name = StringField(
        "Name of the domain",
        filters=[clean_text],
        validators=[
            DataRequired("Enter the domain's name"),
            Length(max=NAME_MAX, message=f"Keep the name to {NAME_MAX} characters or fewer"),
            no_control_characters,
        ],
    )

    def statement_fields(self):
        return [self[name] for name in self._fields if name.startswith("statement_")]


def domain_wording_form(domain, **kwargs) -> DomainWordingForm:
    """The form for this domain: a field for each of its statements, named by the statement's id."""

    class ThisDomain(DomainWordingForm):
        pass

    for statement in domain.statements:
        label = f"Statement {statement.position}"
        if statement.principle:
            label += f" ({statement.principle.name})"
        setattr(
            ThisDomain,
            f"statement_{statement.id}",
            StringField(
                label,
                filters=[clean_text],
                validators=[
                    DataRequired("Write the statement, or keep the one that was there"),
                    Length(
                        max=STATEMENT_MAX,
                        message=f"Keep each statement to {STATEMENT_MAX} characters or fewer",
                    ),
                    no_control_characters,
                ],
            ),
        )
    return ThisDomain(**kwargs)


class PublishForm(FlaskForm):
    pass


class ProposeOrganisationForm(FlaskForm):
    name = StringField(
        "Name of the organisation",
        filters=[clean_text],
        validators=[
            DataRequired("Enter the organisation's name"),
            Length(max=200, message="Keep the name to 200 characters or fewer"),
            no_control_characters,
        ],
    )
    kind = RadioField(
        "What kind of organisation is it?",
        choices=[SelectChoice(k.value, v) for k, v in ORGANISATION_KIND_LABELS.items()],
        validators=[DataRequired("Choose what kind of organisation it is")],
    )
    council_areas = SelectMultipleField("Council areas it works in (optional)", validate_choice=False)
    health_board = SelectField("NHS board (optional)", validate_choice=False)

    def load_places(self, areas, boards) -> None:
        self._areas = {a.slug: a for a in areas}
        self._boards = {b.slug: b for b in boards}
        self.council_areas.choices = [SelectChoice(a.slug, a.name) for a in areas]
        self.health_board.choices = [SelectChoice("", "Not one board, or the board of its areas")] + [
            SelectChoice(b.slug, b.name) for b in boards
        ]

    def validate_council_areas(self, field) -> None:
        if any(slug not in getattr(self, "_areas", {}) for slug in field.data or []):
            raise ValidationError("Choose council areas from the list")

    def validate_health_board(self, field) -> None:
        if not field.data:
            return
        board = getattr(self, "_boards", {}).get(field.data)
        if board is None:
            raise ValidationError("Choose an NHS board from the list")
        boards = {a.health_board_id for a in self.areas}
        if boards and board.id not in boards:
            raise ValidationError(
                "Choose the board of one of the council areas you chose, or leave the board empty"
            )

    @property
    def areas(self) -> list:
        known = getattr(self, "_areas", {})
        return [known[slug] for slug in dict.fromkeys(self.council_areas.data or []) if slug in known]

    @property
    def board(self):
        """The board chosen, or when none is, the one board all the chosen areas share."""
        if self.health_board.data:
            return getattr(self, "_boards", {}).get(self.health_board.data)
        boards = {a.health_board for a in self.areas}
        return boards.pop() if len(boards) == 1 else None


class MergeForm(FlaskForm):
    into = SelectField("Merge it into", validate_choice=False)

    def load_targets(self, organisations) -> None:
        self._ids = {str(o.id) for o in organisations}
        self.into.choices = [SelectChoice("", "Choose the organisation to keep")] + [
            SelectChoice(str(o.id), o.name) for o in organisations
        ]

    def validate_into(self, field) -> None:
        if field.data not in getattr(self, "_ids", set()):
            raise ValidationError("Choose the organisation to keep, from the list")


class ShareForm(FlaskForm):
    version = VersionField()
    share = RadioField(
        "Share this assessment's results with the network?",
        choices=[
            SelectChoice("yes", "Yes: coordinators may see our organisation's name beside its ratings"),
            SelectChoice("no", "No: count us only in figures that name no organisation"),
        ],
        validators=[DataRequired("Choose yes or no")],
    )
