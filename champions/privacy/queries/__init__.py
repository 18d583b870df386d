"""Reads for the privacy pages: consents, exports and the files an export copies."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from champions.accounts import services as accounts_services
from champions.accounts.models import User
from champions.casestudies.models import Attachment, CaseStudy
from champions.directory.models import ChampionProfile
from champions.discussions import queries as discussion_queries
from champions.discussions.models import EmailMode
from champions.extensions import db
from champions.privacy.models import (
    CONSENT_TITLES,
    CONSENT_WORDINGS,
    ConsentKind,
    ConsentRecord,
    DataExport,
    current_version,
)

FORMAT_VERSION = 1


def iso(moment) -> str | None:
    """A time or date as ISO 8601 text (times are UTC), or None."""
    if moment is None:
        return None
    return moment.isoformat() + ("Z" if isinstance(moment, datetime) else "")


def consents_of(user: User) -> list[ConsentRecord]:
    """Every consent this person gave, newest first."""
    return list(
        db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.user_id == user.id)
            .order_by(ConsentRecord.given_at.desc(), ConsentRecord.id.desc())
        )
    )


def open_consent(user_id: int, kind: str) -> ConsentRecord | None:
    """The consent of this kind the person has given and not withdrawn."""
    return db.session.scalar(
        select(ConsentRecord)
        .where(
            ConsentRecord.user_id == user_id,
            ConsentRecord.kind == kind,
            ConsentRecord.withdrawn_at.is_(None),
        )
        .order_by(ConsentRecord.id.desc())
        .limit(1)
    )


def exports_for(user: User) -> list[DataExport]:
    """The exports this person asked for (of their own data or, for the DPO, of others'), newest first."""
    return list(
        db.session.scalars(
            select(DataExport)
            .where(DataExport.requested_by_id == user.id)
            .options(selectinload(DataExport.subject))
            .order_by(DataExport.requested_at.desc(), DataExport.id.desc())
            .limit(20)
        )
    )


def exports_of(subject: User) -> list[DataExport]:
    """The exports of this person's data, whoever asked, newest first."""
    return list(
        db.session.scalars(
            select(DataExport)
            .where(DataExport.subject_id == subject.id)
            .options(selectinload(DataExport.requested_by))
            .order_by(DataExport.requested_at.desc(), DataExport.id.desc())
            .limit(20)
        )
    )


def export_by_token_hash(token_hash: str) -> DataExport | None:
    return db.session.scalar(select(DataExport).where(DataExport.token_hash == token_hash))


def queued_exports(limit: int) -> list[int]:
    return list(
        db.session.scalars(
            select(DataExport.id).where(DataExport.status == "queued").order_by(DataExport.id).limit(limit)
        )
    )


def people_page(page: int, query: str):
    """The people the DPO's search finds, by name or email address."""
    return accounts_services.users_page(page, query, per_page=25)


def attachment_files(user: User) -> list[Attachment]:
    """The files of this person's case studies, without their bytes."""
    return list(
        db.session.scalars(
            select(Attachment).join(CaseStudy).where(CaseStudy.author_id == user.id).order_by(Attachment.id)
        )
    )


@dataclass
class ConsentState:
    """One kind of consent as /account/consents shows it: on or off, and the record behind it."""

    kind: str
    title: str
    is_on: bool
    record: ConsentRecord | None
    wording: str


def consent_overview(user: User) -> list[ConsentState]:
    """Each kind of consent, whether it is on now, and the wording the person agreed to."""
    profile = db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))
    emails_on = discussion_queries.settings_for(user).email_mode != EmailMode.OFF
    states = []
    for kind in ConsentKind:
        record = open_consent(user.id, kind)
        is_on = {
            ConsentKind.DIRECTORY_LISTING: bool(profile and profile.is_listed),
            ConsentKind.DISCUSSION_EMAIL: emails_on,
        }.get(kind, record is not None)
        wording = record.wording if record else CONSENT_WORDINGS[kind][current_version(kind)]
        states.append(ConsentState(kind.value, CONSENT_TITLES[kind], is_on, record, wording))
    return states
