"""The case study form (create and edit share it), the review form and small action forms."""

import uuid
from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from champions import versions
from champions.casestudies.models import TEXT_FIELDS, Visibility
from champions.casestudies.services import CHECKLIST
from champions.casestudies.services import files as filecheck
from champions.forms import clean_text, multiline_clean, no_control_characters
from champions.reference import services as reference

SECTIONS = (
    ("challenge", "The challenge", "What was the problem or need? Who did it affect?"),
    ("approach", "What we did", "The steps you took, in the order you took them."),
    ("involvement", "Who was involved", "Teams, partners, and people with lived experience."),
    ("impact", "Impact and evidence", "What changed, and how you know: figures, feedback, evaluation."),
    ("learning", "What we learned", "Including what did not work."),
    ("advice", "Advice for others", "What would you tell someone starting this in their area?"),
)
MARKDOWN_HINT = "You can use Markdown: **bold**, lists with -, and links."


def _section(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[multiline_clean],
        validators=[Length(max=20_000, message=f"{label} can be up to 20,000 characters")],
    )


def _choices(rows) -> list[SelectChoice]:
    return [SelectChoice(row.id, row.name) for row in rows]


def _tags(field_label: str) -> SelectMultipleField:
    return SelectMultipleField(field_label, coerce=int, choices=[])


def _canonical_key(value: str | None) -> str | None:
    """Spell a one-time key the one 36-character way; an odd key counts as none (it only guards repeats)."""
    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        return None


class CaseStudyForm(FlaskForm):
    opened = HiddenField()
    form_key = HiddenField(filters=[_canonical_key])
    title = StringField(
        "Title",
        filters=[clean_text],
        validators=[
            DataRequired("Enter a title"),
            Length(max=200, message="The title can be up to 200 characters"),
            no_control_characters,
        ],
    )
    summary = TextAreaField(
        "Summary",
        filters=[multiline_clean],
        validators=[
            DataRequired("Enter a one-paragraph summary"),
            Length(max=1500, message="The summary can be up to 1,500 characters"),
        ],
    )
    challenge = _section("The challenge")
    approach = _section("What we did")
    involvement = _section("Who was involved")
    co_produced = BooleanField("This work was co-produced with people with lived experience")
    impact = _section("Impact and evidence")
    learning = _section("What we learned")
    advice = _section("Advice for others")
    areas = _tags("Council areas it covers")
    sectors = _tags("Sectors")
    principles = _tags("Trauma-informed principles")
    domains = _tags("Implementation domains")
    levels = _tags("NTTP practice levels")
    topics = StringField(
        "Topic tags",
        filters=[clean_text],
        validators=[
            Length(max=500, message="Topic tags can be up to 500 characters in all"),
            no_control_characters,
        ],
    )
    visibility = RadioField(
        "Who can read it",
        default=Visibility.MEMBERS.value,
        choices=[
            SelectChoice(Visibility.MEMBERS.value, "Signed-in members only"),
            SelectChoice(Visibility.PUBLIC.value, "Anyone, including people who are not signed in"),
        ],
        validators=[DataRequired("Choose who can read it")],
    )
    contact_name = StringField(
        "Contact name (optional)",
        filters=[clean_text],
        validators=[Length(max=120, message="The name can be up to 120 characters"), no_control_characters],
    )
    contact_email = EmailField(
        "Contact email address (optional)",
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=254, message="Email addresses can be up to 254 characters"),
            Email(
                "Enter an email address in the correct format, like name@example.org",
                check_deliverability=False,
            ),
        ],
    )
    review_by = DateField("Review by", validators=[Optional()], render_kw={"type": "date"})
    files = MultipleFileField("Attach files (optional)")

    existing_files = 0
    checked_files: list[filecheck.CheckedFile]

    def load_choices(self) -> None:
        self.areas.choices = _choices(reference.council_areas())
        self.sectors.choices = _choices(reference.sectors())
        self.principles.choices = _choices(reference.principles())
        self.domains.choices = _choices(reference.implementation_domains())
        self.levels.choices = _choices(reference.levels())

    def validate_files(self, field) -> None:
        self.checked_files, problems = [], []
        uploads = [f for f in (field.data or []) if hasattr(f, "read") and (f.filename or f.content_length)]
        if self.existing_files + len(uploads) > filecheck.MAX_FILES:
            raise ValidationError(
                f"A case study can have up to {filecheck.MAX_FILES} files. "
                f"It has {self.existing_files}, so choose at most "
                f"{max(filecheck.MAX_FILES - self.existing_files, 0)} more."
            )
        for upload in uploads:
            data = upload.read(filecheck.MAX_BYTES + 1)
            upload.close()  # large uploads are spooled to a temporary file: let it go now
            try:
                self.checked_files.append(filecheck.check(upload.filename, data))
            except filecheck.FileRefused as refused:
                problems.append(str(refused))
        if problems:
            raise ValidationError(" ".join(problems) + " Your text is kept: choose the files again.")

    def ensure_form_key(self) -> None:
        """Give a new case study's form a one-time key, so sending it twice makes one draft."""
        if not self.form_key.data:
            self.form_key.data = str(uuid.uuid4())

    def content(self) -> dict:
        """The form's values as plain data (a pending edit is stored like this)."""
        topics = [t for t in (self.topics.data or "").split(",") if t.strip()][:20]
        data = {name: getattr(self, name).data or "" for name in TEXT_FIELDS}
        data.update(
            co_produced=bool(self.co_produced.data),
            topics=topics,
            review_by=self.review_by.data.isoformat() if self.review_by.data else None,
            area_ids=self.areas.data or [],
            sector_ids=self.sectors.data or [],
            principle_ids=self.principles.data or [],
            domain_ids=self.domains.data or [],
            level_ids=self.levels.data or [],
        )
        return data

    def fill(self, content: dict) -> None:
        for name in (*TEXT_FIELDS, "co_produced"):
            getattr(self, name).data = content.get(name)
        self.topics.data = ", ".join(content.get("topics") or [])
        self.areas.data, self.sectors.data = content.get("area_ids"), content.get("sector_ids")
        self.principles.data, self.levels.data = content.get("principle_ids"), content.get("level_ids")
        self.domains.data = content.get("domain_ids")
        review_by = content.get("review_by")
        self.review_by.data = date.fromisoformat(review_by) if review_by else None


