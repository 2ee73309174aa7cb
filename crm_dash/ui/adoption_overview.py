"""The Overview's adoption headline: the latest complete month at a glance, for every role."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from crm_dash import charts
from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.i18n import Language, fmt_int, fmt_money, t
from crm_dash.metrics.adoption import WRITE_SEGMENTS, MonthSummary, month_summary
from crm_dash.metrics.definitions import SEGMENTS
from crm_dash.metrics.gaps import field_gap, gap_text
from crm_dash.months import add_months
from crm_dash.ui.adoption_data import AdoptionData
from crm_dash.ui.format import (
    count_delta,
    definition_caption,
    month_long,
    segment_help,
    segment_labels,
    share_delta,
    share_text,
)
from crm_dash.ui.page import PageContext
from crm_dash.ui.unknown import explain, no_writes_reason, tile

# Rising shares of these segments are bad news: their deltas are shown in red.
_BAD_WHEN_RISING = {"barely", "never"}


def _segment_metric(column: DeltaGenerator, segment: str, now: MonthSummary,
                    before: MonthSummary | None, data: AdoptionData, lang: Language,
                    audience: Audience, *, no_start_dates: bool = False) -> None:
    if (segment in WRITE_SEGMENTS and now.month in data.no_write_months) or (
            segment == "new" and no_start_dates):
        tile(column, t(f"adoption.segment.{segment}", lang), "", unknown=True, lang=lang,
             help=segment_help(segment, data.definition, lang), border=True)
        return
    if before is not None and before.month in data.no_write_months:
        before = None  # no change against an unknown count
    count = now.segments[segment]
    delta: str | None = None
    unchanged = False
    if before is not None and before.licensed and audience.shows_change(
            [abs(count - before.segments[segment])]):  # a change of a few people is left out
        old = before.segments[segment]
        points = share_delta(now.share(segment), before.share(segment), lang)
        delta = f"{count_delta(count, old, lang)} ({points})"
        unchanged = count == old
    column.metric(
        t(f"adoption.segment.{segment}", lang),
        f"{fmt_int(count, lang)} · {share_text(now.share(segment), lang)}",
        delta=delta,
        delta_color="off" if unchanged or segment == "new"
        else "inverse" if segment in _BAD_WHEN_RISING else "normal",
        delta_arrow="off" if unchanged else "auto",
        help=segment_help(segment, data.definition, lang),
        border=True,
    )


def _split_chart(now: MonthSummary, lang: Language) -> alt.LayerChart:
    labels = segment_labels(lang)
    ours = t("overview.adoption.ours", lang, month=month_long(now.month, lang))
    typical = t("overview.adoption.typical", lang)
    counts = {
        "productive": now.segments["productive"], "sporadic": now.segments["sporadic"],
        "barely_never": now.segments["barely"] + now.segments["never"], "new": now.segments["new"],
    }
    rows = [
        {"group": ours, "segment": s, "share": n / now.licensed,
         "share_text": share_text(n / now.licensed, lang), "people_text": fmt_int(n, lang)}
        for s, n in counts.items()
    ]
    rows += [
        {"group": typical, "segment": s, "share": v, "share_text": share_text(v, lang),
         "people_text": "–"}
        for s, v in charts.TYPICAL_SPLIT.items()
    ]
    text = charts.ChartText(
        title=t("overview.adoption.split_title", lang), x=t("adoption.axis.share", lang),
        y=t("overview.adoption.split_axis", lang), legend=t("adoption.axis.segment", lang),
        count=t("adoption.axis.people", lang), share=t("adoption.axis.share", lang),
    )
    codes = ["productive", "sporadic", "barely_never", "new"]
    return charts.group_share_chart(pd.DataFrame(rows), text, labels, codes)


def adoption_headline(ctx: PageContext, data: AdoptionData) -> None:
    """Licensed people and each segment in the latest complete month, with the change."""
    lang = ctx.lang
    if not data.has_data or data.latest_complete is None:
        st.info(t("overview.adoption.no_usage", lang))
        return
    month = data.latest_complete
    now = month_summary(data.frame, month)
    previous = add_months(month, -1)
    has_previous = data.first_month is not None and previous >= data.first_month
    before = month_summary(data.frame, previous) if has_previous else None
    st.subheader(t("overview.adoption.title", lang, month=month_long(month, lang)),
                 help=t("overview.adoption.month_help", lang))
    definition_caption(data.definition, lang)
    audience = ctx.audience
    if audience.scope_too_small(now.licensed):
        st.info(t("adoption.suppressed", lang, **audience.words))
        return
    start_gap = field_gap(ctx.conn, DatasetKind.USERS, "start_date")
    cols = [*st.columns(3), *st.columns(3)]  # two rows: wide enough for "182 · 31 %"
    cols[0].metric(
        t("overview.adoption.licensed", lang), fmt_int(now.licensed, lang),
        delta=count_delta(now.licensed, before.licensed if before and audience.shows_change(
            [abs(now.licensed - before.licensed)]) else None, lang),
        delta_color="off", help=t("overview.adoption.licensed_help", lang), border=True,
    )
    for column, segment in zip(cols[1:], SEGMENTS, strict=True):
        _segment_metric(column, segment, now, before, data, lang, audience,
                        no_start_dates=start_gap is not None)
    if before is not None:
        st.caption(t("overview.adoption.delta_note", lang, month=month_long(previous, lang)))
    reasons = [no_writes_reason([month], data.definition.definition, lang)] \
        if month in data.no_write_months else []
    if start_gap is not None:  # new means "started within the grace period"
        reasons.append(gap_text(start_gap, lang))
    explain(reasons, lang)
    chart_col, cost_col = st.columns([3, 2])
    with chart_col:
        if month in data.no_write_months:  # no split without productive and sporadic
            st.caption(t("gap.no_split", lang))
        else:
            st.altair_chart(_split_chart(now, lang), width="stretch")
            st.caption(t("overview.adoption.typical_note", lang))
    with cost_col:
        if now.cost_barely_never is None:
            tile(st.container(), t("overview.adoption.cost", lang), "", unknown=True, lang=lang,
                 help=t("overview.adoption.cost_help", lang), border=True)
            gap = field_gap(ctx.conn, DatasetKind.USERS, "license_cost_monthly")
            st.caption(gap_text(gap, lang) if gap is not None
                       else t("overview.adoption.cost_unknown", lang))
        else:
            idle = now.segments["barely"] + now.segments["never"]
            st.metric(t("overview.adoption.cost", lang), fmt_money(now.cost_barely_never, lang),
                      help=t("overview.adoption.cost_help", lang), border=True)
            st.caption(t("overview.adoption.cost_note", lang, n=fmt_int(idle, lang),
                         known=fmt_int(now.cost_known_for, lang),
                         licensed=fmt_int(now.licensed, lang)))
        st.caption(t("overview.adoption.more", lang))
