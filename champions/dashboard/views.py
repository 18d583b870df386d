"""The national dashboard for coordinators and admins, its downloads and charts, and the public totals."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.dashboard import forms, queries
from champions.reference.cache import reference_items
from champions.spreadsheet import csv_text, ods_bytes

bp = Blueprint("dashboard", __name__)

ODS = "application/vnd.oasis.opendocument.spreadsheet"


def _filtered(run) -> tuple[forms.FilterForm, queries.Filters]:
    areas, boards, sectors = queries.areas_with_boards(), reference_items("board"), reference_items("sector")
    form = forms.FilterForm(request.args)
    form.load_choices(run, areas, boards, sectors)
    form.validate()
    return form, form.filters(areas, boards, sectors)


@bp.route("/dashboard")
@role_required(Role.COORDINATOR)
def index():
    """The national figures, filtered by period, place and sector, each chart beside its table."""
    run = queries.latest_run()
    if run is None:
        return render_template("dashboard/not_yet.html")
    form, filters = _filtered(run)
    figures = queries.dashboard(filters, run)
    # Charts are drawn ahead for all of Scotland over the last 12 months; other views show the tables.
    charts = queries.charts() if filters == queries.default_filters(run) else {}
    return render_template(
        "dashboard/index.html", form=form, dashboard=figures, charts=charts, args=request.args
    )


@bp.route("/dashboard/tables/<key>.<any(csv, ods):kind>")
@role_required(Role.COORDINATOR)
def download(key: str, kind: str):
    """One table as CSV or OpenDocument, with the same filters and the same small-number rule as the page."""
    run = queries.latest_run()
    if run is None:
        abort(404)
    form, filters = _filtered(run)
    if form.errors:
        return redirect(url_for("dashboard.index", **request.args))
    table = queries.dashboard(filters, run).table(key)
    if table is None:
        abort(404)
    body = (
        csv_text(table.header, table.rows)
        if kind == "csv"
        else ods_bytes(table.title, table.header, table.rows)
    )
    filename = f"{key}-{filters.first:%Y-%m}-to-{filters.last:%Y-%m}.{kind}"
    return Response(
        body,
        mimetype="text/csv" if kind == "csv" else ODS,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.route("/dashboard/charts/<key>.svg")
@role_required(Role.COORDINATOR)
def chart(key: str):
    """A chart drawn by the last refresh: one row read, nothing drawn."""
    svg = queries.chart_svg(key)
    if svg is None:
        abort(404)
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


@bp.route("/network/in-numbers")
def in_numbers():
    """The network in numbers for everyone: totals only, none about a handful of people."""
    run = queries.latest_run()
    totals = queries.public_totals(run) if run is not None else None
    return render_template("dashboard/in_numbers.html", run=run, totals=totals)
