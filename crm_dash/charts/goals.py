"""A goal's chart: actual monthly values, the expected line, the forecast and the target.

:func:`chart_frame` lays the points out as one table (shared by the page's Altair chart and the
report's SVG, :func:`crm_dash.charts.svg.goal_chart_svg`); :func:`goal_chart` builds the Altair
chart from it. The actual values use the productive segment's colour, as on every other page;
months carry labels formatted for the reader's language instead of Vega's English month names.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import cast

import altair as alt
import pandas as pd

from crm_dash.charts import SEGMENT_COLORS
from crm_dash.goals.math import GoalProgress
from crm_dash.goals.model import Goal
from crm_dash.goals.present import fmt_month, fmt_value
from crm_dash.i18n import Language, t

SERIES: tuple[str, ...] = ("actual", "expected", "forecast", "target")
SERIES_COLOURS: dict[str, str] = {
    "actual": SEGMENT_COLORS["productive"],
    "expected": "#7a7a7a",
    "forecast": "#e08214",
    "target": "#2166ac",
}
SERIES_DASHES: dict[str, list[int]] = {
    "actual": [1, 0], "expected": [6, 4], "forecast": [2, 3], "target": [1, 0],
}


@dataclass(frozen=True)
class ChartTexts:
    """The words of a goal chart in one language."""

    title: str
    subtitle: str
    x: str
    y: str
    series: dict[str, str]
    line: str
    value: str


def chart_texts(goal: Goal, lang: Language) -> ChartTexts:
    """Title, axis labels and series names of ``goal``'s chart."""
    return ChartTexts(
        title=t("goals.chart.title", lang),
        subtitle=t("goals.chart.subtitle", lang, scope=goal.scope.label()),
        x=t("goals.chart.x", lang),
        y=t(f"goals.metric.{goal.metric.value}", lang),
        series={s: t(f"goals.chart.series.{s}", lang) for s in SERIES},
        line=t("goals.chart.line", lang),
        value=t("goals.chart.value", lang),
    )


def chart_frame(goal: Goal, progress: GoalProgress, lang: Language) -> pd.DataFrame:
    """One row per month and series (actual, expected, forecast, target) with a value.

    Columns: month (date), index (goal month), month_label, series (code), label (display
    name), value, value_text (formatted for ``lang``).
    """
    rows = []
    for point in progress.points:
        values = {"actual": point.actual, "expected": point.expected, "forecast": point.forecast,
                  "target": goal.target}
        for series, value in values.items():
            if value is None:
                continue
            rows.append({
                "month": point.month, "index": point.index,
                "month_label": fmt_month(point.month, lang, short=True),
                "series": series, "label": t(f"goals.chart.series.{series}", lang),
                "value": float(value), "value_text": fmt_value(value, goal.metric, lang),
            })
    return pd.DataFrame(rows, columns=["month", "index", "month_label", "series", "label",
                                       "value", "value_text"])


def goal_chart(goal: Goal, frame: pd.DataFrame, lang: Language) -> alt.LayerChart:
    """The Altair chart of a goal from its :func:`chart_frame` (a view leaves that out for a
    scope too small to show: no chart then)."""
    text = chart_texts(goal, lang)
    months = list(dict.fromkeys(frame["month_label"]))  # every month has its target row
    present = [s for s in SERIES if s in set(frame["series"])]
    # Two columns: four series in one row ran past a phone's 390 px ("Prognose (Tren").
    legend = alt.Legend(orient="bottom", direction="horizontal", columns=2, symbolType="stroke",
                        symbolStrokeWidth=2.5, symbolSize=400, labelLimit=220)
    colour = alt.Color(
        "label:N", title=None, legend=legend,
        scale=alt.Scale(domain=[text.series[s] for s in present],
                        range=[SERIES_COLOURS[s] for s in present]),
    )
    dash = alt.StrokeDash(
        "label:N", title=None, legend=legend,
        scale=alt.Scale(domain=[text.series[s] for s in present],
                        range=[SERIES_DASHES[s] for s in present]),
    )
    y_axis = alt.Axis(format="d" if goal.metric.is_count else ".0%", tickMinStep=1
                      if goal.metric.is_count else 0.01)
    base = alt.Chart(frame).encode(
        x=alt.X("month_label:O", sort=months, title=text.x, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=text.y, axis=y_axis,
                scale=alt.Scale(zero=False, padding=12, nice=True)),
        color=colour,
        strokeDash=dash,
        tooltip=[alt.Tooltip("month_label:N", title=text.x),
                 alt.Tooltip("label:N", title=text.line),
                 alt.Tooltip("value_text:N", title=text.value)],
    )
    lines = base.transform_filter(alt.datum.series != "target").mark_line(strokeWidth=2.5)
    dots = base.transform_filter(alt.datum.series == "actual").mark_point(filled=True, size=60)
    target = base.transform_filter(alt.datum.series == "target").mark_line(strokeWidth=1.5)
    chart = alt.layer(target, lines, dots).properties(
        # The subtitle in lines of ~50 characters: Vega cuts a long one at the chart's width
        # ("… die gerade Linie zum Ziel un…" on a phone).
        title=alt.TitleParams(text.title, subtitle=textwrap.wrap(text.subtitle, 50),
                              anchor="start"),
        height=380,
    )
    return cast(alt.LayerChart, chart)
