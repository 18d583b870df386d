"""Factories for case study tests: built through the services, as the app builds them."""

import struct
import zlib

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.casestudies import services
from champions.casestudies.models import Status
from champions.casestudies.services.files import CheckedFile
from champions.extensions import db
from champions.reference.models import Principle, Sector

REVIEWED = {key: True for key in services.CHECKLIST}


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def tiny_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def png_bytes():
    return tiny_png()


@pytest.fixture
def pdf_bytes():
    return tiny_pdf()


def content(**overrides) -> dict:
    values = {
        "title": "Reflective practice sessions for home care staff",
        "summary": "Monthly reflective sessions helped carers talk about hard visits.",
        "challenge": "Carers felt **isolated** after the pandemic.",
        "approach": "We set up monthly sessions with a facilitator.",
        "involvement": "Carers and people who use the service designed it together.",
        "impact": "Sickness absence fell by a fifth over a year.",
        "learning": "Protected time matters more than the format.",
        "advice": "Start small and ask staff what they need.",
        "contact_name": "",
        "contact_email": "",
        "visibility": "public",
        "co_produced": True,
        "review_by": None,
        "topics": ["Peer support"],
        "sector_ids": [],
        "principle_ids": [],
        "domain_ids": [],
        "level_ids": [],
        "area_ids": [],
    }
    values.update(overrides)
    return values


@pytest.fixture
def make_content():
    return content


@pytest.fixture
def sector():
    return db.session.scalars(select(Sector).order_by(Sector.position)).first()


@pytest.fixture
def principle():
    return db.session.scalars(select(Principle).order_by(Principle.position)).first()


@pytest.fixture
def make_case_study(make_user):
    """Make a case study in any state: make_case_study(status="draft", author=..., **content)."""
    reviewer = {}

    def make(status: str = Status.PUBLISHED, author=None, files=(), **overrides):
        author = author or make_user(role=Role.CHAMPION)
        checked = [CheckedFile(name, kind, data) for name, kind, data in files]
        case_study = services.create(author, content(**overrides), checked, submit=status != Status.DRAFT)
        if status in (Status.PUBLISHED, Status.UNPUBLISHED, Status.ARCHIVED):
            if "user" not in reviewer:
                reviewer["user"] = make_user(role=Role.COORDINATOR)
            services.publish(case_study, reviewer["user"], REVIEWED)
        if status == Status.UNPUBLISHED:
            services.unpublish(case_study, reviewer["user"])
        if status == Status.ARCHIVED:
            services.archive(case_study, reviewer["user"])
        return case_study

    return make
