"""The national and local dashboards, their downloads and charts, and the public totals."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.dashboard import forms, permissions, queries
from champions.reference.cache import ReferenceItem, reference_items
from champions.spreadsheet import csv_text, ods_bytes

bp = Blueprint("dashboard", __name__)

ODS = "application/vnd.oasis.opendocument.spreadsheet"


def _filtered(run, place=None) -> tuple[forms.FilterForm, queries.Filters]:
    areas, boards, sectors = queries.areas_with_boards(), reference_items("board"), reference_items("sector")
    args = request.args
    if place is not None:  # a local dashboard's place is in its address, not in the filters
        args = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k not in ("area", "board")])
    form = forms.FilterForm(args)
    form.load_choices(run, areas, boards, sectors)
    form.validate()
    item = ReferenceItem(place.id, place.slug, place.name) if place is not None else None
    return form, form.filters(areas, boards, sectors, item)


def _page(run, place=None):
    form, filters = _filtered(run, place)
    figures = queries.dashboard(filters, run)
    # Charts are drawn ahead for all of Scotland over the last 12 months; other views show the tables.
    charts = queries.charts() if filters == queries.default_filters(run) else {}
    url_args = {**request.args.to_dict(), **({"area_slug": place.slug} if place else {})}
    heading = f"{place.name} in figures" if place is not None else "The network in figures"
    return render_template(
        "dashboard/index.html",
        form=form,
        dashboard=figures,
        charts=charts,
        place=place,
        url_args=url_args,
        heading=heading,
    )


def _download(run, key: str, kind: str, place=None):
    form, filters = _filtered(run, place)
    if form.errors:
        if place is not None:
            return redirect(url_for("dashboard.area", area_slug=place.slug, **request.args))
        return redirect(url_for("dashboard.index", **request.args))
    table = queries.dashboard(filters, run).table(key)
    if table is None:
        abort(404)
    rows = table.rows
    body = csv_text(table.header, rows) if kind == "csv" else ods_bytes(table.title, table.header, rows)
    where = f"{place.slug}-" if place is not None else ""
    filename = f"{where}{key}-{filters.first:%Y-%m}-to-{filters.last:%Y-%m}.{kind}"
    return Response(
        body,
        mimetype="text/csv" if kind == "csv" else ODS,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.route("/dashboard")
@role_required(Role.COORDINATOR)
def index():
    """The national figures, filtered by period, place and sector, each chart beside its table."""
    run = queries.latest_run()
    if run is None:
        return render_template("dashboard/not_yet.html")
    return _page(run)


@bp.route("/dashboard/tables/<key>.<any(csv, ods):kind>")
@role_required(Role.COORDINATOR)
def download(key: str, kind: str):
    """One table as CSV or OpenDocument, with the same filters and the same small-number rule as the page."""
    run = queries.latest_run()
    if run is None:
        abort(404)
    return _download(run, key, kind)


@bp.route("/dashboard/area/<area_slug>")
@login_required
def area(area_slug: str):
    """One council area's figures, for coordinators and for the area's own champions."""
    place = permissions.ensure_area_visible(current_user, queries.area_by_slug(area_slug))
    run = queries.latest_run()
    if run is None:
        return render_template("dashboard/not_yet.html")
    return _page(run, place)


@bp.route("/dashboard/area/<area_slug>/tables/<key>.<any(csv, ods):kind>")
@login_required
def area_download(area_slug: str, key: str, kind: str):
    """One table of a council area's figures as CSV or OpenDocument."""
    place = permissions.ensure_area_visible(current_user, queries.area_by_slug(area_slug))
    run = queries.latest_run()
    if run is None:
        abort(404)
    return _download(run, key, kind, place)


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
