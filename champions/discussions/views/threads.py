"""Reading: categories, thread lists, threads; and posting new threads and replies."""

import hashlib

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from champions import fragments
from champions.discussions import forms, queries, services
from champions.discussions.models import Post
from champions.discussions.permissions import (
    category_and_following_or_404,
    category_or_404,
    thread_and_reader_or_404,
    thread_or_404,
)
from champions.discussions.views.blueprint import POSTING_LIMIT, bp, post_was_saved, posting_key
from champions.extensions import db, limiter
from champions.pagination import page_number

LOCKED_MESSAGE = (
    "This thread is locked, so it is not taking new replies. Your words have not been lost: "
    "they are still in the box below if you want to copy them."
)


def permalink(post: Post) -> str:
    return post_address(post.thread_id, post.id)


def post_address(thread_id: int, post_id: int) -> str:
    """The thread page a post is on, at the post."""
    page = queries.page_of_post(thread_id, post_id)
    return url_for("discussions.detail", thread_id=thread_id, page=page, _anchor=f"post-{post_id}")


@bp.route("")
def index():
    if not current_user.is_authenticated:  # a kind welcome with a way in; nothing of the content shows
        return render_template("discussions/signed_out.html")
    summaries = queries.category_overview()
    reports = queries.open_report_count() if current_user.is_coordinator else 0
    return render_template("discussions/index.html", summaries=summaries, open_reports=reports)


@bp.route("/<slug>")
@login_required
def category(slug: str):
    category, following = category_and_following_or_404(slug, current_user)
    page = queries.threads_page(category, current_user, page_number())
    return render_template(
        "discussions/category.html", category=category, page=page, unread=page.unread, following=following
    )


def _save_new_post(form, make):
    """Save a post once: a second submit of the same form goes to the first one."""
    existing = queries.post_by_form_key(current_user, form.form_key.data)
    if existing:
        flash("Your post was already saved, so we have not added it twice.", "info")
        return redirect(permalink(existing))
    post = make()
    g.post_saved = True
    flash("Thank you. Your post has been added.", "success")
    return redirect(permalink(post))


@bp.route("/<slug>/new", methods=["GET", "POST"])
@login_required
@limiter.limit(POSTING_LIMIT, key_func=posting_key, methods=["POST"], deduct_when=post_was_saved)
def create(slug: str):
    category = category_or_404(slug)
    form = forms.ThreadForm()
    preview = request.form.get("action") == "preview"
    if form.validate_on_submit() and not preview:
        return _save_new_post(
            form,
            lambda: services.start_thread(
                category,
                current_user,
                form.title.data,
                form.body.data,
                form.content_note.data or "",
                form.anonymous.data,
                form.form_key.data,
            ),
        )
    form.ensure_form_key()
    return render_template(
        "discussions/create.html",
        category=category,
        form=form,
        preview=services.render_preview(form.body.data) if preview else None,
    )


@bp.route("/t/<int:thread_id>")
@login_required
def detail(thread_id: int):
    opening = "page" not in request.args  # opened from a list: go to the first post not yet read
    thread, reader = thread_and_reader_or_404(thread_id, current_user, first_unread=opening)
    if opening and reader.first_unread_post_id:
        return redirect(post_address(thread.id, reader.first_unread_post_id))
    page = queries.thread_page(thread, page_number())
    form = forms.PostForm(formdata=None)
    form.ensure_form_key()
    move_form = None
    if current_user.is_coordinator:
        move_form = forms.MoveForm(formdata=None, category=thread.category_id)
        move_form.load_choices(queries.list_categories())
    html = render_template(
        "discussions/thread.html",
        thread=thread,
        page=page,
        form=form,
        move_form=move_form,
        following=reader.following,
    )
    if page.items:  # after rendering: the commit would otherwise expire what the page shows
        services.mark_read(current_user, thread, page.items[-1].id, reader.last_read_post_id)
    return html


@bp.route("/t/<int:thread_id>/reply", methods=["GET", "POST"])
@login_required
@limiter.limit(POSTING_LIMIT, key_func=posting_key, methods=["POST"], deduct_when=post_was_saved)
def reply(thread_id: int):
    thread = thread_or_404(thread_id)
    form = forms.PostForm()
    quoted = request.args.get("quote", "")
    # isdecimal() alone lets in digits int() refuses and ids no id column holds: both were 500s
    if request.method == "GET" and quoted.isascii() and quoted.isdecimal() and int(quoted) < 2**31:
        post = db.session.get(Post, int(quoted))
        if post and post.thread_id == thread.id:
            form.body.data = services.quote_text(post)
    preview = request.form.get("action") == "preview"
    if form.validate_on_submit() and not preview:
        try:
            return _save_new_post(
                form,
                lambda: services.reply(
                    thread,
                    current_user,
                    form.body.data,
                    form.content_note.data or "",
                    form.anonymous.data,
                    form.form_key.data,
                ),
            )
        except services.ThreadLocked:  # locked before this reply was sent: keep the words on the page
            flash(LOCKED_MESSAGE, "warning")
    form.ensure_form_key()
    return render_template(
        "discussions/reply.html",
        thread=thread,
        form=form,
        preview=services.render_preview(form.body.data) if preview else None,
    )


@bp.post("/t/<int:thread_id>/follow")
@login_required
def follow_thread(thread_id: int):
    thread = thread_or_404(thread_id)
    if request.form.get("follow") == "no":
        services.unfollow_thread(current_user, thread)
        flash("You have stopped following this thread.", "success")
    else:
        services.follow_thread(current_user, thread)
        flash("You are following this thread. We will let you know about new replies.", "success")
    return redirect(url_for(".detail", thread_id=thread.id, page=1))


@bp.post("/<slug>/follow")
@login_required
def follow_category(slug: str):
    category = category_or_404(slug)
    if request.form.get("follow") == "no":
        services.unfollow_category(current_user, category)
        flash("You have stopped following this category.", "success")
    else:
        services.follow_category(current_user, category)
        flash("You are following this category. We will let you know about new threads.", "success")
    return redirect(url_for(".category", slug=category.slug))


@bp.app_template_global()
def kept_post(post_article, post: queries.PostRow, thread, user):
    """A post as `post_article` renders it, kept per process for readers who are not coordinators.

    The key holds everything the macro shows for such a reader: the post's words, state and dates, its
    author's label, the thread's lock, and whether this reader may edit or report it. Coordinators'
    posts carry forms with their CSRF token, so they are rendered each time.
    """
    if user.is_coordinator:
        return post_article(post, thread, user)
    key = (
        "post",
        request.script_root,
        post.id,
        post.author_label,
        post.created_at,
        post.edited_at,
        post.deleted_at,
        post.hidden_at,
        post.is_anonymous,
        post.content_note,
        # The words by a digest, so the key does not hold a second copy of each post's text.
        hashlib.blake2b(post.body_html.encode(), digest_size=16).digest(),
        thread.id,
        thread.is_locked,
        post.can_edit(user),
        post.can_report(user),
    )
    return fragments.kept(key, lambda: post_article(post, thread, user))
