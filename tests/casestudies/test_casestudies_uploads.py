"""Attachments: checked by content, refused with a clear message, the text kept, served safely."""

import io
import zipfile

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from champions.accounts.models import Role
from champions.casestudies.models import Attachment, CaseStudy
from champions.casestudies.services import files as attachments
from champions.extensions import db

FORM = {
    "title": "Kinship carers' peer group",
    "summary": "A monthly peer group led by carers.",
    "challenge": "Carers felt judged.",
    "visibility": "public",
    "action": "draft",
}


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<doc/>")
    return buffer.getvalue()


def post(client, *files, url="/case-studies/new", **extra):
    data = {**FORM, **extra, "files": [(io.BytesIO(content), name) for name, content in files]}
    # Build the request ourselves so the big body the test client spools to disk is closed.
    environ = EnvironBuilder(path=url, method="POST", data=data).get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


def test_good_files_are_kept_in_the_database_and_served_safely(client, as_role, pdf_bytes, png_bytes):
    as_role(Role.CHAMPION)
    response = post(
        client,
        ("report.pdf", pdf_bytes),
        ("poster.PNG", png_bytes),
        ("plan.docx", office_file("word/")),
        ("slides.pptx", office_file("ppt/")),
        ("figures.xlsx", office_file("xl/")),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    case_study = db.session.scalar(select(CaseStudy))
    kinds = [a.kind for a in case_study.attachments]
    assert kinds == ["pdf", "png", "docx", "pptx", "xlsx"]
    first = case_study.attachments[0]
    served = client.get(f"/case-studies/{case_study.id}/files/{first.id}")
    assert served.data == pdf_bytes
    assert served.mimetype == "application/pdf"
    assert (
        served.headers["Content-Disposition"]
        == "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
    )
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "web page or SVG"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "web page or SVG",
        ),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "web page or SVG"),
        ("empty.pdf", b"", "is empty"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 100, "is a program"),
        ("tool.docx", b"\x7fELF" + b"\x00" * 100, "is a program"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 100, "not a type we can keep"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_refused_files_keep_the_text(client, as_role, name, content, message):
    as_role(Role.CHAMPION)
    response = post(client, (name, content))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page and "Your text is kept" in page
    assert 'value="Kinship carers&#39; peer group"' in page and "Carers felt judged." in page
    assert 'id="files-error"' in page
    assert db.session.scalar(select(CaseStudy)) is None


def test_a_plain_zip_is_not_an_office_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert attachments.detect_kind(buffer.getvalue()) is None


def test_a_sixth_file_is_refused(client, as_role, make_case_study, png_bytes):
    author = as_role(Role.CHAMPION)
    case_study = make_case_study(
        status="draft", author=author, files=[(f"p{n}.png", "png", png_bytes) for n in range(5)]
    )
    response = post(client, ("sixth.png", png_bytes), url=f"/case-studies/{case_study.id}/edit")
    assert "up to 5 files" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Attachment)).all()) == 5


def test_six_files_at_once_are_refused(client, as_role, png_bytes):
    as_role(Role.CHAMPION)
    response = post(client, *[(f"p{n}.png", png_bytes) for n in range(6)])
    assert "up to 5 files" in response.get_data(as_text=True)


@pytest.mark.app_config({"UPLOAD_MAX_CONTENT_LENGTH": 1024 * 1024})
def test_an_oversized_request_gets_the_styled_413_page(client, as_role):
    as_role(Role.CHAMPION)
    response = post(client, ("huge.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024)))
    assert response.status_code == 413
    assert "too big" in response.get_data(as_text=True)  # the styled page, whatever its exact words


@pytest.mark.parametrize(
    ("given", "kind", "expected"),
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("..\\..\\windows\\evil.png", "png", "evil.png"),
        ("a\x00b.pdf", "pdf", "ab.pdf"),
        ("invoice\u202efdp.exe", "pdf", "invoicefdp.pdf"),
        ("x" * 500 + ".pdf", "pdf", "x" * 100 + ".pdf"),
        ("", "jpeg", "attachment.jpg"),
        ("...", "pdf", "attachment.pdf"),
        ("photo.pdf", "png", "photo.png"),
        ("Plan d’action café.docx", "docx", "Plan d’action café.docx"),
    ],
)
def test_file_names_are_made_safe(given, kind, expected):
    assert attachments.safe_filename(given, kind) == expected


def test_unicode_names_are_sent_with_rfc_6266(client, make_case_study, png_bytes):
    case_study = make_case_study(files=[("Plan café ‮.png", "png", png_bytes)])
    attachment = case_study.attachments[0]
    header = client.get(f"/case-studies/{case_study.id}/files/{attachment.id}").headers["Content-Disposition"]
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''" in header and "\u202e" not in header


def test_a_dangerous_name_is_stored_safely(client, as_role, pdf_bytes):
    as_role(Role.CHAMPION)
    post(client, ("../../\u202eevil" + "x" * 300 + ".pdf", pdf_bytes))
    attachment = db.session.scalar(select(Attachment))
    assert "/" not in attachment.filename and "\u202e" not in attachment.filename
    assert len(attachment.filename) <= 104


def test_files_added_to_a_published_case_study_wait_for_review(client, make_case_study, sign_in, png_bytes):
    case_study = make_case_study(status="published")
    sign_in(case_study.author)
    url, opened = f"/case-studies/{case_study.id}/edit", case_study.content_fingerprint()
    post(client, ("new.png", png_bytes), url=url, action="submit", opened=opened)
    attachment = db.session.scalar(select(Attachment))
    assert attachment.pending
    client.post("/account/sign-out")
    assert client.get(f"/case-studies/{case_study.id}/files/{attachment.id}").status_code == 404
    assert "new.png" not in client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)


def test_the_author_removes_a_file(client, as_role, make_case_study, png_bytes):
    author = as_role(Role.CHAMPION)
    case_study = make_case_study(status="draft", author=author, files=[("p.png", "png", png_bytes)])
    attachment_id = case_study.attachments[0].id
    response = client.post(f"/case-studies/{case_study.id}/files/{attachment_id}/remove")
    assert response.headers["Location"] == f"/case-studies/{case_study.id}/edit"
    assert db.session.scalar(select(Attachment)) is None
