"""The Overview's adoption headline: the latest complete month at a glance, for every role.

Draws :class:`crm_dash.views.overview.AdoptionHeadline`; what a reader may see of it (a few
people's change, a scope too small) was decided there.
"""

from __future__ import annotations

import altair as alt
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from crm_dash.charts import ChartText
from crm_dash.charts.adoption import typical_split_chart
from crm_dash.i18n import (
    Language,
    count_delta,
    fmt_int,
    fmt_money,
    month_long,
    share_delta,
    share_text,
    t,
)
from crm_dash.i18n.labels import segment_help, segment_labels
from crm_dash.metrics.adoption import MonthSummary
from crm_dash.metrics.definitions import VersionedDefinition
from crm_dash.metrics.gaps import gap_text
from crm_dash.ui.format import definition_caption
from crm_dash.ui.page import PageContext
from crm_dash.ui.unknown import explain, no_writes_reason, tile
from crm_dash.views.overview import AdoptionHeadline, HeadlineFigures, SegmentTile

# Rising shares of these segments are bad news: their deltas are shown in red.
_BAD_WHEN_RISING = {"barely", "never"}


def _segment_metric(column: DeltaGenerator, item: SegmentTile,
                    definition: VersionedDefinition, lang: Language) -> None:
    segment = item.segment
    if item.count is None:
        tile(column, t(f"adoption.segment.{segment}", lang), "", unknown=True, lang=lang,
             help=segment_help(segment, definition, lang), border=True)
        return
    delta: str | None = None
    unchanged = False
    if item.before is not None:
        points = share_delta(item.share, item.before_share, lang)
        delta = f"{count_delta(item.count, item.before, lang)} ({points})"
        unchanged = item.count == item.before
    column.metric(
        t(f"adoption.segment.{segment}", lang),
        f"{fmt_int(item.count, lang)} · {share_text(item.share, lang)}",
        delta=delta,
        delta_color="off" if unchanged or segment == "new"
        else "inverse" if segment in _BAD_WHEN_RISING else "normal",
        delta_arrow="off" if unchanged else "auto",
        help=segment_help(segment, definition, lang),
        border=True,
    )


def _split_chart(now: MonthSummary, lang: Language) -> alt.LayerChart:
    text = ChartText(
        title=t("overview.adoption.split_title", lang), x=t("adoption.axis.share", lang),
        y=t("overview.adoption.split_axis", lang), legend=t("adoption.axis.segment", lang),
        count=t("adoption.axis.people", lang), share=t("adoption.axis.share", lang),
    )
    return typical_split_chart(
        now.segments, now.licensed, text, segment_labels(lang), lang=lang,
        ours=t("overview.adoption.ours", lang, month=month_long(now.month, lang)),
        typical=t("overview.adoption.typical", lang))


def _idle_cost(figures: HeadlineFigures, lang: Language) -> None:
    now = figures.now
    if now.cost_barely_never is None:
        tile(st.container(), t("overview.adoption.cost", lang), "", unknown=True, lang=lang,
             help=t("overview.adoption.cost_help", lang), border=True)
        st.caption(gap_text(figures.cost_gap, lang) if figures.cost_gap is not None
                   else t("overview.adoption.cost_unknown", lang))
    else:
        idle = now.segments["barely"] + now.segments["never"]
        st.metric(t("overview.adoption.cost", lang), fmt_money(now.cost_barely_never, lang),
                  help=t("overview.adoption.cost_help", lang), border=True)
        st.caption(t("overview.adoption.cost_note", lang, n=fmt_int(idle, lang),
                     known=fmt_int(now.cost_known_for, lang),
                     licensed=fmt_int(now.licensed, lang)))
    st.caption(t("overview.adoption.more", lang))


def adoption_headline(ctx: PageContext, headline: AdoptionHeadline | None) -> None:
    """Licensed people and each segment in the latest complete month, with the change."""
    lang = ctx.lang
    if headline is None:
        st.info(t("overview.adoption.no_usage", lang))
        return
    month, definition = headline.month, headline.definition
    st.subheader(t("overview.adoption.title", lang, month=month_long(month, lang)),
                 help=t("overview.adoption.month_help", lang))
    definition_caption(definition, lang)
    figures = headline.figures
    if figures is None:
        st.info(t("adoption.suppressed", lang, **ctx.audience.words))
        return
    now = figures.now
    cols = [*st.columns(3), *st.columns(3)]  # two rows: wide enough for "182 · 31 %"
    cols[0].metric(
        t("overview.adoption.licensed", lang), fmt_int(now.licensed, lang),
        delta=count_delta(now.licensed, figures.licensed_before, lang),
        delta_color="off", help=t("overview.adoption.licensed_help", lang), border=True,
    )
    for column, item in zip(cols[1:], figures.tiles, strict=True):
        _segment_metric(column, item, definition, lang)
    if headline.previous is not None:
        st.caption(t("overview.adoption.delta_note", lang,
                     month=month_long(headline.previous, lang)))
    reasons = [no_writes_reason([month], definition.definition, lang)] \
        if figures.no_writes else []
    if figures.start_gap is not None:  # new means "started within the grace period"
        reasons.append(gap_text(figures.start_gap, lang))
    explain(reasons, lang)
    chart_col, cost_col = st.columns([3, 2])
    with chart_col:
        if figures.no_writes:  # no split without productive and sporadic
            st.caption(t("gap.no_split", lang))
        else:
            st.altair_chart(_split_chart(now, lang), width="stretch")
            st.caption(t("overview.adoption.typical_note", lang))
    with cost_col:
        _idle_cost(figures, lang)
