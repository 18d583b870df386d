"""Starting, inviting, saving a domain, submitting, reopening, reminders: one commit per change."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from champions import audit, clock, mail, versions
from champions.accounts.models import User
from champions.assessments import charts, queries
from champions.assessments.models import (
    INVITATION_DAYS,
    REOPEN_DAYS,
    Action,
    Answer,
    Assessment,
    Contributor,
    Domain,
    Framework,
    Invitation,
    Statement,
    Status,
)
from champions.casestudies.models import CaseStudy
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.links import external_url
from champions.reference.models import Organisation, organisation_council_areas
from champions.reference.services import add_organisation, organisation_named


class NoFramework(Exception):
    """No published framework version to start from."""


class Stale(Exception):
    """Someone saved this part since the form was opened, or the assessment changed state."""


class Locked(Exception):
    """The assessment is submitted: it can be read, not changed, until it is reopened."""


class NotReady(Exception):
    """Some domains still need a rating or evidence before the assessment can be submitted."""


class TooLate(Exception):
    """Reopening is possible only within 14 days of submitting."""


class AnotherDraftOpen(Exception):
    """The organisation already has a draft open, so this one cannot be reopened beside it."""


class NotForYou(Exception):
    """The invitation is for another address or another organisation."""


def start(user: User, organisation: Organisation) -> Assessment:
    """Open a draft for the organisation; if one is open already (two clicks, two champions), return it."""
    framework = queries.current_framework()
    if framework is None:
        raise NoFramework
    existing = queries.open_draft(organisation.id)
    if existing is not None:
        return existing
    assessment = Assessment(organisation=organisation, framework=framework, started_by=user)
    db.session.add(assessment)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return queries.open_draft(organisation.id)
    return assessment


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(assessment: Assessment, inviter: User, email: str) -> None:
    """Email an invitation to contribute. The same words follow whether or not the address has an account,
    and an address invited before is not emailed again."""
    address = email.strip().lower()
    token = secrets.token_urlsafe(24)
    earlier = queries.invitation_to(assessment.id, address)
    if earlier is not None:
        if utcnow() - earlier.created_at <= timedelta(days=INVITATION_DAYS):
            return
        # its link has run out: the same row gets a new link (the old one stops working), once: of two
        # sendings at once, the one that finds the row still as read renews it; the other sends nothing
        if not versions.take(earlier, Invitation.created_at == earlier.created_at):
            return
        earlier.token_hash, earlier.created_at, earlier.invited_by = _hash(token), utcnow(), inviter
    else:
        invitation = Invitation(
            assessment=assessment, email=address, token_hash=_hash(token), invited_by=inviter
        )
        db.session.add(invitation)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return
    mail.queue(
        address,
        f"{inviter.name} invites you to an organisational self-assessment"[:200],
        "assessments/invitation",
        inviter=inviter,
        organisation=assessment.organisation,
        accept_url=external_url("assessments.invitation", token=token),
        register_url=external_url("accounts.register"),
        days=INVITATION_DAYS,
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def invitation_for(token: str) -> Invitation | None:
    """The invitation behind an emailed link, while it is fresh: an old link lets nobody in."""
    invitation = queries.invitation_by_hash(_hash(token))
    if invitation is None or utcnow() - invitation.created_at > timedelta(days=INVITATION_DAYS):
        return None
    return invitation


def accept(invitation: Invitation, user: User) -> Assessment:
    """Add the signed-in person as a contributor; accepting twice adds them once."""
    assessment = invitation.assessment
    if user.email.lower() != invitation.email or not queries.belongs_to_organisation(
        user, assessment.organisation_id
    ):
        raise NotForYou
    db.session.add(Contributor(assessment_id=assessment.id, user_id=user.id))
    invitation.accepted_at = invitation.accepted_at or utcnow()
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return assessment


@dataclass
class ActionInput:
    description: str
    owner_id: int
    due_on: date


def _move_on(assessment: Assessment, seen_version: int, *conditions, **values) -> bool:
    """One conditional UPDATE: set the values and move the version on, only while the assessment is still
    at the version read and the conditions hold. Of two such changes at once, exactly one finds its row."""
    return (
        db.session.execute(
            update(Assessment)
            .where(Assessment.id == assessment.id, Assessment.version == seen_version, *conditions)
            .values(version=Assessment.version + 1, **values),
            execution_options={"synchronize_session": False},
        ).rowcount
        == 1
    )


def _bump(assessment: Assessment, seen_version: int) -> int:
    """Move the version on in SQL while it is still a draft at the version read; return the new one."""
    if not _move_on(assessment, seen_version, Assessment.status == Status.DRAFT, updated_at=utcnow()):
        raise Stale
    return seen_version + 1


def save_domain(
    assessment: Assessment,
    domain: Domain,
    user: User,
    form_version: int,
    rating: str | None,
    evidence: str,
    links: list[str],
    actions: list[ActionInput],
) -> None:
    """Save one domain's page. Refused when submitted, or when this domain was saved after the form opened."""
    if not assessment.is_draft:
        raise Locked
    answer = assessment.answer_for(domain)
    if form_version > assessment.version or (answer is not None and answer.saved_in_version > form_version):
        raise Stale
    try:
        new_version = _bump(assessment, assessment.version)
        if answer is None:
            answer = Answer(assessment_id=assessment.id, domain_id=domain.id)
            db.session.add(answer)
        answer.rating = rating or None
        answer.evidence = evidence
        answer.links = "\n".join(links)
        answer.saved_in_version = new_version
        answer.updated_by_id = user.id
        answer.updated_at = utcnow()
        db.session.execute(
            delete(Action).where(Action.assessment_id == assessment.id, Action.domain_id == domain.id),
            execution_options={"synchronize_session": False},
        )
        for item in actions:
            db.session.add(
                Action(
                    assessment_id=assessment.id,
                    domain_id=domain.id,
                    description=item.description,
                    owner_id=item.owner_id,
                    due_on=item.due_on,
                )
            )
        db.session.commit()
    except IntegrityError as error:  # the same domain's first save, twice at once
        db.session.rollback()
        raise Stale from error
    except Stale:
        db.session.rollback()
        raise
    db.session.expire(assessment)


