"""Load-or-404 helpers for case study pages; who may do what is asked of the CaseStudy itself."""

from flask import abort
from flask_login import current_user

from champions.casestudies import queries
from champions.casestudies.models import Attachment, CaseStudy
from champions.extensions import db


def viewable_or_404(case_study_id: int) -> CaseStudy:
    """Load the case study with what its page shows, or 404 when this person may not see it."""
    case_study = queries.load(case_study_id)
    if case_study is None or not case_study.can_view(current_user):
        abort(404)
    return case_study


def attachment_or_404(case_study_id: int, attachment_id: int) -> Attachment:
    """Load a file of a case study this person may see; a waiting file only for author and coordinators."""
    case_study = viewable_or_404(case_study_id)
    attachment = db.get_or_404(Attachment, attachment_id)
    if attachment.case_study_id != case_study.id:
        abort(404)
    if attachment.pending and not case_study.can_see_history(current_user):
        abort(404)
    return attachment
