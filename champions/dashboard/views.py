"""The national and local dashboards, their downloads and charts, and the public totals."""

from flask import (
    Blueprint,
    Response,
    abort,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.dashboard import forms, permissions, queries, services
from champions.directory import queries as directory_queries
from champions.reference.cache import ReferenceItem, areas_with_boards, reference_items
from champions.spreadsheet import csv_text, ods_bytes

bp = Blueprint("dashboard", __name__)

ODS = "application/vnd.oasis.opendocument.spreadsheet"


@bp.app_context_processor
def figures_links():
    """`champion_figures()` for any page: the areas whose figures the signed-in champion may see."""
    return {"champion_figures": lambda: permissions.areas_for_champion(current_user)}


def _filtered(run, place=None) -> tuple[forms.FilterForm, queries.Filters]:
    areas, boards, sectors = areas_with_boards(), reference_items("board"), reference_items("sector")
    args = request.args
    if place is not None:  # a local dashboard's place is in its address, not in the filters
        args = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k not in ("area", "board")])
    form = forms.FilterForm(args)
    form.load_choices(run, areas, boards, sectors)
    form.validate()
    item = ReferenceItem(place.id, place.slug, place.name) if place is not None else None
    return form, form.filters(areas, boards, sectors, item)


def _charts(run, filters, figures) -> tuple[dict[str, queries.Table], bool]:
    """The tables to show a chart beside, and whether some are left out for now. Nothing is drawn here."""
    if queries.drawn_ahead(filters, run):
        return {key: figures.table(key) for key in queries.chart_keys_ahead(filters, run)}, False
    drawable = {t.key: t for s in figures.sections for t in s.tables if t.key in queries.CHARTED and t.points}
    # A view whose every chart is drawn stays so until the next run: each worker stops asking.
    complete = queries.kept(run, "views with every chart drawn", set)
    if filters in complete:
        return drawable, False
    # Kept a minute per worker (queries.recent_charts): a chart another worker drew just now may be left
    # out of the page for that long, never shown wrong, as the chart route reads the stored SVG first.
    stored = queries.recent_charts(run, queries.view_signature(filters))
    if set(drawable) <= stored:
        complete.add(filters)
        return drawable, False
    if services.may_draw(current_user.id, filters, bool(stored), run):
        return drawable, False
    return {key: table for key, table in drawable.items() if key in stored}, True


def _tables_html(run, figures, charts, url_args) -> dict[str, Markup]:
    """Each table of the view with its chart and download links, as HTML: the same for everyone who asks
    for this view with these charts and this address, so each worker renders it once per run."""
    key = ("tables", figures.filters, frozenset(charts), tuple(url_args.items()), request.script_root)

    def render() -> dict[str, Markup]:
        figure_table = get_template_attribute("dashboard/_table.html", "figure_table")
        tables = (table for section in figures.sections for table in section.tables)
        return {table.key: figure_table(table, charts.get(table.key), url_args) for table in tables}

    return queries.kept(run, key, render)


def _map_html(run, coverage_map, place, dashboards) -> Markup:
    """The hex map and its table, linked for this viewer: rendered once per worker for the same counts,
    place and links (`dashboards`: True for every area's figures, or the slugs this champion may see)."""
    counts = tuple((item.area.id, item.local, item.board, item.national) for item in coverage_map.areas)
    seen = dashboards if dashboards is True else frozenset(dashboards)
    key = ("map", counts, place.slug if place else None, seen, request.script_root)

    def render() -> Markup:
        macro = get_template_attribute("dashboard/_coverage_map.html", "coverage_map")
        return macro(coverage_map, place, dashboards)

    return queries.kept(run, key, render)


def _filters_html(run, form, place, url_args) -> Markup:
    """The filter form and the list of areas, as HTML: they follow from the address (the form's values and
    errors) and the run's months alone, so each worker renders them once per run for each address."""
    key = (
        "filters",
        tuple(request.args.items(multi=True)),
        place.slug if place else None,
        request.script_root,
    )

    def render() -> Markup:
        return get_template_attribute("dashboard/_filters.html", "filters")(form, place, url_args)

    return queries.kept(run, key, render)


def _page(run, place=None):
    form, filters = _filtered(run, place)
    figures = queries.kept_dashboard(filters, run)
    charts, not_now = _charts(run, filters, figures) if not form.errors else ({}, False)
    url_args = {**request.args.to_dict(), **({"area_slug": place.slug} if place else {})}
    heading = f"{place.name} in figures" if place is not None else "The network in figures"
    # Each hexagon links to its area's dashboard for whoever may see it, else to the area's champions.
    visible = (
        True if current_user.is_coordinator else {s for s, _ in permissions.areas_for_champion(current_user)}
    )
    return render_template(
        "dashboard/index.html",
        form=form,
        filter_form=_filters_html(run, form, place, url_args),
        dashboard=figures,
        tables=_tables_html(run, figures, charts, url_args),
        charts_not_now=not_now,
        place=place,
        url_args=url_args,
        heading=heading,
        coverage_map=_map_html(run, directory_queries.coverage_map(), place, visible),
        dashboards=visible,
    )


def _chart(run, key: str, place=None):
    """A chart of the view in the address: stored, or drawn now if the refresh did not draw that view."""
    form, filters = _filtered(run, place)
    if form.errors or key not in queries.CHARTED:
        abort(404)
    svg = queries.chart_svg(queries.view_signature(filters), key)
    if svg is None and not queries.drawn_ahead(filters, run):
        try:
            svg = services.draw_on_request(current_user.id, filters, run, key)
        except services.NotNow:
            abort(429)
    if svg is None:
        abort(404)
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


def _download(run, key: str, kind: str, place=None):
    form, filters = _filtered(run, place)
    if form.errors:
        if place is not None:
            return redirect(url_for("dashboard.area", area_slug=place.slug, **request.args))
        return redirect(url_for("dashboard.index", **request.args))
    table = queries.kept_dashboard(filters, run).table(key)
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
    """One chart of the national figures, for the filters in the address (drawn once if not drawn ahead)."""
    run = queries.latest_run_now()  # as the database has it: an image may follow a refresh elsewhere
    if run is None:
        abort(404)
    return _chart(run, key)


@bp.route("/dashboard/area/<area_slug>/charts/<key>.svg")
@login_required
def area_chart(area_slug: str, key: str):
    """One chart of a council area's figures, for whoever may see that area's dashboard."""
    place = permissions.ensure_area_visible(current_user, queries.area_by_slug(area_slug))
    run = queries.latest_run_now()  # as the database has it: an image may follow a refresh elsewhere
    if run is None:
        abort(404)
    return _chart(run, key, place)


@bp.route("/network/in-numbers")
def in_numbers():
    """The network in numbers for everyone: totals only, none about a handful of people."""
    run = queries.latest_run()
    totals = queries.public_totals(run) if run is not None else None
    return render_template("dashboard/in_numbers.html", run=run, totals=totals)
