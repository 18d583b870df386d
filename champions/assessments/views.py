"""Organisational self-assessment: the list, a cycle's pages, invitations, the summary and its downloads."""

from functools import wraps

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from champions import errors, versions
from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.assessments import forms, queries, services
from champions.assessments.models import INVITATION_DAYS, RATING_LABELS, REOPEN_DAYS, Rating
from champions.assessments.permissions import (
    assessment_or_404,
    can_contribute,
    champion_assessment_or_404,
    domain_or_404,
)
from champions.extensions import db, limiter
from champions.reference import services as reference_services
from champions.spreadsheet import ods_bytes

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

ODS = "application/vnd.oasis.opendocument.spreadsheet"
INVITE_LIMIT = "20 per hour;50 per day"
INVITED = (
    "Thank you. If {email} belongs to a colleague at {organisation}, they will get an email with a link to "
    "join this assessment. If they have no account yet, the email tells them how to register first."
)
STALE_REOPEN = (
    "This assessment changed since you opened this page (it may have been reopened and submitted again), "
    "so it was not reopened. Your reason is below: check the assessment, then send it again if you still "
    "need to."
)
STALE_SHARING = (
    "Another champion changed this choice since you opened this page: your organisation now {choice} its "
    "results. Nothing was changed. Choose again if you still want to."
)
LOCKED = "This assessment has been submitted, so it cannot be changed. Your text is below."


def _sender_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _invited(response) -> bool:
    return bool(g.get("assessment_invited"))


def _kept_text_page(status: int):
    """A POST from a session that ended: show back what the person typed, so nothing is lost."""
    kept = [
        (label, request.form.get(name, ""))
        for name, label in [
            ("evidence", "Evidence"),
            ("links", "Links"),
            ("action1_description", "Action 1"),
            ("action2_description", "Action 2"),
            ("action3_description", "Action 3"),
        ]
        if request.form.get(name, "").strip()
    ]
    rating = request.form.get("rating", "")
    if rating in {r.value for r in Rating}:
        kept.insert(0, ("Rating", RATING_LABELS[Rating(rating)]))
    back = request.path if request.method == "POST" else url_for(".index")
    return render_template("assessments/kept.html", kept=kept, back=back), status


