"""Altair charts of the Training page: trained share per department, sessions per month, and the
before/after comparison of the training effect.

Trained people are purple and their comparison group grey, never a segment's colour: green
means productive and blue means new on every page.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from crm_dash.charts import NEUTRAL_COLORS, ChartText, chart_title

_HEIGHT = 320
_TRAINED_COLOR = NEUTRAL_COLORS["purple"]
_COMPARISON_COLOR = NEUTRAL_COLORS["grey"]
_SESSION_COLOR = NEUTRAL_COLORS["slate"]
_NO_SESSION_COLOR = NEUTRAL_COLORS["brown"]  # the "0" of a month without sessions
_LABEL_INSIDE = 0.4  # shares from which a bar is long enough to hold its label


def trained_share_chart(shares: pd.DataFrame, text: ChartText) -> alt.LayerChart:
    """Horizontal bars: the trained share per department, labelled ``60 % (6 / 10)``.

    ``shares``: group, share, label (the bar's text).
    """
    data = shares[["group", "share", "label"]].copy()
    base = alt.Chart(data).encode(
        y=alt.Y("group:N", title=text.y, sort=list(data["group"]),
                axis=alt.Axis(labelLimit=240)),
        x=alt.X("share:Q", title=text.x, scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", values=[0, 0.2, 0.4, 0.6, 0.8, 1])),
        tooltip=[alt.Tooltip("group:N", title=text.y), alt.Tooltip("label:N", title=text.x)],
    )
    bars = base.mark_bar(color=_TRAINED_COLOR)
    # The label inside a long bar (white, at its end), after a short one: never cut off.
    inside = base.transform_filter(alt.datum.share >= _LABEL_INSIDE).mark_text(
        align="right", dx=-6, fontSize=12, color="white").encode(text="label:N")
    outside = base.transform_filter(alt.datum.share < _LABEL_INSIDE).mark_text(
        align="left", dx=4, fontSize=12).encode(text="label:N")
    return alt.LayerChart(layer=[bars, inside, outside], title=chart_title(text),
                          height=alt.Step(34))


def sessions_chart(sessions: pd.DataFrame, text: ChartText) -> alt.LayerChart:
    """Bars of sessions per month with the number above each bar, ``0`` included, so a month
    without sessions is visibly a gap.

    ``sessions``: month_label (in order), sessions, invitations, no_shows.
    """
    data = sessions[["month_label", "sessions", "invitations", "no_shows"]].copy()
    order = list(data["month_label"])
    base = alt.Chart(data).encode(
        x=alt.X("month_label:O", title=text.x, sort=order,
                axis=alt.Axis(labelAngle=-45, labelOverlap=False)),
        y=alt.Y("sessions:Q", title=text.y, axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(domainMin=0)),
        tooltip=[alt.Tooltip("month_label:O", title=text.x),
                 alt.Tooltip("sessions:Q", title=text.y),
                 alt.Tooltip("invitations:Q", title=text.count),
                 alt.Tooltip("no_shows:Q", title=text.share)],
    )
    bars = base.mark_bar(color=_SESSION_COLOR)
    labels = base.mark_text(dy=-8, fontSize=12).encode(
        text="sessions:Q",
        color=alt.condition(alt.datum.sessions == 0, alt.value(_NO_SESSION_COLOR),
                            alt.value("black")),
    )
    return alt.LayerChart(layer=[bars, labels], title=chart_title(text)).properties(
        height=_HEIGHT)


def effect_chart(rows: pd.DataFrame, text: ChartText) -> alt.LayerChart:
    """Grouped bars: before and after, trained next to the comparison group, one metric.

    ``rows``: period (label, in order), group (label), value, value_text; ``text.legend``
    titles the groups. The trained group is drawn purple, the comparison grey.
    """
    data = rows[["period", "group", "value", "value_text"]].copy()
    periods = list(dict.fromkeys(data["period"]))
    groups = list(dict.fromkeys(data["group"]))
    base = alt.Chart(data).encode(
        x=alt.X("period:N", title=text.x, sort=periods, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("group:N", sort=groups),
        y=alt.Y("value:Q", title=text.y, scale=alt.Scale(domainMin=0)),
        tooltip=[alt.Tooltip("group:N", title=text.legend),
                 alt.Tooltip("period:N", title=text.x),
                 alt.Tooltip("value_text:N", title=text.y)],
    )
    bars = base.mark_bar().encode(color=alt.Color(
        "group:N", title=None, sort=groups,
        scale=alt.Scale(domain=groups, range=[_TRAINED_COLOR, _COMPARISON_COLOR][:len(groups)]),
        legend=alt.Legend(orient="top", direction="vertical", labelLimit=400)))
    labels = base.mark_text(dy=-8, fontSize=12).encode(text="value_text:N")
    return alt.LayerChart(layer=[bars, labels], title=chart_title(text)).properties(
        height=_HEIGHT)
