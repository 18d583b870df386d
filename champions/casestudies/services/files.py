"""Attachments: checking uploads by their content, safe names to show and send, reading and removing."""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select

from champions import audit, versions
from champions.accounts.models import User
from champions.casestudies.models import Attachment, AttachmentBlob
from champions.extensions import db

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 100

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LABELS = {
    "pdf": "PDF",
    "png": "PNG image",
    "jpeg": "JPEG image",
    "docx": "Word document",
    "pptx": "PowerPoint presentation",
    "xlsx": "Excel spreadsheet",
}
_OOXML_PARTS = (("word/", "docx"), ("ppt/", "pptx"), ("xl/", "xlsx"))
ALLOWED_HELP = "PDF, Word (DOCX), PowerPoint (PPTX), Excel (XLSX), PNG or JPEG"


class FileRefused(Exception):
    """The file cannot be kept; the message says why in plain words."""


@dataclass
class CheckedFile:
    filename: str
    kind: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def _ooxml_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in _OOXML_PARTS:
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def detect_kind(data: bytes) -> str | None:
    """Name the file's type from its first bytes (and for Office files, its parts), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_kind(data)
    return None


def _refusal_for_unknown(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if head.startswith(b"mz") or head.startswith(b"\x7felf") or head.startswith(b"#!"):
        return "is a program. Programs cannot be attached, for everyone's safety."
    markup = (b"<svg", b"<html", b"<!doctype", b"<script", b"<?xml")
    if any(marker in head for marker in markup):
        return "is a web page or SVG image, which cannot be attached because it could run code."
    return f"is not a type we can keep. Please attach a {ALLOWED_HELP} file."


def safe_filename(name: str | None, kind: str) -> str:
    """Keep a readable name without paths, hidden characters or odd lengths; fix its extension."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " ")
    name = re.sub(r"[\"<>:|?*;]", "", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:MAX_NAME].strip(" .") or "attachment"
    extension = "jpg" if kind == "jpeg" else kind
    return f"{stem}.{extension}"


def check(filename: str | None, data: bytes) -> CheckedFile:
    """Return the file ready to keep, or raise FileRefused with the reason."""
    shown = safe_filename(filename, "pdf").rsplit(".", 1)[0]
    if not data:
        raise FileRefused(f"“{shown}” is empty. Please choose the file again.")
    if len(data) > MAX_BYTES:
        raise FileRefused(f"“{shown}” is larger than 10 MB. Please attach a smaller version.")
    kind = detect_kind(data)
    if kind is None:
        raise FileRefused(f"“{shown}” {_refusal_for_unknown(data)}")
    return CheckedFile(safe_filename(filename, kind), kind, data)


def content_disposition(filename: str) -> str:
    """Build an RFC 6266 attachment header: an ASCII fallback and the UTF-8 name."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback) or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def data_of(attachment: Attachment) -> bytes:
    """Read the file's bytes, which lists never load."""
    return db.session.scalar(select(AttachmentBlob.data).where(AttachmentBlob.attachment_id == attachment.id))


def remove(attachment: Attachment, actor: User) -> None:
    """Delete the file, and note who did in the audit log; removed twice at once, it is removed (and noted)
    once: the second finds it gone."""
    if not versions.take(attachment):
        return
    db.session.delete(attachment)
    audit.record(actor, "casestudy.attachment.remove", attachment.case_study, detail=attachment.filename)
    db.session.commit()