class ReviewForm(FlaskForm):
    fingerprint = HiddenField()
    consent = BooleanField(CHECKLIST["consent"])
    no_personal_data = BooleanField(CHECKLIST["no_personal_data"])
    evidence = BooleanField(CHECKLIST["evidence"])
    comment = TextAreaField(
        "Comments for the author",
        filters=[multiline_clean],
        validators=[Length(max=5000, message="Comments can be up to 5,000 characters")],
    )
    decision = RadioField(
        "Your decision",
        choices=[
            SelectChoice("publish", "Publish it"),
            SelectChoice("return", "Return it to the author with comments"),
        ],
        validators=[DataRequired("Choose whether to publish it or return it")],
    )

    def checklist(self) -> dict:
        return {key: bool(getattr(self, key).data) for key in CHECKLIST}

    def validate_comment(self, field) -> None:
        if self.decision.data == "return" and not field.data:
            raise ValidationError("Tell the author what to change")

    def validate_decision(self, field) -> None:
        if field.data == "publish" and not all(self.checklist().values()):
            raise ValidationError("Confirm every item on the checklist before publishing")


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason (optional)",
        filters=[multiline_clean],
        validators=[Length(max=2000, message="The reason can be up to 2,000 characters")],
    )


def stored_changes(form: CaseStudyForm, case_study) -> list[tuple[str, object]]:
    """Return the stored text that differs from what the author typed, for a refused stale save."""
    stored = case_study.pending_changes or {name: getattr(case_study, name) for name in TEXT_FIELDS}
    return versions.changes(
        {form[name].label.text: (form[name].data, stored.get(name)) for name in TEXT_FIELDS}
    )
