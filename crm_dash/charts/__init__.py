"""Every chart of the product, one module per subject: pure functions from data and texts to charts.

``adoption`` (the Adoption page and the Overview's split), ``training``, ``pipeline`` and
``goals`` build Altair charts; ``svg`` draws the goal report's chart as inline SVG (the report
must open offline, where Vega's JavaScript cannot load). None of them imports Streamlit: the UI
(``crm_dash/ui``) only draws what they return, and the tests read them as Vega-Lite specs.

Here are the pieces they share. Every chart has a title, labelled axes and tooltips; the texts
(:class:`ChartText`) come in from the caller (German or English). Each segment has one colour,
defined here once, so productive is the same green on every page; everything else takes its
colours from :data:`NEUTRAL_COLORS`, which shares none with the segments. Month axes use labels
the caller formatted for its locale instead of Vega's English month names; tooltips show numbers
the caller formatted the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt

#: One colour per segment, on every page (a colour-blind friendly diverging scheme).
SEGMENT_COLORS: dict[str, str] = {
    "productive": "#1b7837",
    "sporadic": "#7fbf7b",
    "barely": "#f4a582",
    "never": "#b2182b",
    "new": "#4393c3",
    "barely_never": "#d6604d",  # the typical picture counts barely and never together
    "not_licensed": "#bababa",  # movement matrix: joined or left
}
#: Colours of everything that is not a segment: lifecycle states, single-figure lines and bars,
#: training groups, retrospective statuses. None of them is a segment colour, so green always
#: means productive and blue always means new, on every page.
NEUTRAL_COLORS: dict[str, str] = {
    "slate": "#4b5d6b",  # a single figure over time or per category; open items
    "grey": "#9e9e9e",  # comparison groups, inactive states
    "dark_grey": "#5f5f5f",  # not applicable
    "purple": "#762a83",
    "lavender": "#b294c7",
    "ochre": "#bf812d",
    "brown": "#8c510a",
    "light": "#f2f0f7",  # the low end of a count scale
}
#: One colour per lifecycle state (not the segments': lifecycle "new" is not segment "new").
LIFECYCLE_COLORS: dict[str, str] = {
    "new": NEUTRAL_COLORS["ochre"],
    "returning": NEUTRAL_COLORS["purple"],
    "resurrecting": NEUTRAL_COLORS["lavender"],
    "dormant": NEUTRAL_COLORS["grey"],
}
#: The colour of a chart with a single series (breadth, stickiness, breadth distribution).
SERIES_COLOR = NEUTRAL_COLORS["slate"]


@dataclass(frozen=True)
class ChartText:
    """The words of one chart.

    ``x``, ``y`` and ``legend`` title the axes and the legend (and the matching tooltip rows);
    ``count`` and ``share`` title the tooltip rows of numbers and shares.
    """

    title: str
    x: str
    y: str
    legend: str = ""
    subtitle: str = ""
    count: str = ""
    share: str = ""


def chart_title(text: ChartText) -> alt.TitleParams:
    """The chart's title, left-aligned, with its subtitle when it has one."""
    if text.subtitle:
        return alt.TitleParams(text.title, subtitle=text.subtitle, anchor="start")
    return alt.TitleParams(text.title, anchor="start")
