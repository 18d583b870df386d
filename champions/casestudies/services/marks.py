"""What readers do with a case study: save it for later, say it was useful; and their lists."""

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from champions.accounts.models import User
from champions.casestudies.models import Bookmark, CaseStudy, Status, UsefulMark, Visibility
from champions.extensions import db


def toggle_bookmark(user: User, case_study: CaseStudy) -> bool:
    """Save the case study for later, or un-save it; return whether it is saved now."""
    removed = db.session.execute(
        delete(Bookmark).where(Bookmark.user_id == user.id, Bookmark.case_study_id == case_study.id)
    ).rowcount
    if not removed:
        db.session.add(Bookmark(user_id=user.id, case_study_id=case_study.id))
    db.session.commit()
    return not removed


def _add_once(row) -> bool:
    """Add a one-per-person row; return False when the same request, sent twice at once, added it first."""
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def set_bookmark(user: User, case_study: CaseStudy, saved: bool) -> bool:
    """Save the case study for later, or remove it from the saved list; return whether it is saved now."""
    mine = (Bookmark.user_id == user.id, Bookmark.case_study_id == case_study.id)
    if not saved:
        db.session.execute(delete(Bookmark).where(*mine))
        db.session.commit()
    elif not db.session.scalar(select(func.count()).select_from(Bookmark).where(*mine)):
        _add_once(Bookmark(user_id=user.id, case_study_id=case_study.id))
    return saved


def mark_useful(user: User, case_study: CaseStudy) -> bool:
    """Count this person once; return False when they had already said so."""
    exists = db.session.scalar(
        select(func.count(UsefulMark.id)).where(
            UsefulMark.user_id == user.id, UsefulMark.case_study_id == case_study.id
        )
    )
    if exists:
        return False
    return _add_once(UsefulMark(user_id=user.id, case_study_id=case_study.id))


def saved_by(user: User) -> list[CaseStudy]:
    """The published case studies this person saved, newest save first (for /account)."""
    return list(
        db.session.scalars(
            select(CaseStudy)
            .join(Bookmark, Bookmark.case_study_id == CaseStudy.id)
            .where(Bookmark.user_id == user.id, CaseStudy.status == Status.PUBLISHED)
            .options(selectinload(CaseStudy.organisation))
            .order_by(Bookmark.created_at.desc())
        )
    )


def published_by_author(user_id: int, limit: int = 5, public_only: bool = False) -> list[CaseStudy]:
    """The author's latest published case studies (for their champion profile).

    Pass public_only=True when the viewer is not signed in.
    """
    query = select(CaseStudy).where(CaseStudy.author_id == user_id, CaseStudy.status == Status.PUBLISHED)
    if public_only:
        query = query.where(CaseStudy.visibility == Visibility.PUBLIC)
    return list(db.session.scalars(query.order_by(CaseStudy.published_at.desc()).limit(limit)))
