"""Draw the dashboard's charts as SVG with Vega-Altair and vl-convert: from the refresh, or a chart's request.

The first chart in a process takes about a second (vl-convert starts its JavaScript engine), each one
after about 45 ms, so pages never draw: the refresh draws the default views ahead, and a chart image's
own request draws another view's chart once (services.draw_on_request). Points come already safe:
the tables leave small groups out of `points` before anything is drawn.
"""

import math

import altair as alt
import vl_convert

from champions.dashboard.queries import CHARTED, Dashboard, Table

BLUE = "#0065bd"  # the Scottish Government design system's blue, 7:1 on white
TEXT = "#333333"
LINES = {"coverage", "events_by_month", "discussions"}
FRACTIONS = {"rating_by_type"}  # average ratings such as 4.3


def spec(table: Table) -> dict:
    """The Vega-Lite description of one table's chart: a line over months, or bars by group."""
    data = alt.Data(values=[{"label": label, "value": value} for label, value in table.points])
    order = [label for label, _value in table.points]
    # Counts and whole per cents are ticked in whole numbers (no "0.5 council areas"); ratings are not.
    # vl-convert does not honour tickMinStep, so a small top value asks for as many ticks as it has.
    top = max((value for _label, value in table.points), default=0)
    whole = {"format": "d", **({"tickCount": max(1, math.ceil(top))} if top < 5 else {})}
    values = alt.Axis() if table.key in FRACTIONS else alt.Axis(**whole)
    if table.key in LINES:
        chart = alt.Chart(data).mark_line(point=True, color=BLUE)
        x = alt.X("label:O", sort=order, title=None, axis=alt.Axis(labelAngle=-45))
        y = alt.Y("value:Q", title=table.axis, axis=values)
        chart = chart.encode(x=x, y=y)
    else:
        chart = (
            alt.Chart(data)
            .mark_bar(color=BLUE)
            .encode(
                y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
                x=alt.X("value:Q", title=table.axis, axis=values),
            )
        )
    chart = chart.properties(width=520, height=240, description=table.summary)
    config = {"font": "sans-serif", "axis": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12}}
    return {**chart.to_dict(), "config": config}


def draw_spec(description: dict) -> str:
    """One chart as an SVG document, from its Vega-Lite description."""
    return vl_convert.vegalite_to_svg(description)


def draw(table: Table) -> str:
    """One table's chart as an SVG document."""
    return draw_spec(spec(table))


def specs(dashboard: Dashboard) -> list[tuple[str, str, str, dict]]:
    """Each charted table's key, title, summary and chart description; a table with nothing safe has none."""
    found = []
    for key in CHARTED:
        table = dashboard.table(key)
        if table is not None and table.points:
            found.append((key, table.title, table.summary, spec(table)))
    return found
