"""Admin pages under /admin: admins only."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from champions import audit as audit_log
from champions.accounts import services
from champions.accounts.models import Role, User
from champions.accounts.permissions import role_required
from champions.admin import forms
from champions.extensions import db
from champions.pagination import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("")
@role_required(Role.ADMIN)
def index():
    query = request.args.get("q", "")[:200].strip()
    users = services.users_page(page_number(), query)
    return render_template("admin/index.html", users=users, query=query)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    form = forms.RoleForm(role=user.role)
    if form.validate_on_submit():
        try:
            services.change_role(current_user, user, Role(form.role.data))
        except services.LastAdmin:
            flash("The portal needs at least one admin, so this role cannot change yet.", "warning")
        else:
            flash(f"{user.name} is now a {Role(form.role.data).label.lower()}.", "success")
        return redirect(url_for(".user_detail", user_id=user.id))
    return render_template("admin/user.html", user=user, form=form)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required(Role.ADMIN)
def set_active(user_id: int):
    user = db.get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    if not active and request.form.get("confirmed") != "yes":  # deactivating signs someone out: ask first
        return render_template("admin/confirm_deactivate.html", user=user)
    try:
        services.set_active(current_user, user, active)
    except services.LastAdmin:
        flash("The portal needs at least one active admin, so this account stays active.", "warning")
    else:
        flash(f"{user.name}'s account is now {'active' if active else 'deactivated'}.", "success")
    return redirect(url_for(".user_detail", user_id=user.id))


@bp.route("/audit")
@role_required(Role.ADMIN)
def audit():
    return render_template("admin/audit.html", entries=audit_log.page(page_number()))
