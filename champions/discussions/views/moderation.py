"""Coordinators' pages: the reports queue, thread tools and categories."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from champions import versions
from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.discussions import forms, queries, services
from champions.discussions.models import Category, Report
from champions.discussions.permissions import thread_or_404
from champions.discussions.views.blueprint import bp
from champions.extensions import db


@bp.route("/moderation")
@role_required(Role.COORDINATOR)
def moderation():
    return render_template(
        "discussions/moderation.html",
        reports=queries.open_reports(),
        hide_form=forms.HideForm(formdata=None),
    )


@bp.post("/reports/<int:report_id>/dismiss")
@role_required(Role.COORDINATOR)
def dismiss(report_id: int):
    report = db.get_or_404(Report, report_id)
    try:
        services.dismiss_report(current_user, report)
    except services.ReportMissing:
        flash("That report had already been dealt with.", "info")
    else:
        flash("The report is closed and the post stays as it is.", "success")
    return redirect(url_for(".moderation"))


@bp.post("/t/<int:thread_id>/lock")
@role_required(Role.COORDINATOR)
def lock(thread_id: int):
    thread = thread_or_404(thread_id)
    locked = request.form.get("locked") != "no"
    services.lock_thread(current_user, thread, locked)
    flash("The thread is locked." if locked else "The thread is open for replies again.", "success")
    return redirect(url_for(".detail", thread_id=thread.id, page=1))


@bp.post("/t/<int:thread_id>/pin")
@role_required(Role.COORDINATOR)
def pin(thread_id: int):
    thread = thread_or_404(thread_id)
    pinned = request.form.get("pinned") != "no"
    services.pin_thread(current_user, thread, pinned)
    flash(
        "The thread is pinned to the top of its category." if pinned else "The thread is no longer pinned.",
        "success",
    )
    return redirect(url_for(".detail", thread_id=thread.id, page=1))


@bp.post("/t/<int:thread_id>/move")
@role_required(Role.COORDINATOR)
def move(thread_id: int):
    thread = thread_or_404(thread_id)
    form = forms.MoveForm()
    form.load_choices(queries.list_categories())
    if not form.validate_on_submit():
        flash("Choose a category to move the thread to.", "warning")
    else:
        services.move_thread(current_user, thread, db.session.get(Category, form.category.data))
        flash(f"The thread is now in {thread.category.name}.", "success")
    return redirect(url_for(".detail", thread_id=thread.id, page=1))


@bp.route("/categories")
@role_required(Role.COORDINATOR)
def categories():
    return render_template("discussions/categories.html", categories=queries.list_categories())


@bp.route("/categories/new", methods=["GET", "POST"], endpoint="new_category")
@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_category(category_id: int | None = None):
    category = db.get_or_404(Category, category_id) if category_id else None
    form = forms.CategoryForm(obj=category)
    if category and request.method == "GET":
        form.version.data = category.version
    if form.validate_on_submit():
        try:
            seen = versions.required(form.version) if category else None
            services.save_category(
                current_user, category, form.name.data, form.description.data or "", form.position.data, seen
            )
        except versions.Stale as stale:
            flash(versions.STALE_MESSAGE, "info")
            form.version.data = category.version  # saving again goes over the version now shown
            changed = versions.changes(
                {
                    "Name": (form.name.data, category.name),
                    "Description": (form.description.data, category.description),
                }
            )
            return render_template(
                "discussions/category_form.html", category=category, form=form, changed=changed
            ), stale.status
        flash("The category has been saved.", "success")
        return redirect(url_for(".categories"))
    if category_id and category is None:
        abort(404)
    return render_template("discussions/category_form.html", category=category, form=form)
