"""Quarterly returns: a champion's returns and the form; a coordinator's windows, who has returned,
the one-click reminder and the totals with their downloads."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from champions import clock, spreadsheet, versions
from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.returns import forms, queries, services
from champions.returns.models import WELLBEING_HUB, WELLBEING_LABELS, default_dates, previous_quarter
from champions.returns.permissions import (
    champion_or_403,
    expected_champion_or_404,
    opened_window_or_404,
    own_return_or_404,
    window_or_404,
)

bp = Blueprint("returns", __name__, url_prefix="/returns")

SENT_ALREADY = "You have sent this return already, so it cannot be changed. Thank you."


# -- a champion's returns -----------------------------------------------------------------------------


@bp.route("")
@login_required
def index():
    if queries.verified_profile(current_user) is None:
        if current_user.is_coordinator:
            return redirect(url_for(".windows"))
        abort(403)
    return render_template("returns/index.html", mine=queries.returns_of(current_user), today=clock.today())


def _form_page(window, form, found, prefill=None, status: int = 200):
    return render_template(
        "returns/form.html",
        window=window,
        form=form,
        found=found,
        prefill=prefill,
        late=window.has_closed(clock.today()),
        hub=WELLBEING_HUB,
    ), status


@bp.route("/<int:window_id>", methods=["GET", "POST"])
@login_required
def edit(window_id: int):
    champion_or_403(current_user)
    window = opened_window_or_404(window_id)
    found = queries.return_for(window.id, current_user.id)
    if found is not None and found.is_submitted and request.method == "GET":
        return redirect(url_for(".detail", return_id=found.id))
    levels = queries.levels()
    if request.method == "GET":
        prefill = None
        if found is None:
            prefill = queries.prefill(current_user, window)
            form = forms.return_form(levels, data=vars(prefill))
        else:
            form = forms.return_form(levels, obj=found)
            for field in form.reach_fields:
                field.data = found.people_at(int(field.name.removeprefix("reach_")))
            form.helped.data, form.hindered.data = found.helped_themes, found.hindered_themes
        form.version.data = found.version if found else 0
        return _form_page(window, form, found, prefill)
    form = forms.return_form(levels)
    submit = request.form.get("action") == "submit"
    if not form.validate_on_submit():
        return _form_page(window, form, found)
    try:
        saved = services.save_return(
            current_user, window, versions.required(form.version), form.answers(), form.reach(), submit
        )
    except versions.Stale as stale:
        flash(versions.STALE_MESSAGE, "info")
        db_found = queries.return_for(window.id, current_user.id)
        form.version.data = db_found.version if db_found else 0
        return _form_page(window, form, db_found, status=stale.status)
    except services.AlreadySubmitted:
        flash(SENT_ALREADY, "info")
        sent = queries.return_for(window.id, current_user.id)  # perhaps sent from another tab just now
        return redirect(url_for(".detail", return_id=sent.id))
    if saved.is_submitted:
        flash(
            "Thank you. Your return has been sent."
            + (" It is marked as late, which is fine." if saved.late else ""),
            "success",
        )
        return redirect(url_for(".detail", return_id=saved.id))
    flash("Your draft has been saved. You can come back to it at any time.", "success")
    return redirect(url_for(".edit", window_id=window.id))


@bp.route("/sent/<int:return_id>")
@login_required
def detail(return_id: int):
    found = own_return_or_404(return_id, current_user)
    return render_template(
        "returns/detail.html",
        found=found,
        levels=queries.levels(),
        labels=WELLBEING_LABELS,
        hub=WELLBEING_HUB,
    )


# -- coordinators -------------------------------------------------------------------------------------


@bp.route("/windows")
@role_required(Role.COORDINATOR)
def windows():
    return render_template("returns/windows.html", windows=queries.windows(), today=clock.today())


@bp.route("/windows/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_window():
    today = clock.today()
    form = forms.NewWindowForm()
    form.load_choices(today)
    if request.method == "GET":
        year, quarter = previous_quarter(today)
        form.quarter.data = f"{year}-{quarter}"
        form.opens_on.data, form.closes_on.data = default_dates(year, quarter)
    if form.validate_on_submit():
        year, quarter = form.year_and_quarter
        try:
            window = services.open_window(
                current_user, year, quarter, form.opens_on.data, form.closes_on.data
            )
        except services.WindowExists as exists:
            flash(f"The window for {exists.window.label} is open already. Here it is.", "info")
            return redirect(url_for(".progress", window_id=exists.window.id))
        flash(
            f"The window for {window.label} is open. Champions are emailed when the daily emails go out.",
            "success",
        )
        return redirect(url_for(".progress", window_id=window.id))
    return render_template("returns/new_window.html", form=form)


@bp.route("/windows/<int:window_id>/dates", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def window_dates(window_id: int):
    window = window_or_404(window_id)
    form = forms.WindowDatesForm(obj=window)
    form.year_quarter = (window.year, window.quarter)
    if request.method == "GET":
        form.version.data = window.version
    if form.validate_on_submit():
        try:
            services.change_window(
                current_user, window, versions.required(form.version), form.opens_on.data, form.closes_on.data
            )
        except versions.Stale as stale:
            flash(versions.STALE_MESSAGE, "info")
            window = window_or_404(window_id)
            form.version.data = window.version
            return render_template("returns/window_dates.html", form=form, window=window), stale.status
        flash("The dates have been saved.", "success")
        return redirect(url_for(".progress", window_id=window.id))
    return render_template("returns/window_dates.html", form=form, window=window)


@bp.route("/windows/<int:window_id>")
@role_required(Role.COORDINATOR)
def progress(window_id: int):
    window = window_or_404(window_id)
    return render_template(
        "returns/progress.html",
        progress=queries.progress(window, current_user, request.args),
        today=clock.today(),
        show_choices=[(value, label) for value, label, _ in queries.SHOW_CHOICES],
        where_choices=queries.WHERE_CHOICES,
    )


@bp.post("/windows/<int:window_id>/remind/<int:user_id>")
@role_required(Role.COORDINATOR)
def remind(window_id: int, user_id: int):
    window = opened_window_or_404(window_id)  # no reminder before the window opens: its link would 404
    champion = expected_champion_or_404(user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        sent = services.chase(current_user, window, champion)
    except services.AlreadySubmitted:
        flash(f"{champion.name} has sent their return already. Nothing more to do.", "info")
    else:
        if sent:
            flash(f"A reminder is on its way to {champion.name}.", "success")
        else:
            flash(f"{champion.name} has had a reminder today already, so we did not send another.", "info")
    # Back to the page of the list the reminder was sent from (its arguments checked, never echoed).
    view = queries.progress_view(request.args, current_user)
    return redirect(
        url_for(".progress", window_id=window.id, **view.args(), _anchor=f"champion-{champion.id}")
    )


@bp.route("/windows/<int:window_id>/totals")
@role_required(Role.COORDINATOR)
def totals(window_id: int):
    window = window_or_404(window_id)
    return render_template("returns/totals.html", totals=queries.totals(window))


DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", lambda header, rows, sheet: spreadsheet.csv_text(header, rows)),
    "ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        lambda header, rows, sheet: spreadsheet.ods_bytes(sheet, header, rows),
    ),
}


@bp.route("/windows/<int:window_id>/totals.<kind>")
@role_required(Role.COORDINATOR)
def download(window_id: int, kind: str):
    window = window_or_404(window_id)
    if kind not in DOWNLOADS:
        abort(404)
    mimetype, write = DOWNLOADS[kind]
    sheet = f"Returns {window.year} Q{window.quarter}"
    body = write(["Measure", "Value"], queries.totals(window).rows(), sheet)
    filename = f"returns-{window.year}-q{window.quarter}.{kind}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
