"""Data exports: asked for on a page, built by `flask build-exports`, downloaded once through an emailed link.

Building reads every table about a person and copies their files, which for a prolific author can take
a while and many megabytes; a cron job does it so no web worker waits on it, and the download only
hands over bytes already made.
"""

import hashlib
import json
import logging
import secrets
import zipfile
from datetime import datetime, timedelta
from tempfile import SpooledTemporaryFile

from flask import render_template
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from champions import audit, mail, once
from champions.accounts.models import User
from champions.casestudies.models import AttachmentBlob
from champions.clock import utcnow
from champions.extensions import db
from champions.links import external_url
from champions.privacy import queries
from champions.privacy.models import DataExport, ExportStatus
from champions.privacy.queries import export as export_queries

LINK_DAYS = 7
# A build claimed this long ago and never finished stopped with its process: it is queued again.
STALE_BUILD = timedelta(hours=1)
IN_MEMORY_BYTES = 8 * 1024 * 1024  # a bigger ZIP is written to a temporary file while it is built
log = logging.getLogger(__name__)


class AlreadyWaiting(Exception):
    """An export of this person's data, asked for by the same person, is still being made or downloaded."""


class LinkUnknown(Exception):
    """No export has this link, or it belongs to someone else."""


class LinkSpent(Exception):
    """The link has been used, or has expired."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def waiting_export(subject: User, requested_by: User, now: datetime) -> DataExport | None:
    """The export of subject's data that requested_by asked for and has not downloaded yet."""
    for export in queries.exports_of(subject):
        if export.requested_by_id == requested_by.id and export.is_pending and not export.is_spent(now):
            return export
    return None


def request_export(
    subject: User, requested_by: User, reason: str = "", form_key: str | None = None
) -> DataExport:
    """Queue a copy of subject's data for requested_by to download; one waiting at a time.

    The same form sent twice, even at the same instant, asks once (the second raises AlreadyWaiting).
    """
    requester_id, subject_id = requested_by.id, subject.id
    now = utcnow()
    try:
        once.check(requester_id, form_key)
        if waiting_export(subject, requested_by, now):
            raise AlreadyWaiting
        _expire_spent(subject_id, requester_id, now)
        export = DataExport(subject=subject, requested_by=requested_by, reason=reason)
        db.session.add(export)
        db.session.flush()
        audit.record(requested_by, "privacy.export.request", subject, reason)
        once.commit(requester_id, form_key, "privacy.export", export.id)
    except once.AlreadyDone:
        raise AlreadyWaiting from None
    except IntegrityError:  # asked from two tabs at once: the other's copy is the one waiting
        db.session.rollback()
        raise AlreadyWaiting from None
    return export


def _expire_spent(subject_id: int, requester_id: int, now: datetime) -> None:
    """Mark this asker's ready copy expired once its link has run out, before the nightly run does, so the
    unique key of one waiting copy agrees with waiting_export() (no commit)."""
    db.session.execute(
        update(DataExport)
        .where(
            DataExport.subject_id == subject_id,
            DataExport.requested_by_id == requester_id,
            DataExport.status == ExportStatus.READY.value,
            DataExport.expires_at <= now,
        )
        .values(status=ExportStatus.EXPIRED.value, data=None),
        execution_options={"synchronize_session": False},
    )


def write_zip(user: User) -> bytes:
    """Build the ZIP of everything held about this person: README.txt, data.json, index.html and files."""
    data = export_queries.personal_data(user)
    with SpooledTemporaryFile(max_size=IN_MEMORY_BYTES) as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", render_template("privacy/export/README.txt", data=data))
            archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
            archive.writestr("index.html", render_template("privacy/export/index.html", data=data))
            for attachment in queries.attachment_files(user):
                # One file's bytes at a time, so memory holds at most the largest file.
                blob = db.session.get(AttachmentBlob, attachment.id)
                archive.writestr(export_queries.attachment_path(attachment), blob.data if blob else b"")
                if blob is not None:
                    db.session.expunge(blob)
        spool.seek(0)
        return spool.read()


