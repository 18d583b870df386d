"""The champions directory under /champions: find, apply, verify, coverage and export."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from champions import fragments, versions
from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.casestudies import services as casestudies
from champions.directory import forms, queries, services
from champions.directory.models import ChampionProfile, Status
from champions.directory.permissions import ensure_owner, ensure_visible, sees_area_dashboards
from champions.discussions import queries as discussions
from champions.events import services as events
from champions.extensions import db
from champions.pagination import page_number

bp = Blueprint("directory", __name__, url_prefix="/champions")

OWN_DECISION = "Another coordinator needs to decide about your own profile."


def _filter_form(facets: queries.Facets) -> forms.FilterForm:
    form = forms.FilterForm(request.args)
    form.load_choices(facets)
    form.validate()
    return form


@bp.route("")
def index():
    facets = queries.filter_facets()
    form = _filter_form(facets)
    filters = form.filters(facets)
    results = queries.directory_page(filters, page_number())
    return render_template(
        "directory/index.html", form=form, filters=filters, results=results, args=form.query_args()
    )


@bp.route("/local")
@login_required
def local():
    return render_template("directory/local.html", champions=queries.local_champions(current_user, 50))


@bp.route("/<int:profile_id>")
def detail(profile_id: int):
    profile = ensure_visible(queries.profile_with_details(profile_id), current_user)
    decision_form = forms.DecisionForm() if current_user.is_coordinator else None
    revoke_form = forms.RevokeForm() if current_user.is_coordinator else None
    return _render_detail(profile, decision_form, revoke_form)


def _render_detail(profile: ChampionProfile, decision_form, revoke_form) -> str:
    return render_template(
        "directory/detail.html",
        profile=profile,
        decision_form=decision_form,
        revoke_form=revoke_form,
        activity=_activity(profile),
    )


def _activity(profile: ChampionProfile) -> dict:
    """What the champion does elsewhere in the portal; discussions are for members only."""
    member = current_user.is_authenticated
    return {
        "events": events.events_organised_by(profile.user_id),
        "case_studies": casestudies.published_by_author(profile.user_id, public_only=not member),
        "posts": discussions.recent_posts_by(profile.user_id) if member else [],
    }


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def create():
    existing = queries.profile_for_user(current_user)
    if existing and request.method == "POST":  # sent again: land where the first one did
        return _already_applied(existing)
    if existing:
        return redirect(url_for(".edit", profile_id=existing.id))
    facets = queries.facets()
    form = forms.ProfileForm(data=forms.initial_data(None, current_user))
    form.load_choices(facets)
    if form.validate_on_submit():
        try:
            profile = services.apply(current_user, form.details(facets))
        except services.AlreadyApplied:  # sent twice, say from two tabs: the first one was saved
            return _already_applied(queries.profile_for_user(current_user))
        flash("Thank you. Your application is with the coordinators, who will email you.", "success")
        return redirect(url_for(".detail", profile_id=profile.id))
    return render_template("directory/form.html", form=form, profile=None)


def _already_applied(profile: ChampionProfile):
    flash("You already have a champion profile, so we have kept that one.", "info")
    return redirect(url_for(".detail", profile_id=profile.id))


@bp.route("/<int:profile_id>/edit", methods=["GET", "POST"])
@login_required
def edit(profile_id: int):
    profile = db.get_or_404(ChampionProfile, profile_id)
    ensure_owner(profile, current_user)
    facets = queries.facets()
    form = forms.ProfileForm(data=forms.initial_data(profile, current_user))
    form.load_choices(facets)
    if request.method == "GET":
        form.version.data = profile.version
    if form.validate_on_submit():
        try:
            services.update(profile, form.details(facets), current_user, seen=versions.required(form.version))
        except versions.Stale as stale:
            if stale.missing or not forms.matches(form, profile):
                flash(versions.STALE_MESSAGE, "info")
                form.version.data = profile.version  # saving again goes over the version now shown
                changed = forms.stored_changes(form, profile)
                return render_template("directory/form.html", form=form, profile=profile, changed=changed), (
                    stale.status
                )
            # The same save sent twice: the first one holds it already.
        flash("Your champion profile has been saved.", "success")
        return redirect(url_for(".detail", profile_id=profile.id))
    return render_template("directory/form.html", form=form, profile=profile)


@bp.route("/<int:profile_id>/listing", methods=["POST"])
@login_required
def listing(profile_id: int):
    profile = db.get_or_404(ChampionProfile, profile_id)
    ensure_owner(profile, current_user)
    listed = request.form.get("listed") == "1"
    services.set_listing(profile, listed, current_user)
    flash(
        "Thank you. You have agreed to be listed in the directory."
        if listed
        else "You are no longer listed in the directory.",
        "success",
    )
    return redirect(url_for(".detail", profile_id=profile.id))


@bp.route("/<int:profile_id>/decision", methods=["POST"])
@role_required(Role.COORDINATOR)
def decide(profile_id: int):
    profile = db.get_or_404(ChampionProfile, profile_id)
    if not profile.can_be_decided_by(current_user):
        abort(403)
    form = forms.DecisionForm()
    if not form.validate_on_submit():
        return _render_detail(queries.profile_with_details(profile_id), form, forms.RevokeForm())
    try:
        if form.decision.data == "approve":
            services.approve(current_user, profile, form.reason.data or "")
            flash(f"{profile.display_name} is now a verified champion. We have emailed them.", "success")
        else:
            services.decline(current_user, profile, form.reason.data)
            flash(
                f"You declined the application from {profile.display_name}. We have emailed them.", "success"
            )
    except services.NotPending:
        flash("This application has already been decided.", "info")
    except services.OwnDecision:
        flash(OWN_DECISION, "warning")
    return redirect(url_for(".manage"))


@bp.route("/<int:profile_id>/revoke", methods=["POST"])
@role_required(Role.COORDINATOR)
def revoke(profile_id: int):
    profile = db.get_or_404(ChampionProfile, profile_id)
    if not profile.can_be_decided_by(current_user):
        abort(403)
    form = forms.RevokeForm()
    if not form.validate_on_submit():
        return _render_detail(queries.profile_with_details(profile_id), forms.DecisionForm(), form)
    try:
        services.revoke(current_user, profile, form.reason.data)
    except services.NotVerified:
        flash("Only a verified champion's role can be ended.", "info")
    except services.OwnDecision:
        flash(OWN_DECISION, "warning")
    else:
        flash(f"{profile.display_name} is no longer a verified champion. We have emailed them.", "success")
    return redirect(url_for(".detail", profile_id=profile.id))


@bp.route("/coverage")
def coverage_page():
    return render_template(
        "directory/coverage.html",
        map=queries.coverage_map(),
        dashboards=sees_area_dashboards(current_user),
    )


@bp.route("/manage")
@role_required(Role.COORDINATOR)
def manage():
    try:
        status = Status(request.args.get("status", Status.PENDING.value))
    except ValueError:
        status = Status.PENDING
    profiles = queries.applications_page(status, page_number())
    return render_template(
        "directory/manage.html",
        profiles=profiles,
        status=status,
        counts=queries.status_counts(),
        statuses=list(Status),
    )


@bp.route("/export.csv")
@role_required(Role.COORDINATOR)
def export_csv():
    facets = queries.filter_facets()
    body = services.export_csv(current_user, _filter_form(facets).filters(facets))
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="trauma-champions.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.app_template_global()
def kept_filter_fields(filter_fields, form):
    """The directory's filter fields as `filter_fields` renders them, kept per process.

    Their options are the filter lists kept per process, so what they show is a function of the values
    and errors of the fields alone, which make the key. A search's words are left out of the keeping (too
    many different ones to be worth it): with words, the fields are rendered each time.
    """
    if form.q.data:
        return filter_fields(form)
    fields = (form.q, form.area, form.board, form.hscp, form.sector, form.level)
    key = ("directory filters", request.script_root, *((f.data, tuple(f.errors)) for f in fields))
    return fragments.kept(key, lambda: filter_fields(form))