def missing(assessment: Assessment) -> list[Domain]:
    """The domains still without a rating or evidence."""
    return [
        d
        for d in assessment.framework.domains
        if (a := assessment.answer_for(d)) is None or not a.rating or not a.evidence.strip()
    ]


def submit(assessment: Assessment, user: User, form_version: int) -> None:
    """Lock the assessment and draw its chart once; the same form sent twice submits once."""
    if not assessment.is_draft:
        raise Locked
    if missing(assessment):
        raise NotReady
    svg = charts.draw(
        [
            (d.name, (a.rating if (a := assessment.answer_for(d)) else None))
            for d in assessment.framework.domains
        ]
    )
    now = utcnow()
    done = _move_on(
        assessment,
        form_version,
        Assessment.status == Status.DRAFT,
        status=Status.SUBMITTED.value,
        submitted_at=now,
        submitted_by_id=user.id,
        updated_at=now,
        chart_svg=svg,
    )
    if not done:
        db.session.rollback()
        raise Stale
    db.session.commit()
    db.session.expire(assessment)


def can_reopen(assessment: Assessment) -> bool:
    return (
        assessment.is_submitted
        and assessment.submitted_at is not None
        and utcnow() - assessment.submitted_at <= timedelta(days=REOPEN_DAYS)
    )


def reopen(assessment: Assessment, user: User, reason: str, seen_version: int) -> None:
    """Make a submitted assessment a draft again, within 14 days, with a reason in the audit log; refused
    when it changed since the form was opened (reopened and submitted again by someone else meanwhile)."""
    if not assessment.is_submitted:
        raise Stale
    if not can_reopen(assessment):
        raise TooLate
    try:
        done = _move_on(
            assessment,
            seen_version,
            Assessment.status == Status.SUBMITTED,
            status=Status.DRAFT.value,
            reopened_at=utcnow(),
            reopen_reason=reason,
            chart_svg=None,
        )
        if not done:
            raise Stale
        audit.record(user, "assessment.reopen", assessment, reason[:500])
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise AnotherDraftOpen from error
    except Stale:
        db.session.rollback()
        raise
    db.session.expire(assessment)


