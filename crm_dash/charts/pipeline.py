"""Altair charts of the Pipeline page: a figure per owner segment.

The segments keep the colours of the adoption charts (:data:`crm_dash.charts.SEGMENT_COLORS`);
owners without a segment and owners not in the roster are grey.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from crm_dash.charts import SEGMENT_COLORS, ChartText, chart_title

GROUP_COLORS: dict[str, str] = {
    **SEGMENT_COLORS,
    "no_segment": SEGMENT_COLORS["not_licensed"],
    "not_in_roster": "#878787",
}


def segment_bar_chart(
    frame: pd.DataFrame, value: str, text: ChartText, labels: Mapping[str, str],
    codes: Sequence[str], *, percent_suffix: str | None = None, scale_max: float | None = None,
) -> alt.LayerChart:
    """One horizontal bar per owner segment with its value written beside it.

    ``frame``: group (a code of ``codes``), ``value`` (number; rows without one are left out),
    value_text (the number formatted for the locale), detail_text (a tooltip line such as the
    number of open opportunities). ``text.x`` titles the segment axis, ``text.y`` the values.
    ``scale_max`` is the largest possible value (1 for a share, 100 for a score): the axis
    ticks stop there; without it (amounts) the value axis has no tick labels, the bars are
    labelled. Either way the axis leaves room for the labels beside the longest bar. A share
    axis (``percent_suffix``, e.g. ``"%"`` or ``" %"``) reads 0 to 100 with that suffix.
    """
    data = frame[frame["group"].isin(codes) & frame[value].notna()].copy()
    data = data[["group", value, "value_text", "detail_text"]]
    data["label"] = data["group"].map(labels)
    present = [c for c in codes if c in set(data["group"])]
    order = [labels[c] for c in present]
    top = scale_max * 1.3 if scale_max else float(data[value].max() or 1) * 1.5
    if not scale_max:
        axis = alt.Axis(labels=False, ticks=False)
    elif percent_suffix is not None:
        axis = alt.Axis(values=[scale_max * i / 4 for i in range(5)],
                        labelExpr=f"format(datum.value * 100, '.0f') + '{percent_suffix}'")
    else:
        axis = alt.Axis(values=[scale_max * i / 4 for i in range(5)], format="d")
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=text.x, sort=order, axis=alt.Axis(labelLimit=110)),
        x=alt.X(f"{value}:Q", title=text.y, axis=axis, scale=alt.Scale(domain=[0, top])),
        tooltip=[alt.Tooltip("label:N", title=text.x),
                 alt.Tooltip("value_text:N", title=text.y),
                 alt.Tooltip("detail_text:N", title=text.count)],
    )
    bars = base.mark_bar().encode(
        color=alt.Color("label:N", sort=order, legend=None,
                        scale=alt.Scale(domain=order, range=[GROUP_COLORS[c] for c in present])),
    )
    values = base.mark_text(align="left", dx=4, fontSize=11).encode(text="value_text:N")
    return alt.LayerChart(layer=[bars, values], title=chart_title(text), height=alt.Step(30))
