"""Case study pages under /case-studies: the library, reading, writing, review and files."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from champions import versions
from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.casestudies import forms, queries, services
from champions.casestudies.permissions import attachment_or_404, viewable_or_404
from champions.casestudies.services import files
from champions.pagination import page_number
from champions.security import accepts_uploads

PAST = {"unpublish": "unpublished", "archive": "archived"}

bp = Blueprint("casestudies", __name__, url_prefix="/case-studies")


@bp.route("")
def index():
    filters = queries.Filters.from_args(request.args)
    choices = queries.filter_choices(current_user)
    unknown = queries.unknown_filters(filters, choices, current_user)
    page = queries.library_page(filters, current_user, page_number())
    return render_template(
        "casestudies/index.html",
        page=page,
        filters=filters,
        choices=choices,
        unknown=unknown,
        args=filters.as_args(),
    )


@bp.route("/feed.atom")
def feed():
    body = queries.atom_feed(current_app.config["BASE_URL"])
    return Response(body, mimetype="application/atom+xml")


@bp.route("/mine")
@role_required(Role.CHAMPION)
def mine():
    return render_template("casestudies/mine.html", case_studies=queries.mine(current_user))


@bp.route("/review")
@role_required(Role.COORDINATOR)
def review_queue():
    return render_template("casestudies/review_queue.html", case_studies=queries.review_queue())


@bp.route("/<int:case_study_id>")
def detail(case_study_id: int):
    case_study = viewable_or_404(case_study_id)
    return render_template(
        "casestudies/detail.html",
        case_study=case_study,
        marks=queries.marks(case_study, current_user),
        related=queries.related(case_study, current_user),
        author_profile_id=case_study.author_public_profile_id,
    )


def _save(form: forms.CaseStudyForm, case_study=None):
    submit = request.form.get("action") == "submit"
    try:
        if case_study is None:
            case_study = services.create(
                current_user, form.content(), form.checked_files, submit, form_key=form.form_key.data
            )
        else:
            services.update(
                case_study,
                current_user,
                form.content(),
                form.checked_files,
                submit,
                opened=form.opened.data or None,
            )
    except services.TooManyFiles:
        form.files.errors = [f"A case study can have up to {files.MAX_FILES} files."]
        return None
    except services.NotAllowedNow:
        flash(
            "This case study cannot be changed just now: it may be waiting for review or archived. "
            "Your text is still below, so you can copy it.",
            "info",
        )
        return None
    if case_study.pending_status == "submitted":
        flash(
            "Thank you. Your changes are with a coordinator for review. "
            "The published version stays up until then.",
            "success",
        )
    elif submit:
        flash("Thank you. Your case study is with a coordinator for review.", "success")
    else:
        flash("Your draft is saved. Only you can see it.", "success")
    return redirect(url_for(".detail", case_study_id=case_study.id))


@bp.route("/new", methods=["GET", "POST"])
@accepts_uploads
@role_required(Role.CHAMPION)
def create():
    form = forms.CaseStudyForm()
    form.load_choices()
    if form.validate_on_submit():
        response = _save(form)
        if response:
            return response
    form.ensure_form_key()
    return render_template("casestudies/form.html", form=form, case_study=None)


@bp.route("/<int:case_study_id>/edit", methods=["GET", "POST"])
@accepts_uploads
@login_required
def edit(case_study_id: int):
    case_study = viewable_or_404(case_study_id)
    if not case_study.can_edit(current_user):
        abort(403)
    form = forms.CaseStudyForm()
    form.load_choices()
    form.existing_files = len(case_study.attachments)
    if request.method == "GET":
        form.fill(case_study.pending_changes or services.content_of(case_study))
        form.opened.data = case_study.content_fingerprint()
    status, changed = 200, []
    if form.validate_on_submit():
        try:
            if not form.opened.data:  # a form that does not say which version it was opened on
                raise versions.Stale(missing=True)
            response = _save(form, case_study)
            if response:
                return response
        except (services.ChangedSinceShown, versions.Stale) as stale:
            flash(versions.STALE_MESSAGE, "info")
            # 200 for a changed version, as before; 400 for a form that names none.
            status = stale.status if isinstance(stale, versions.Stale) else 200
            form.opened.data = (
                case_study.content_fingerprint()
            )  # saving again goes over the version now shown
            changed = forms.stored_changes(form, case_study)
    return render_template("casestudies/form.html", form=form, case_study=case_study, changed=changed), status


@bp.route("/<int:case_study_id>/submit", methods=["POST"])
@login_required
def submit(case_study_id: int):
    case_study = viewable_or_404(case_study_id)
    if not case_study.can_edit(current_user):
        abort(403)
    try:
        services.submit(case_study, current_user)
        flash("Thank you. Your case study is with a coordinator for review.", "success")
    except services.NotAllowedNow:
        flash("This case study cannot be sent for review as it is.", "info")
    return redirect(url_for(".detail", case_study_id=case_study.id))


@bp.route("/<int:case_study_id>/review", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def review(case_study_id: int):
    case_study = viewable_or_404(case_study_id)
    if not case_study.can_review(current_user):
        abort(403)
    form = forms.ReviewForm()
    status = 200
    if form.validate_on_submit() and not form.fingerprint.data:
        # A decision must name the version it is about: without it, it could cover text nobody read.
        form.decision.errors = [
            "This page did not say which version you read, so your decision was not sent. "
            "Please read the version below and decide again. Your comments are kept."
        ]
        status = 400
    elif form.validate_on_submit():
        try:
            _decide(case_study, form)
            return redirect(url_for(".review_queue"))
        except services.ChecklistIncomplete:
            form.decision.errors = ["Confirm every item on the checklist before publishing"]
        except services.ChangedSinceShown:
            form.decision.errors = [
                "The author changed this case study after you opened it, so your decision was not sent. "
                "Please read the version below and decide again. Your comments are kept."
            ]
        except services.NotAllowedNow:
            flash(
                "This case study is no longer waiting for review, so your decision was not sent. "
                "Someone else may have reviewed it already.",
                "info",
            )
            return redirect(url_for(".detail", case_study_id=case_study.id))
    content = case_study.pending_changes or case_study
    form.fingerprint.data = case_study.review_fingerprint()
    return render_template(
        "casestudies/review.html",
        form=form,
        case_study=case_study,
        content=content,
        changed=services.changed_fields(case_study),
    ), status


def _decide(case_study, form: forms.ReviewForm) -> None:
    """Publish or return the case study as the reviewer chose, and say so."""
    if form.decision.data == "publish":
        services.publish(
            case_study,
            current_user,
            form.checklist(),
            form.comment.data or "",
            seen=form.fingerprint.data or None,
        )
        flash("Published. The author has been told by email.", "success")
    else:
        services.return_for_changes(
            case_study, current_user, form.checklist(), form.comment.data, seen=form.fingerprint.data or None
        )
        flash("Returned to the author with your comments, by email.", "success")


@bp.route("/<int:case_study_id>/unpublish", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def unpublish(case_study_id: int):
    return _change_state(case_study_id, "unpublish")


@bp.route("/<int:case_study_id>/archive", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def archive(case_study_id: int):
    return _change_state(case_study_id, "archive")


def _change_state(case_study_id: int, step: str):
    """Unpublish or archive, after asking for an optional reason."""
    case_study = viewable_or_404(case_study_id)
    form = forms.ReasonForm()
    if form.validate_on_submit():
        try:
            getattr(services, step)(case_study, current_user, form.reason.data or "")
            flash(f"The case study is {PAST[step]}.", "success")
        except services.NotAllowedNow:
            flash(f"This case study cannot be {PAST[step]} now.", "info")
        return redirect(url_for(".detail", case_study_id=case_study.id))
    return render_template("casestudies/change_state.html", form=form, case_study=case_study, step=step)


@bp.route("/<int:case_study_id>/save", methods=["POST"])
@login_required
def bookmark(case_study_id: int):
    case_study = viewable_or_404(case_study_id)
    wanted = request.form.get("save")  # the page says which; sent twice, a toggle would undo itself
    if wanted in ("yes", "no"):
        saved = services.set_bookmark(current_user, case_study, wanted == "yes")
    else:
        saved = services.toggle_bookmark(current_user, case_study)
    flash(
        "Saved. You can find it on your account page." if saved else "Removed from your saved list.",
        "success",
    )
    return redirect(url_for(".detail", case_study_id=case_study.id))


@bp.route("/<int:case_study_id>/useful", methods=["POST"])
@login_required
def useful(case_study_id: int):
    case_study = viewable_or_404(case_study_id)
    if services.mark_useful(current_user, case_study):
        flash("Thank you for letting the author know this was useful.", "success")
    else:
        flash("You have already said this was useful. Thank you.", "info")
    return redirect(url_for(".detail", case_study_id=case_study.id))


@bp.route("/<int:case_study_id>/files/<int:attachment_id>")
def download(case_study_id: int, attachment_id: int):
    attachment = attachment_or_404(case_study_id, attachment_id)
    response = Response(files.data_of(attachment), mimetype=files.CONTENT_TYPES[attachment.kind])
    response.headers["Content-Disposition"] = files.content_disposition(attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:case_study_id>/files/<int:attachment_id>/remove", methods=["POST"])
@login_required
def remove_file(case_study_id: int, attachment_id: int):
    attachment = attachment_or_404(case_study_id, attachment_id)
    if not attachment.case_study.can_edit(current_user):
        abort(403)
    name = attachment.filename  # read first: removed twice at once, the second finds the row gone
    files.remove(attachment, current_user)
    flash(f"Removed {name}.", "success")
    return redirect(url_for(".edit", case_study_id=case_study_id))
