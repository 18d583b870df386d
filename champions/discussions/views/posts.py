"""One post: permalink, edit, delete, report, and the coordinators' history, reveal, hide and restore."""

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from champions import versions
from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.discussions import forms, services
from champions.discussions.permissions import post_or_404
from champions.discussions.views.blueprint import bp
from champions.discussions.views.threads import permalink


@bp.route("/p/<int:post_id>")
@login_required
def post(post_id: int):
    return redirect(permalink(post_or_404(post_id)))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    post = post_or_404(post_id)
    if not post.can_edit(current_user):
        abort(403)
    form = forms.EditForm(obj=post)
    if request.method == "GET":
        form.version.data = post.version
    preview = request.form.get("action") == "preview"
    if form.validate_on_submit() and not preview:
        try:
            seen = versions.required(form.version)
            services.edit_post(post, form.body.data, form.content_note.data or "", seen=seen)
        except versions.Stale as stale:
            flash(versions.STALE_MESSAGE, "info")
            form.version.data = post.version  # saving again goes over the version now shown
            return _edit_page(post, form, changed=[("The post", post.body)]), stale.status
        flash("Your changes have been saved.", "success")
        return redirect(permalink(post))
    return _edit_page(post, form, preview=services.render_preview(form.body.data) if preview else None)


def _edit_page(post, form: forms.EditForm, preview=None, changed=()) -> str:
    return render_template("discussions/edit.html", post=post, form=form, preview=preview, changed=changed)


@bp.route("/p/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete(post_id: int):
    post = post_or_404(post_id)
    if request.method == "POST" and post.deleted_at and post.author_id == current_user.id:  # sent twice
        flash("Your post has been deleted. The conversation around it stays in place.", "success")
        return redirect(permalink(post))
    if not post.can_edit(current_user):
        abort(403)
    form = FlaskForm()
    if form.validate_on_submit():
        services.delete_post(post)
        flash("Your post has been deleted. The conversation around it stays in place.", "success")
        return redirect(permalink(post))
    return render_template("discussions/delete.html", post=post, form=form)


@bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report(post_id: int):
    post = post_or_404(post_id)
    if not post.can_report(current_user):
        abort(404)
    form = forms.ReportForm()
    if form.validate_on_submit():
        services.report_post(post, current_user, form.reason.data)
        flash("Thank you for telling us. A coordinator will look at this post soon.", "success")
        return redirect(permalink(post))
    return render_template("discussions/report.html", post=post, form=form)


@bp.route("/p/<int:post_id>/history")
@role_required(Role.COORDINATOR)
def history(post_id: int):
    post = post_or_404(post_id)
    return render_template("discussions/history.html", post=post, revisions=post.revisions)


@bp.post("/p/<int:post_id>/reveal")
@role_required(Role.COORDINATOR)
def reveal(post_id: int):
    post = post_or_404(post_id)
    if not post.is_anonymous:
        abort(404)
    return render_template(
        "discussions/reveal.html", post=post, author=services.reveal_author(current_user, post)
    )


@bp.post("/p/<int:post_id>/hide")
@role_required(Role.COORDINATOR)
def hide(post_id: int):
    post = post_or_404(post_id)
    form = forms.HideForm()
    if not form.validate_on_submit():
        flash(" ".join(m for ms in form.errors.values() for m in ms), "warning")
        return redirect(permalink(post))
    services.hide_post(current_user, post, form.reason.data or "")
    flash("The post is hidden and its author has been told.", "success")
    return redirect(permalink(post))


@bp.post("/p/<int:post_id>/restore")
@role_required(Role.COORDINATOR)
def restore(post_id: int):
    post = post_or_404(post_id)
    services.restore_post(current_user, post)
    flash("The post is visible again.", "success")
    return redirect(permalink(post))