def signed_in_keeping_text(view):
    """Like login_required, but a POST from a session that has ended shows the person's text back."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated and request.method == "POST":
            return _kept_text_page(400)
        return login_required(view)(*args, **kwargs)

    return wrapped


@bp.errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    """The form's check ran out (often a session that expired): keep the domain page's text."""
    if request.endpoint == "assessments.domain":
        return _kept_text_page(400)
    return errors.handle_csrf_error(error)


@bp.route("")
@login_required
def index():
    organisation = queries.champion_organisation(current_user)
    own = queries.assessments_of(organisation.id) if organisation else []
    contributed = [a for a in queries.contributed_to(current_user) if a not in own]
    everyone = queries.all_assessments() if current_user.is_coordinator else []
    return render_template(
        "assessments/index.html",
        organisation=organisation,
        own=own,
        contributed=contributed,
        everyone=everyone,
        open_draft=next((a for a in own if a.is_draft), None),
        framework=queries.current_framework(),
    )


@bp.post("/start")
@login_required
def start():
    organisation = queries.champion_organisation(current_user)
    if organisation is None:
        abort(403)
    if not forms.StartForm().validate_on_submit():
        abort(400)
    try:
        assessment = services.start(current_user, organisation)
    except services.NoFramework:
        flash("There is no published framework to assess against yet. Please ask a coordinator.", "warning")
        return redirect(url_for(".index"))
    return redirect(url_for(".detail", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>")
@login_required
def detail(assessment_id: int):
    assessment = assessment_or_404(assessment_id, current_user)
    return render_template(
        "assessments/detail.html",
        assessment=assessment,
        can_contribute=can_contribute(current_user, assessment),
        is_champion=queries.is_organisation_champion(current_user, assessment.organisation_id),
        can_reopen=services.can_reopen(assessment),
        missing=services.missing(assessment),
    )


def _domain_page(assessment, domain, form, status: int = 200, problem: str = "", current=None):
    return render_template(
        "assessments/domain.html",
        assessment=assessment,
        domain=domain,
        form=form,
        problem=problem,
        current=current,
        position=assessment.framework.domains.index(domain),
    ), status


def _fill(form: forms.DomainForm, assessment, domain) -> None:
    answer = assessment.answer_for(domain)
    form.version.data = assessment.version
    if answer is not None:
        form.rating.data = answer.rating
        form.evidence.data = answer.evidence
        form.links.data = answer.links
    for (_n, description, owner, due), action in zip(
        form.action_rows(), assessment.actions_for(domain), strict=False
    ):
        description.data, owner.data, due.data = action.description, str(action.owner_id or ""), action.due_on


@bp.route("/<int:assessment_id>/domains/<int:domain_id>", methods=["GET", "POST"])
@signed_in_keeping_text
def domain(assessment_id: int, domain_id: int):
    assessment = assessment_or_404(assessment_id, current_user)
    domain = domain_or_404(assessment, domain_id)
    if not can_contribute(current_user, assessment):
        abort(403)
    form = forms.DomainForm()
    form.load_owners(queries.people_of(assessment))
    if request.method == "GET":
        _fill(form, assessment, domain)
        return _domain_page(assessment, domain, form)
    if not form.validate():
        return _domain_page(assessment, domain, form, 400)
    try:
        seen = versions.required(form.version)
        services.save_domain(
            assessment,
            domain,
            current_user,
            seen,
            form.rating.data,
            form.evidence.data or "",
            form.link_list,
            [
                services.ActionInput(d.data, int(o.data), due.data)
                for _n, d, o, due in form.action_rows()
                if d.data
            ],
        )
    except versions.Stale as stale:
        form.version.data = assessment.version
        return _domain_page(assessment, domain, form, stale.status, versions.STALE_MESSAGE)
    except services.Stale:
        fresh = queries.assessment(assessment.id)
        form.version.data = fresh.version  # saving again, having seen what is shown, goes over it
        return _domain_page(
            fresh, domain, form, 409, versions.STALE_MESSAGE, current=fresh.answer_for(domain)
        )
    except services.Locked:
        return _domain_page(assessment, domain, form, 409, LOCKED)
    flash(f"{domain.name}: saved.", "success")
    domains = assessment.framework.domains
    following = domains.index(domain) + 1
    if request.form.get("then") == "stay":
        return redirect(url_for(".domain", assessment_id=assessment.id, domain_id=domain.id))
    if following < len(domains):
        return redirect(url_for(".domain", assessment_id=assessment.id, domain_id=domains[following].id))
    return redirect(url_for(".submit", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>/invite", methods=["GET", "POST"])
@login_required
@limiter.limit(INVITE_LIMIT, key_func=_sender_key, methods=["POST"], deduct_when=_invited)
def invite(assessment_id: int):
    assessment = champion_assessment_or_404(assessment_id, current_user)
    if not assessment.is_draft:
        flash("This assessment is submitted. Invite colleagues to the next one, or reopen it first.", "info")
        return redirect(url_for(".detail", assessment_id=assessment.id))
    form = forms.InviteForm()
    if form.validate_on_submit():
        services.invite(assessment, current_user, form.email.data)
        g.assessment_invited = True
        flash(INVITED.format(email=form.email.data, organisation=assessment.organisation.name), "success")
        return redirect(url_for(".detail", assessment_id=assessment.id))
    return render_template("assessments/invite.html", assessment=assessment, form=form), (
        400 if form.errors else 200
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@login_required
def invitation(token: str):
    invitation = services.invitation_for(token)
    if invitation is None:
        return render_template("assessments/invitation_invalid.html", days=INVITATION_DAYS), 404
    form = forms.AcceptForm()
    problem = ""
    if form.validate_on_submit():
        try:
            assessment = services.accept(invitation, current_user)
        except services.NotForYou:
            problem = (
                "This invitation was sent to another email address, or your account names another "
                "organisation. Ask the colleague who invited you to send it to the address you sign in with."
            )
        else:
            flash(f"You are now helping with {assessment.organisation.name}'s self-assessment.", "success")
            return redirect(url_for(".detail", assessment_id=assessment.id))
    return render_template(
        "assessments/invitation.html", invitation=invitation, form=form, problem=problem
    ), (403 if problem else 200)


@bp.route("/<int:assessment_id>/submit", methods=["GET", "POST"])
@login_required
def submit(assessment_id: int):
    assessment = assessment_or_404(assessment_id, current_user)
    is_champion = queries.is_organisation_champion(current_user, assessment.organisation_id)
    form = forms.SubmitForm()
    problem = ""
    if request.method == "POST":
        if not is_champion:
            abort(403)
        if form.validate_on_submit():
            try:
                services.submit(assessment, current_user, versions.required(form.version))
            except (versions.Stale, services.Stale):
                problem = (
                    "Someone saved a change since you opened this page. Check the answers below, "
                    "then submit again."
                )
            except services.NotReady:
                problem = "Some domains still need a rating and evidence. They are listed below."
            except services.Locked:
                flash("This assessment was already submitted.", "info")
                return redirect(url_for(".summary", assessment_id=assessment.id))
            else:
                flash("Thank you. The assessment is submitted and locked.", "success")
                return redirect(url_for(".summary", assessment_id=assessment.id))
            assessment = queries.assessment(assessment.id)
    form.version.data = assessment.version
    return render_template(
        "assessments/submit.html",
        assessment=assessment,
        form=form,
        problem=problem,
        missing=services.missing(assessment),
        is_champion=is_champion,
    ), (409 if problem else 200)


@bp.route("/<int:assessment_id>/reopen", methods=["GET", "POST"])
@login_required
def reopen(assessment_id: int):
    assessment = champion_assessment_or_404(assessment_id, current_user)
    form = forms.ReopenForm()
    problem = ""
    if not services.can_reopen(assessment):
        problem = (
            f"This assessment can no longer be reopened: that is possible for {REOPEN_DAYS} days after it "
            "is submitted. Start a new one instead."
            if assessment.is_submitted
            else "This assessment is open for changes already."
        )
    elif form.validate_on_submit():
        try:
            services.reopen(assessment, current_user, form.reason.data, versions.required(form.version))
        except versions.Stale as stale:
            form.version.data = assessment.version
            return render_template(
                "assessments/reopen.html",
                assessment=assessment,
                form=form,
                problem=STALE_REOPEN,
                can_reopen=services.can_reopen(assessment),
            ), stale.status
        except services.AnotherDraftOpen:
            problem = "Your organisation has another assessment open. Submit that one first."
        except services.Stale:
            problem = STALE_REOPEN
        except services.TooLate:
            problem = "This assessment cannot be reopened now."
        else:
            flash("The assessment is open for changes again. The reason is recorded.", "success")
            return redirect(url_for(".detail", assessment_id=assessment.id))
    if request.method == "GET":
        form.version.data = assessment.version
    status = 409 if problem and request.method == "POST" else (400 if form.errors else 200)
    return render_template(
        "assessments/reopen.html",
        assessment=assessment,
        form=form,
        problem=problem,
        can_reopen=services.can_reopen(assessment),
    ), status


@bp.route("/<int:assessment_id>/summary")
@login_required
def summary(assessment_id: int):
    assessment = assessment_or_404(assessment_id, current_user)
    return render_template(
        "assessments/summary.html",
        summary=queries.summary(assessment),
        rating_labels=RATING_LABELS,
        search_words=queries.search_words,
    )


@bp.route("/<int:assessment_id>/chart.svg")
@login_required
def chart(assessment_id: int):
    """The chart drawn when it was submitted: read, never drawn here."""
    assessment = assessment_or_404(assessment_id, current_user)
    if not assessment.chart_svg:
        abort(404)
    return Response(
        assessment.chart_svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"}
    )


@bp.route("/<int:assessment_id>/report.ods")
@login_required
def report(assessment_id: int):
    assessment = assessment_or_404(assessment_id, current_user)
    header, rows = queries.report_table(assessment)
    body = ods_bytes("Self-assessment", header, rows)
    started = assessment.created_at
    return Response(
        body,
        mimetype=ODS,
        headers={
            "Content-Disposition": f'attachment; filename="self-assessment-{started:%Y-%m-%d}.ods"',
            "Cache-Control": "no-store",
        },
    )


# -- frameworks, for admins --------------------------------------------------------------------------------


def _framework_or_404(framework_id: int):
    framework = queries.framework(framework_id)
    if framework is None:
        abort(404)
    return framework


@bp.route("/frameworks")
@role_required(Role.ADMIN)
def frameworks():
    return render_template("assessments/frameworks.html", frameworks=queries.frameworks())


@bp.route("/frameworks/<int:framework_id>")
@role_required(Role.ADMIN)
def framework(framework_id: int):
    framework = _framework_or_404(framework_id)
    return render_template(
        "assessments/framework.html",
        framework=framework,
        used_by=queries.assessments_using(framework.id),
    )


@bp.post("/frameworks/<int:framework_id>/copy")
@role_required(Role.ADMIN)
def framework_copy(framework_id: int):
    framework = _framework_or_404(framework_id)
    if not forms.PublishForm().validate_on_submit():
        abort(400)
    copy = services.copy_framework(current_user, framework)
    flash(f"Version {copy.version_number} is ready to edit. Nobody sees it until you publish it.", "success")
    return redirect(url_for(".framework", framework_id=copy.id))


@bp.post("/frameworks/<int:framework_id>/publish")
@role_required(Role.ADMIN)
def framework_publish(framework_id: int):
    framework = _framework_or_404(framework_id)
    if not forms.PublishForm().validate_on_submit():
        abort(400)
    services.publish(current_user, framework)
    flash(
        f"Version {framework.version_number} is published. New assessments use it; earlier ones keep theirs.",
        "success",
    )
    return redirect(url_for(".framework", framework_id=framework.id))


@bp.route("/frameworks/<int:framework_id>/domains/<int:domain_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def framework_domain(framework_id: int, domain_id: int):
    framework = _framework_or_404(framework_id)
    domain = next((d for d in framework.domains if d.id == domain_id), None) or abort(404)
    if framework.is_published:
        flash("A published version never changes. Make a new version to change its wording.", "info")
        return redirect(url_for(".framework", framework_id=framework.id))
    form = forms.domain_wording_form(domain)
    problem = ""
    if request.method == "GET":
        form.version.data = domain.version
        form.name.data = domain.name
        for statement in domain.statements:
            form[f"statement_{statement.id}"].data = statement.text
    elif form.validate_on_submit():
        texts = {s.id: form[f"statement_{s.id}"].data for s in domain.statements}
        try:
            services.save_domain_wording(
                current_user, domain, versions.required(form.version), form.name.data, texts
            )
        except versions.Stale as stale:
            problem = versions.STALE_MESSAGE
            db.session.rollback()
            form.version.data = domain.version  # saving again, having seen the change, goes over it
            return render_template(
                "assessments/framework_domain.html",
                framework=framework,
                domain=domain,
                form=form,
                problem=problem,
            ), stale.status
        except services.Published:
            abort(409)
        flash(f"{form.name.data}: saved.", "success")
        return redirect(url_for(".framework", framework_id=framework.id))
    return render_template(
        "assessments/framework_domain.html", framework=framework, domain=domain, form=form, problem=problem
    ), (400 if form.errors else 200)


# -- the register of organisations -----------------------------------------------------------------------


@bp.route("/organisations")
@role_required(Role.COORDINATOR)
def organisations():
    return render_template(
        "assessments/organisations.html",
        proposed=queries.organisations_register("proposed"),
        listed=queries.organisations_register("listed"),
    )


@bp.route("/organisations/propose", methods=["GET", "POST"])
@role_required(Role.CHAMPION)
@limiter.limit(INVITE_LIMIT, key_func=_sender_key, methods=["POST"])
def propose_organisation():
    form = forms.ProposeOrganisationForm()
    form.load_places(reference_services.council_areas(), reference_services.health_boards())
    if form.validate_on_submit():
        organisation = services.propose_organisation(
            current_user, form.name.data, form.kind.data, form.areas, form.board
        )
        flash(
            f"Thank you. {organisation.name} is on the register"
            + (", waiting for a coordinator to approve it." if organisation.status == "proposed" else "."),
            "success",
        )
        return redirect(url_for(".index"))
    return render_template("assessments/propose_organisation.html", form=form), (400 if form.errors else 200)


@bp.post("/organisations/<int:organisation_id>/approve")
@role_required(Role.COORDINATOR)
def approve_organisation(organisation_id: int):
    organisation = queries.organisation(organisation_id) or abort(404)
    if not forms.PublishForm().validate_on_submit():
        abort(400)
    services.approve_organisation(current_user, organisation)
    flash(f"{organisation.name} is approved.", "success")
    return redirect(url_for(".organisations"))


@bp.route("/organisations/<int:organisation_id>/merge", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def merge_organisation(organisation_id: int):
    duplicate = queries.organisation(organisation_id) or abort(404)
    others = [
        row.organisation for row in queries.organisations_register() if row.organisation.id != duplicate.id
    ]
    form = forms.MergeForm()
    form.load_targets(others)
    problem = ""
    if form.validate_on_submit():
        into = next(o for o in others if str(o.id) == form.into.data)
        name, into_name = duplicate.name, into.name
        try:
            services.merge_organisations(current_user, duplicate, into)
        except services.BothHaveDrafts:
            problem = "Both organisations have a self-assessment open. Submit one of them first, then merge."
        else:
            flash(f"{name} is merged into {into_name}. The audit log records it.", "success")
            return redirect(url_for(".organisations"))
    status = 409 if problem else (400 if form.errors else 200)
    return render_template(
        "assessments/merge_organisation.html", duplicate=duplicate, form=form, problem=problem
    ), status


@bp.route("/<int:assessment_id>/sharing", methods=["GET", "POST"])
@login_required
def sharing(assessment_id: int):
    assessment = champion_assessment_or_404(assessment_id, current_user)
    form = forms.ShareForm()
    problem = ""
    if form.validate_on_submit():
        try:
            services.set_sharing(
                current_user, assessment, form.share.data == "yes", versions.required(form.version)
            )
        except (versions.Stale, services.Stale):
            problem = STALE_SHARING.format(
                choice="shares" if assessment.shared_with_network else "does not share"
            )
            form.version.data = assessment.version
        else:
            flash("Your choice is saved.", "success")
            return redirect(url_for(".detail", assessment_id=assessment.id))
    if request.method == "GET":
        form.version.data = assessment.version
        form.share.data = "yes" if assessment.shared_with_network else "no"
    return render_template("assessments/sharing.html", assessment=assessment, form=form, problem=problem), (
        409 if problem else 400 if form.errors else 200
    )


@bp.route("/scotland")
@role_required(Role.COORDINATOR)
def scotland():
    return render_template("assessments/scotland.html", figures=queries.scotland())
