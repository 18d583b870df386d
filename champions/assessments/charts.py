"""Draw an assessment's chart of the domains as SVG with Vega-Altair and vl-convert, only on submit."""

import altair as alt
import vl_convert

from champions.assessments.models import RATING_LABELS, RATING_SCORE, Rating

BLUE = "#0065bd"
TEXT = "#333333"


def spec(points: list[tuple[str, str | None]]) -> dict:
    """Bars of each domain's rating, 0 (not yet started) to 3 (embedded); unrated domains are left at 0."""
    values = [
        {
            "domain": name,
            "score": RATING_SCORE[Rating(rating)] if rating else 0,
            "rating": RATING_LABELS[Rating(rating)] if rating else "Not rated",
        }
        for name, rating in points
    ]
    order = [name for name, _rating in points]
    labels = "datum.value == 0 ? 'Not yet started' : datum.value == 1 ? 'Starting' : "
    labels += "datum.value == 2 ? 'Developing' : 'Embedded'"
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y("domain:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X(
                "score:Q",
                title="Rating",
                scale=alt.Scale(domain=[0, 3]),
                axis=alt.Axis(values=[0, 1, 2, 3], labelExpr=labels),
            ),
        )
        .properties(width=420, height=300, description="Each domain's rating")
    )
    config = {"font": "sans-serif", "axis": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12}}
    return {**chart.to_dict(), "config": config}


def draw(points: list[tuple[str, str | None]]) -> str:
    return vl_convert.vegalite_to_svg(spec(points))
