"""Who may see, edit and review a case study. Views turn 'no' into 404 (cannot see) or 403."""

from champions.casestudies.models import CaseStudy, Status

EDITABLE = {Status.DRAFT, Status.PUBLISHED, Status.UNPUBLISHED}


def is_author(user, case_study: CaseStudy) -> bool:
    return user.is_authenticated and case_study.author_id == user.id


def can_view(user, case_study: CaseStudy) -> bool:
    """Drafts only to their author; other unpublished states to the author and coordinators."""
    if case_study.status == Status.PUBLISHED:
        return case_study.is_public or user.is_authenticated
    if is_author(user, case_study):
        return True
    return case_study.status != Status.DRAFT and user.is_coordinator


def can_edit(user, case_study: CaseStudy) -> bool:
    return (user.is_champion and is_author(user, case_study)
            and case_study.status_enum in EDITABLE)


def can_review(user, case_study: CaseStudy) -> bool:
    waiting = case_study.status == Status.SUBMITTED or case_study.pending_status == "submitted"
    return user.is_coordinator and waiting


def can_see_history(user, case_study: CaseStudy) -> bool:
    return user.is_coordinator or is_author(user, case_study)
