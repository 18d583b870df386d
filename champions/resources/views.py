"""The NTTP resources catalogue under /resources."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from champions import versions
from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.extensions import db
from champions.reference.services import implementation_domains, levels
from champions.resources import queries, services
from champions.resources.forms import ResourceForm
from champions.resources.models import Resource

bp = Blueprint("resources", __name__, url_prefix="/resources")


@bp.route("")
def index():
    level_slug = request.args.get("level", "")
    all_levels = levels()
    if level_slug not in {level.slug for level in all_levels}:
        level_slug = ""
    domain_slug = request.args.get("domain", "")
    all_domains = implementation_domains()
    if domain_slug not in {domain.slug for domain in all_domains}:
        domain_slug = ""
    return render_template(
        "resources/index.html",
        resources=queries.catalogue(level_slug, domain_slug),
        levels=all_levels,
        level_slug=level_slug,
        domains=all_domains,
        domain_slug=domain_slug,
        can_manage=current_user.is_coordinator,
    )


def _form_page(form: ResourceForm, resource: Resource | None, changed=(), status: int = 200):
    return render_template("resources/form.html", form=form, resource=resource, changed=changed), status


def _unknown_level(form: ResourceForm, resource: Resource | None):
    """Show the form again with what was typed, when a level left the reference data meanwhile."""
    db.session.rollback()
    form.levels.errors = [*form.levels.errors, "Choose practice levels from the list"]
    return _form_page(form, resource)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def create():
    form = ResourceForm()
    form.load_choices()
    if form.validate_on_submit():
        try:
            services.create_resource(current_user, form.values(), form_key=form.form_key.data)
        except services.UnknownLevel:
            return _unknown_level(form, None)
        flash("The resource has been added to the catalogue.", "success")
        return redirect(url_for(".index"))
    return _form_page(form, None)


@bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(resource_id: int):
    resource = db.get_or_404(Resource, resource_id)
    form = ResourceForm(obj=resource if request.method == "GET" else None)
    form.load_choices()
    if request.method == "GET":
        form.levels.data = [level.slug for level in resource.levels]
        form.domains.data = [domain.slug for domain in resource.domains]
        form.version.data = resource.version
    if form.validate_on_submit():
        try:
            services.update_resource(
                current_user, resource, form.values(), seen=versions.required(form.version)
            )
        except services.UnknownLevel:
            return _unknown_level(form, resource)
        except versions.Stale as stale:
            flash(versions.STALE_MESSAGE, "info")
            form.version.data = resource.version  # saving again goes over the version now shown
            changed = versions.changes(
                {
                    "Title": (form.title.data, resource.title),
                    "Description": (form.description.data, resource.description),
                }
            )
            return _form_page(form, resource, changed, stale.status)
        flash("Your changes to the resource have been saved.", "success")
        return redirect(url_for(".index"))
    return _form_page(form, resource)


@bp.route("/<int:resource_id>/delete", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete(resource_id: int):
    resource = db.get_or_404(Resource, resource_id)
    if request.method == "GET":
        return render_template("resources/delete.html", resource=resource)
    services.delete_resource(current_user, resource)
    flash("The resource has been removed from the catalogue.", "success")
    return redirect(url_for(".index"))
