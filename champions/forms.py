"""Field helpers shared by every feature's forms."""

import re
import unicodedata

from wtforms import ValidationError

# Characters that change how text is shown without being visible: bidi overrides,
# zero-width joiners and the like. They have no place in names or titles.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs"}

# Everything str.splitlines() breaks on. In a title or subject these end an email header early,
# so the message cannot be sent, and they show as a break in the middle of one line.
LINE_SEPARATORS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"

# What XML 1.0 forbids (its Char production): C0 controls but tab and newlines, lone
# surrogates and U+FFFE/U+FFFF. One of them in a stored title makes the Atom feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str | None) -> str | None:
    """Drop the characters XML 1.0 does not allow (a WTForms filter)."""
    if value is None:
        return None
    return _NOT_XML.sub("", value)


def clean_text(value: str | None) -> str | None:
    """Normalise Unicode, drop what XML cannot carry and strip surrounding space (a WTForms filter)."""
    if value is None:
        return None
    return xml_safe(unicodedata.normalize("NFC", value)).strip()


def single_line(form, field) -> None:
    """Refuse line breaks of any kind in a field that is one line."""
    if any(ch in LINE_SEPARATORS for ch in field.data or ""):
        raise ValidationError("This needs to fit on one line. Please remove the line breaks.")


def no_control_characters(form, field) -> None:
    """Refuse line breaks and invisible control and formatting characters in single-line text."""
    single_line(form, field)
    text = field.data or ""
    if any(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text):
        raise ValidationError(
            "This contains hidden or formatting characters. Please retype it using ordinary letters."
        )


def multiline_clean(value: str | None) -> str | None:
    """Normalise Unicode and every kind of line break to a newline, and drop control characters but tabs."""
    if value is None:
        return None
    value = "\n".join(unicodedata.normalize("NFC", value).splitlines())
    return "".join(
        ch for ch in xml_safe(value) if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs"}
    ).strip()
