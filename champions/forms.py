"""Field helpers shared by every feature's forms."""

import unicodedata

from wtforms import ValidationError

# Characters that change how text is shown without being visible: bidi overrides,
# zero-width joiners and the like. They have no place in names or titles.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs"}


def clean_text(value: str | None) -> str | None:
    """Normalise Unicode and strip surrounding space (a WTForms filter)."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value).strip()


def no_control_characters(form, field) -> None:
    """Refuse invisible control and formatting characters in single-line text."""
    text = field.data or ""
    if any(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text):
        raise ValidationError(
            "This contains hidden or formatting characters. Please retype it using ordinary letters."
        )


def multiline_clean(value: str | None) -> str | None:
    """Normalise Unicode and line endings, and drop control characters except newlines and tabs."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs"}).strip()