def send_action_reminders(today: date | None = None, days_ahead: int = 7) -> int:
    """Email each owner once about an action due within a week (or overdue); safe to run again."""
    today = today or clock.today()
    sent = 0
    for action in queries.actions_due(today + timedelta(days=days_ahead)):
        owner = action.owner
        claimed = db.session.execute(
            update(Action)
            .where(Action.id == action.id, Action.reminded_at.is_(None))
            .values(reminded_at=utcnow()),
            execution_options={"synchronize_session": False},
        ).rowcount
        if claimed != 1:
            continue
        if owner is not None and owner.is_active and not owner.is_closed:
            mail.queue(
                owner.email,
                f"Action due {action.due_on:%-d %B %Y}: {action.description}"[:200],
                "assessments/action_reminder",
                owner=owner,
                action=action,
                overdue=action.due_on < today,
                assessment_url=external_url("assessments.summary", assessment_id=action.assessment_id),
            )
            sent += 1
        db.session.commit()
    return sent


# -- frameworks: admins copy a version, edit its wording, publish it --------------------------------------


class Published(Exception):
    """A published framework version never changes: make a new version to change the wording."""


def copy_framework(admin: User, framework: Framework) -> Framework:
    """A new unpublished version with the same domains and statements; while one waits, return it."""
    waiting = queries.unpublished_version(framework.name)
    if waiting is not None:
        return waiting
    copy = Framework(
        name=framework.name,
        version_number=queries.latest_version_number(framework.name) + 1,
        is_published=False,
        wording_note=framework.wording_note,
    )
    db.session.add(copy)
    try:
        db.session.flush()
        for domain in framework.domains:
            new = Domain(framework_id=copy.id, slug=domain.slug, name=domain.name, position=domain.position)
            db.session.add(new)
            db.session.flush()
            for statement in domain.statements:
                db.session.add(
                    Statement(
                        domain_id=new.id,
                        principle_id=statement.principle_id,
                        text=statement.text,
                        position=statement.position,
                    )
                )
        audit.record(
            admin, "framework.copy", copy, f"version {copy.version_number} from {framework.version_number}"
        )
        db.session.commit()
    except IntegrityError:  # the same copy asked for twice at once: the other made it
        db.session.rollback()
        return queries.unpublished_version(framework.name)
    return copy


def save_domain_wording(
    admin: User, domain: Domain, seen_version: int, name: str, texts: dict[int, str]
) -> None:
    """Change a domain's name and statements in an unpublished version, if nobody saved it since."""
    framework = domain.framework
    if framework.is_published:
        raise Published
    # Hold the version while it is still unpublished: a publish that lands between the check above and this
    # save waits for it (PostgreSQL), or has committed and is seen here (SQLite), never after our check.
    if not versions.take(framework, Framework.is_published.is_(False)):
        raise Published
    versions.claim(domain, seen_version)
    domain.name = name
    for statement in domain.statements:
        if statement.id in texts:
            statement.text = texts[statement.id]
    audit.record(
        admin,
        "framework.edit",
        domain.framework,
        f"{domain.slug} (version {domain.framework.version_number})",
    )
    db.session.commit()


