"""Altair charts of the adoption figures: segment shares, lifecycle, movement, breadth, stickiness.

Used by the Adoption page and the Overview's split next to the typical picture. The colours,
:class:`~crm_dash.charts.ChartText` and the title come from :mod:`crm_dash.charts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from crm_dash.charts import (
    LIFECYCLE_COLORS,
    NEUTRAL_COLORS,
    SEGMENT_COLORS,
    SERIES_COLOR,
    ChartText,
    chart_title,
)
from crm_dash.i18n import Language, fmt_int, fmt_percent

#: The picture a user analysis of a CRM typically finds (see DOMAIN / README).
TYPICAL_SPLIT: dict[str, float] = {"productive": 0.30, "sporadic": 0.20, "barely_never": 0.50}
#: The segments of the split chart: barely and never together, as the typical picture counts them.
SPLIT_CODES: tuple[str, ...] = ("productive", "sporadic", "barely_never", "new")

_HEIGHT = 340  # the whole chart: Streamlit fits axes and title into it
# Axes of people counts: whole numbers only.
_COUNT_AXIS = alt.Axis(format="d", tickMinStep=1)


def _scale(colors: Mapping[str, str], labels: Mapping[str, str],
           codes: Sequence[str]) -> alt.Scale:
    """Colour scale over the display labels of ``codes``, in that order, colours fixed."""
    return alt.Scale(domain=[labels[c] for c in codes], range=[colors[c] for c in codes])


def _labelled(frame: pd.DataFrame, column: str, labels: Mapping[str, str],
              codes: Sequence[str]) -> pd.DataFrame:
    """Rows of ``codes`` only, with their display ``label`` and stacking ``order``."""
    out = frame[frame[column].isin(codes)].copy()
    out["label"] = out[column].map(labels)
    out["order"] = out[column].map({c: i for i, c in enumerate(codes)})
    return out


def _month_order(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame.sort_values("month")["month_label"]))


def _month_axis(frame: pd.DataFrame, title: str) -> alt.X:
    return alt.X("month_label:O", title=title, sort=_month_order(frame),
                 axis=alt.Axis(labelAngle=-45))


def segment_share_chart(
    shares: pd.DataFrame, text: ChartText, labels: Mapping[str, str], codes: Sequence[str]
) -> alt.Chart:
    """Stacked 100 % bars: each segment's share of the licensed people, per month.

    ``shares``: month, month_label, segment, people, share_text.
    """
    data = _labelled(shares, "segment", labels, codes)
    data = data[["month", "month_label", "label", "order", "people", "share_text"]]
    data["month"] = data["month"].astype(str)
    return alt.Chart(data, title=chart_title(text)).mark_bar().encode(
        x=_month_axis(data, text.x),
        y=alt.Y("people:Q", title=text.y, stack="normalize", axis=alt.Axis(format="%")),
        color=alt.Color("label:N", title=text.legend, sort=[labels[c] for c in codes],
                        scale=_scale(SEGMENT_COLORS, labels, codes)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("month_label:O", title=text.x),
                 alt.Tooltip("label:N", title=text.legend),
                 alt.Tooltip("people:Q", title=text.count),
                 alt.Tooltip("share_text:N", title=text.share)],
    ).properties(height=_HEIGHT)


def _ink(hex_colour: str) -> str:
    """Black or white, whichever reads better on ``hex_colour`` (WCAG relative luminance)."""
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "black" if luminance > 0.18 else "white"


def _label_px(text: str) -> float:
    """About how many pixels ``text`` needs inside a bar (11 px labels, 4 px air a side)."""
    return 0.55 * 11 * len(text) + 8


def group_share_chart(
    shares: pd.DataFrame, text: ChartText, labels: Mapping[str, str], codes: Sequence[str]
) -> alt.LayerChart:
    """Horizontal stacked 100 % bars, one per group (department, or "ours" vs "typical"), each
    segment's name and share written into its part, so colour is not the only thing that tells
    the segments apart.

    ``shares``: group, segment, share, share_text, people_text.
    """
    data = _labelled(shares, "segment", labels, codes)
    data = data[["group", "segment", "label", "order", "share", "share_text", "people_text"]]
    data = data.sort_values(["group", "order"], kind="stable")
    total = data.groupby("group", sort=False)["share"].transform("sum")
    end = data.groupby("group", sort=False)["share"].cumsum() / total.where(total > 0)
    part = data["share"] / total.where(total > 0)
    named = [f"{label} {share}" for label, share in zip(data["label"], data["share_text"],
                                                         strict=True)]
    data = data.assign(
        mid=end - part / 2,
        part=part.fillna(0),
        bar_text=named,
        # pixels each text needs at the labels' 11 px, and a little air
        named_px=[_label_px(x) for x in named],
        share_px=[_label_px(x) for x in data["share_text"]],
        ink=data["segment"].map(lambda c: _ink(SEGMENT_COLORS[c])),
    ).drop(columns="segment")
    groups = list(dict.fromkeys(data["group"]))
    y = alt.Y("group:N", title=text.y, sort=groups, axis=alt.Axis(labelLimit=170))
    bars = alt.Chart(data).mark_bar().encode(
        y=y,
        x=alt.X("share:Q", title=text.x, stack="normalize", axis=alt.Axis(format="%")),
        # Below the bars: with one or two bars a legend beside them would be cut off; one
        # name a line, so four German segment names fit a phone's narrow chart too.
        color=alt.Color("label:N", title=text.legend, sort=[labels[c] for c in codes],
                        scale=_scale(SEGMENT_COLORS, labels, codes),
                        legend=alt.Legend(orient="bottom", direction="vertical",
                                          labelLimit=220)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("group:N", title=text.y),
                 alt.Tooltip("label:N", title=text.legend),
                 alt.Tooltip("people_text:N", title=text.count),
                 alt.Tooltip("share_text:N", title=text.share)],
    )
    # A part's name and share where its bar is wide enough (``width``: the plot's width in the
    # browser, so a phone shows fewer names), its share alone where only that fits.
    names = alt.Chart(data).transform_calculate(
        shown="datum.part * width >= datum.named_px ? datum.bar_text : "
              "datum.part * width >= datum.share_px ? datum.share_text : ''"
    ).mark_text(fontSize=11).encode(
        y=y, x=alt.X("mid:Q"), text="shown:N", color=alt.Color("ink:N", scale=None),
    )
    return alt.LayerChart(layer=[bars, names], title=chart_title(text), height=alt.Step(34))


def typical_split_chart(
    segments: Mapping[str, int], licensed: int, text: ChartText, labels: Mapping[str, str],
    *, ours: str, typical: str, lang: Language,
) -> alt.LayerChart:
    """The Overview's split: our licensed people per segment (barely and never together) in
    one bar, the picture a CRM analysis typically finds (:data:`TYPICAL_SPLIT`) in another,
    drawn by :func:`group_share_chart`.

    ``segments``: people per segment in the month; ``licensed`` (more than 0) the people they
    are shares of; ``ours`` and ``typical`` name the two bars. Shares and counts are written
    for ``lang``; the typical bar has no count ("–").
    """
    counts = {
        "productive": segments["productive"], "sporadic": segments["sporadic"],
        "barely_never": segments["barely"] + segments["never"], "new": segments["new"],
    }
    rows = [
        {"group": ours, "segment": s, "share": n / licensed,
         "share_text": fmt_percent(n / licensed, lang), "people_text": fmt_int(n, lang)}
        for s, n in counts.items()
    ]
    rows += [
        {"group": typical, "segment": s, "share": v, "share_text": fmt_percent(v, lang),
         "people_text": "–"}
        for s, v in TYPICAL_SPLIT.items()
    ]
    return group_share_chart(pd.DataFrame(rows), text, labels, SPLIT_CODES)


def group_month_heatmap(shares: pd.DataFrame, text: ChartText) -> alt.LayerChart:
    """One segment's share per group (rows) and month (columns), with the share as text.

    ``shares``: group, month, month_label, share, share_text, people_text.
    """
    data = shares[["group", "month", "month_label", "share", "share_text", "people_text"]].copy()
    data["month"] = data["month"].astype(str)
    groups = sorted(data["group"].unique())
    base = alt.Chart(data).encode(
        x=_month_axis(data, text.x),
        y=alt.Y("group:N", title=text.y, sort=groups, axis=alt.Axis(labelLimit=240)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", title=text.legend,
                        scale=alt.Scale(scheme="greens", domain=[0, 1]),
                        legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("group:N", title=text.y),
                 alt.Tooltip("month_label:O", title=text.x),
                 alt.Tooltip("share_text:N", title=text.share),
                 alt.Tooltip("people_text:N", title=text.count)],
    )
    labels = base.mark_text(fontSize=10).encode(
        text="share_text:N",
        color=alt.condition(alt.datum.share > 0.5, alt.value("white"), alt.value("black")),
    )
    return alt.LayerChart(layer=[cells, labels], title=chart_title(text), height=alt.Step(30))


def lifecycle_chart(
    lifecycle: pd.DataFrame, text: ChartText, labels: Mapping[str, str], codes: Sequence[str]
) -> alt.Chart:
    """Bars per month: people gained (new, returning, resurrecting) above zero, dormant below.

    ``lifecycle``: month, month_label, state, people.
    """
    data = _labelled(lifecycle, "state", labels, codes)
    data = data[["month", "month_label", "state", "label", "order", "people"]]
    data["month"] = data["month"].astype(str)
    data["value"] = data["people"].where(data["state"] != "dormant", -data["people"])
    return alt.Chart(data, title=chart_title(text)).mark_bar().encode(
        x=_month_axis(data, text.x),
        y=alt.Y("value:Q", title=text.y, stack="zero", axis=_COUNT_AXIS),
        color=alt.Color("label:N", title=text.legend, sort=[labels[c] for c in codes],
                        scale=_scale(LIFECYCLE_COLORS, labels, codes)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("month_label:O", title=text.x),
                 alt.Tooltip("label:N", title=text.legend),
                 alt.Tooltip("people:Q", title=text.count)],
    ).properties(height=_HEIGHT)


def movement_chart(
    matrix: pd.DataFrame, text: ChartText, labels: Mapping[str, str], codes: Sequence[str],
) -> alt.LayerChart:
    """Movement matrix: rows last month's segment, columns this month's, cells people.

    ``matrix``: from_segment, to_segment, people: a count, or the audience's marker (e.g.
    ``<5``) where the view hid a cell of a few people; a marked cell reads as the marker and is
    not coloured by a size.
    """
    data = matrix[matrix["from_segment"].isin(codes) & matrix["to_segment"].isin(codes)].copy()
    data["from_label"] = data["from_segment"].map(labels)
    data["to_label"] = data["to_segment"].map(labels)
    data["same"] = data["from_segment"] == data["to_segment"]
    marked = data["people"].map(lambda n: isinstance(n, str)).astype(bool)
    data["shown"] = [n if isinstance(n, str) else str(int(n)) for n in data["people"]]
    data["people"] = pd.to_numeric(data["people"].where(~marked), errors="coerce")
    if not marked.any():
        data["people"] = data["people"].astype("int64")
    data = data[["from_label", "to_label", "people", "shown", "same"]]
    order = [labels[c] for c in codes]
    base = alt.Chart(data).encode(
        x=alt.X("to_label:N", title=text.x, sort=order, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("from_label:N", title=text.y, sort=order),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("people:Q", title=text.legend,
                        scale=alt.Scale(range=[NEUTRAL_COLORS["light"],
                                               NEUTRAL_COLORS["lavender"]]),
                        legend=alt.Legend(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("from_label:N", title=text.y),
                 alt.Tooltip("to_label:N", title=text.x),
                 alt.Tooltip("shown:N", title=text.count)],
    )
    moved = base.transform_filter(~alt.datum.same).mark_text(fontSize=13).encode(
        text="shown:N")
    stayed = base.transform_filter(alt.datum.same).mark_text(fontSize=13, fontWeight="bold"
                                                             ).encode(text="shown:N")
    return alt.LayerChart(layer=[cells, moved, stayed], title=chart_title(text),
                          height=alt.Step(38))


def line_chart(
    frame: pd.DataFrame, value: str, text: ChartText, *, percent: bool = False,
    color: str = SERIES_COLOR,
) -> alt.Chart:
    """One figure per month as a line with points (breadth, stickiness).

    ``frame``: month, month_label, ``value``, value_text.
    """
    data = frame[["month", "month_label", value, "value_text"]].copy()
    data["month"] = data["month"].astype(str)
    axis = alt.Axis(format="%") if percent else alt.Axis()
    return alt.Chart(data, title=chart_title(text)).mark_line(point=True, color=color).encode(
        x=_month_axis(data, text.x),
        y=alt.Y(f"{value}:Q", title=text.y, axis=axis, scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("month_label:O", title=text.x),
                 alt.Tooltip("value_text:N", title=text.y)],
    ).properties(height=_HEIGHT)


def bar_chart(frame: pd.DataFrame, category: str, text: ChartText) -> alt.Chart:
    """Vertical bars of people per category, in the frame's order (breadth distribution).

    ``frame``: ``category``, people.
    """
    data = frame[[category, "people"]].copy()
    return alt.Chart(data, title=chart_title(text)).mark_bar(color=SERIES_COLOR).encode(
        x=alt.X(f"{category}:O", title=text.x, sort=list(data[category]),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("people:Q", title=text.y, axis=_COUNT_AXIS),
        tooltip=[alt.Tooltip(f"{category}:O", title=text.x),
                 alt.Tooltip("people:Q", title=text.y)],
    ).properties(height=_HEIGHT)