def _claim(export_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(DataExport)
        .where(DataExport.id == export_id, DataExport.status == ExportStatus.QUEUED.value)
        .values(status=ExportStatus.BUILDING.value, claimed_at=now)
    ).rowcount
    db.session.commit()
    return claimed == 1


def build(export_id: int, now: datetime | None = None) -> bool:
    """Build one queued export and email its one-time link; False when another run took it."""
    now = now or utcnow()
    if not _claim(export_id, now):
        return False
    export = db.session.get(DataExport, export_id)
    try:
        data = write_zip(export.subject)
    except Exception:
        db.session.rollback()
        export.status = ExportStatus.QUEUED.value  # the next run tries again
        db.session.commit()
        raise
    token = secrets.token_urlsafe(32)
    export.data, export.size, export.token_hash = data, len(data), _digest(token)
    export.status, export.ready_at = ExportStatus.READY.value, now
    export.expires_at = now + timedelta(days=LINK_DAYS)
    mail.queue(
        export.requested_by.email,
        "Your copy of the data is ready to download",
        "privacy/export_ready",
        export=export,
        for_someone_else=export.subject_id != export.requested_by_id,
        download_url=external_url("privacy.download", token=token),
    )
    db.session.commit()
    return True


def expire(now: datetime | None = None) -> int:
    """Drop the copies whose links have expired, keeping the row as a record that one was made."""
    now = now or utcnow()
    count = db.session.execute(
        update(DataExport)
        .where(DataExport.status == ExportStatus.READY.value, DataExport.expires_at <= now)
        .values(status=ExportStatus.EXPIRED.value, data=None)
    ).rowcount
    db.session.commit()
    return count


def requeue_stale(now: datetime) -> int:
    """Queue again the builds whose process stopped before finishing."""
    count = db.session.execute(
        update(DataExport)
        .where(DataExport.status == ExportStatus.BUILDING.value, DataExport.claimed_at < now - STALE_BUILD)
        .values(status=ExportStatus.QUEUED.value)
    ).rowcount
    db.session.commit()
    return count


def build_pending(now: datetime | None = None, limit: int = 50) -> dict[str, int]:
    """Expire old links, requeue stopped builds, then build the queued exports; return counts."""
    now = now or utcnow()
    requeue_stale(now)
    counts = {"expired": expire(now), "built": 0, "failed": 0}
    for export_id in queries.queued_exports(limit):
        try:
            counts["built"] += build(export_id, now)
        except Exception:
            # One person's broken export must not hold up everyone else's; it stays queued for the next run.
            log.exception("Could not build data export %s", export_id)
            counts["failed"] += 1
    return counts


def export_for_link(token: str, user, now: datetime | None = None) -> DataExport:
    """The export this link names, for the person who asked for it, while it still works."""
    export = queries.export_by_token_hash(_digest(token))
    if export is None or not export.is_for(user):
        raise LinkUnknown
    if export.is_spent(now or utcnow()):
        raise LinkSpent
    return export


def take(export: DataExport, user: User, now: datetime | None = None) -> bytes:
    """Hand over the ZIP once: mark the link used, drop the stored copy and audit the download."""
    now = now or utcnow()
    data = db.session.scalar(select(DataExport.data).where(DataExport.id == export.id))
    taken = db.session.execute(
        update(DataExport)
        .where(DataExport.id == export.id, DataExport.status == ExportStatus.READY.value)
        .values(status=ExportStatus.USED.value, used_at=now, data=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1 or data is None:
        db.session.rollback()
        raise LinkSpent  # a second press of the button, or another tab, got there first
    audit.record(user, "privacy.export.download", export.subject, f"{len(data)} bytes")
    db.session.commit()
    return data