def publish(admin: User, framework: Framework) -> None:
    """Publish a version: new assessments start from it; past ones keep theirs. Publishing twice is one."""
    done = db.session.execute(
        update(Framework)
        .where(Framework.id == framework.id, Framework.is_published.is_(False))
        .values(is_published=True),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done:
        audit.record(admin, "framework.publish", framework, f"version {framework.version_number}")
        db.session.commit()
    db.session.expire(framework)


# -- the register of organisations: proposals and merging duplicates -------------------------------------


class SameOrganisation(Exception):
    """An organisation cannot be merged into itself."""


class BothHaveDrafts(Exception):
    """Both organisations have an assessment open: one must be submitted first."""


def propose_organisation(user: User, name: str, kind: str, areas: list, board=None) -> Organisation:
    """Add an organisation waiting for approval, in these council areas with this NHS board; a name already
    there (any case) returns that one, unchanged."""
    organisation = organisation_named(name)
    if organisation:
        return organisation
    first = areas[0] if areas else None
    organisation, made = add_organisation(
        Organisation(
            name=" ".join(name.split()),
            kind=kind,
            status="proposed",
            council_area=first,
            council_areas=list(areas),
            health_board=board,
        )
    )
    if made:  # else the same name was proposed a moment before: that one stands
        audit.record(user, "organisation.propose", organisation, organisation.name)
    db.session.commit()
    return organisation


def approve_organisation(coordinator: User, organisation: Organisation) -> None:
    done = db.session.execute(
        update(Organisation)
        .where(Organisation.id == organisation.id, Organisation.status == "proposed")
        .values(status="listed"),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done:
        audit.record(coordinator, "organisation.approve", organisation, organisation.name)
        db.session.commit()
    db.session.expire(organisation)


def merge_organisations(coordinator: User, duplicate: Organisation, into: Organisation) -> None:
    """Move everyone and everything of the duplicate to the other organisation, then remove it (audited)."""
    if duplicate.id == into.id:
        raise SameOrganisation
    # Hold the duplicate until commit: the same merge sent twice at once finds it gone and does nothing more
    # (no second audit entry), and the checks below read what is there now.
    if not versions.take(duplicate):
        db.session.expire_all()
        return
    if queries.open_draft(duplicate.id) is not None and queries.open_draft(into.id) is not None:
        db.session.rollback()
        raise BothHaveDrafts
    detail = f"{duplicate.name} (id {duplicate.id}) merged into {into.name} (id {into.id})"
    try:
        for model in (User, ChampionProfile, CaseStudy, Assessment):
            db.session.execute(
                update(model).where(model.organisation_id == duplicate.id).values(organisation_id=into.id),
                execution_options={"synchronize_session": False},
            )
    except IntegrityError as error:  # a second draft was started after the check above: two drafts now
        db.session.rollback()
        raise BothHaveDrafts from error
    # The kept one works in every area either worked in, and keeps its board (or takes the duplicate's).
    into.council_areas = sorted(set(into.council_areas) | set(duplicate.council_areas), key=lambda a: a.name)
    if into.health_board_id is None:
        into.health_board_id = duplicate.health_board_id
    if into.council_area_id is None:
        into.council_area_id = duplicate.council_area_id
    db.session.flush()
    audit.record(coordinator, "organisation.merge", into, detail)
    db.session.execute(
        delete(organisation_council_areas).where(organisation_council_areas.c.organisation_id == duplicate.id)
    )
    db.session.execute(delete(Organisation).where(Organisation.id == duplicate.id))
    db.session.commit()
    db.session.expire_all()


def set_sharing(user: User, assessment: Assessment, share: bool, seen_version: int) -> None:
    """The organisation's choice to be named with these results across Scotland. The same choice sent twice
    changes (and audits) once; a form opened before another champion changed the choice is refused (Stale)."""
    if _move_on(
        assessment, seen_version, Assessment.shared_with_network.is_not(share), shared_with_network=share
    ):
        audit.record(user, "assessment.share" if share else "assessment.unshare", assessment)
        db.session.commit()
    else:
        db.session.rollback()
        current = db.session.scalar(
            select(Assessment.shared_with_network).where(Assessment.id == assessment.id)
        )
        if current != share:
            raise Stale
    db.session.expire(assessment)


def erase_for(user_ids: list[int]) -> None:
    """When accounts close: drop their places as contributors and invitations to their addresses, and leave
    their actions without an owner (no commit; called before the accounts are emptied)."""
    addresses = select(func.lower(User.email)).where(User.id.in_(user_ids))
    options = {"synchronize_session": False}
    db.session.execute(delete(Invitation).where(Invitation.email.in_(addresses)), execution_options=options)
    db.session.execute(
        delete(Contributor).where(Contributor.user_id.in_(user_ids)), execution_options=options
    )
    db.session.execute(
        update(Action).where(Action.owner_id.in_(user_ids)).values(owner_id=None), execution_options=options
    )
