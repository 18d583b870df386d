"""Load-or-404 helpers: an assessment is there only for its organisation's people, coordinators and admins."""

from flask import abort

from champions.assessments import queries
from champions.assessments.models import Assessment, Domain


def can_see(user, assessment: Assessment) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_coordinator:
        return True
    return queries.belongs_to_organisation(user, assessment.organisation_id) and (
        any(c.user_id == user.id for c in assessment.contributors)
        or queries.is_organisation_champion(user, assessment.organisation_id)
    )


def can_contribute(user, assessment: Assessment) -> bool:
    """Its organisation's champions and invited contributors who still belong to it (coordinators read,
    they do not write)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if any(c.user_id == user.id for c in assessment.contributors) and queries.belongs_to_organisation(
        user, assessment.organisation_id
    ):
        return True
    return queries.is_organisation_champion(user, assessment.organisation_id)


def assessment_or_404(assessment_id: int, user) -> Assessment:
    """Someone else's assessment is a 404, the same as one that does not exist."""
    assessment = queries.assessment(assessment_id)
    if assessment is None or not can_see(user, assessment):
        abort(404)
    return assessment


def champion_assessment_or_404(assessment_id: int, user) -> Assessment:
    """For what only the organisation's champions may do: invite, submit, reopen."""
    assessment = assessment_or_404(assessment_id, user)
    if not queries.is_organisation_champion(user, assessment.organisation_id):
        abort(403)
    return assessment


def domain_or_404(assessment: Assessment, domain_id: int) -> Domain:
    """A domain of the framework version this assessment uses; any other id is a 404."""
    domain = next((d for d in assessment.framework.domains if d.id == domain_id), None)
    if domain is None:
        abort(404)
    return domain
