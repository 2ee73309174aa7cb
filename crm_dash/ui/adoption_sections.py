"""The sections of the Adoption page: each draws its part of an
:class:`crm_dash.views.adoption.AdoptionView`.

What an executive may see was decided by the view (:mod:`crm_dash.views.adoption`): the
sections word, format and draw what they get, and name the minimum group in their notes.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from crm_dash.audience import Audience
from crm_dash.charts import ChartText
from crm_dash.charts.adoption import (
    bar_chart,
    group_month_heatmap,
    group_share_chart,
    lifecycle_chart,
    line_chart,
    movement_chart,
    segment_share_chart,
)
from crm_dash.i18n import (
    Language,
    fmt_decimal,
    fmt_int,
    fmt_percent,
    month_label,
    month_long,
    share_text,
    t,
    with_month_labels,
)
from crm_dash.i18n.labels import segment_help, segment_labels
from crm_dash.metrics import adoption
from crm_dash.metrics.definitions import SEGMENTS, VersionedDefinition
from crm_dash.metrics.gaps import FieldGap, gap_text
from crm_dash.months import add_months
from crm_dash.ui.chart_table import chart_with_table, wide
from crm_dash.ui.downloads import table_downloads
from crm_dash.ui.unknown import explain, no_writes_reason, tile, unknown_value
from crm_dash.views.adoption import (
    MOVEMENT_CODES,
    Breadth,
    Departments,
    Headline,
    Lifecycle,
    Movement,
    NoDepartments,
)


def _text(lang: Language, key: str, x: str, y: str, legend: str = "", **values: object
          ) -> ChartText:
    return ChartText(
        title=t(f"adoption.chart.{key}", lang, **values), x=x, y=y, legend=legend,
        count=t("adoption.axis.people", lang), share=t("adoption.axis.share", lang),
    )


def _count_text(people: int | str, lang: Language) -> str:
    """A count in the UI's numbers; the hidden marker (a string) as it is."""
    return people if isinstance(people, str) else fmt_int(people, lang)


def suppressed(lang: Language, audience: Audience) -> None:
    """In place of the figures: the selection is too small to show."""
    st.info(t("adoption.suppressed", lang, **audience.words))


def headline(view: Headline, month: date, versioned: VersionedDefinition,
             lang: Language) -> None:
    """Licensed people, productive share, active users and stickiness of ``month``; where the
    log records no writes, the productive share is unknown, and why."""
    summary = view.summary
    cols = st.columns(4)
    cols[0].metric(t("overview.adoption.licensed", lang), fmt_int(summary.licensed, lang),
                   help=t("overview.adoption.licensed_help", lang), border=True)
    tile(cols[1], t("adoption.metric.productive_share", lang),
         share_text(summary.share("productive"), lang), unknown=view.productive_unknown,
         lang=lang, help=segment_help("productive", versioned, lang), border=True)
    cols[2].metric(t("adoption.metric.active_users", lang), fmt_int(summary.active_users, lang),
                   help=t("adoption.help.active_users", lang), border=True)
    cols[3].metric(t("adoption.metric.stickiness", lang),
                   fmt_percent(summary.stickiness, lang, 1),
                   help=t("adoption.help.stickiness", lang), border=True)
    st.caption(t("adoption.headline_caption", lang, month=month_long(month, lang),
                 excluded=fmt_int(summary.excluded_integration, lang)))
    if view.no_write_months:
        explain([no_writes_reason(view.no_write_months, versioned.definition, lang)], lang)


def hidden_months_note(hidden: tuple[date, ...], lang: Language, audience: Audience) -> None:
    """Under the headline: months were left out (the selection, or its rest, was small)."""
    if hidden:
        st.caption(t("adoption.small_months_hidden", lang, **audience.words))


def segments_over_time(segments: pd.DataFrame, lang: Language) -> None:
    """Segment shares per month (productive and sporadic left out where unknown)."""
    st.subheader(t("adoption.section.segments", lang), help=t("adoption.help.segments", lang))
    shares = with_month_labels(segments, lang)
    shares["share_text"] = shares["share"].map(lambda v: share_text(v, lang))
    text = _text(lang, "segments", t("adoption.axis.month", lang),
                 t("adoption.axis.share_short", lang), t("adoption.axis.segment", lang))
    labels = segment_labels(lang)
    # The chart's text alternative: the same shares, month by month, named in words.
    table = wide(shares.sort_values("month"), "month_label", "segment", "share_text",
                 list(SEGMENTS))
    chart_with_table(segment_share_chart(shares, text, labels, SEGMENTS),
                     table.rename(columns={"month_label": t("adoption.axis.month", lang),
                                           **labels}), lang)


def by_department(view: Departments | NoDepartments, lang: Language, audience: Audience
                  ) -> None:
    """Segments per department in the month and the productive share per department and
    month; without departments in the roster, why not (the column unmapped, or not in the
    export)."""
    st.subheader(t("adoption.section.departments", lang),
                 help=t("adoption.help.departments", lang))
    if isinstance(view, NoDepartments):
        st.info(f"{unknown_value(lang)}: {gap_text(view.gap, lang)}" if view.gap is not None
                else t("adoption.no_departments", lang))
        return
    latest = view.latest.frame
    latest = latest.assign(
        share_text=latest["share"].map(lambda v: share_text(v, lang)),
        people_text=latest["people"].map(lambda v: fmt_int(v, lang)),
    )
    text = _text(lang, "departments", t("adoption.axis.share", lang),
                 t("adoption.axis.department", lang), t("adoption.axis.segment", lang),
                 month=month_label(view.month, lang))
    if not latest.empty:
        st.altair_chart(group_share_chart(latest, text, segment_labels(lang), SEGMENTS),
                        width="stretch")
    if not view.productive.empty:
        productive = with_month_labels(view.productive.frame, lang)
        productive["share_text"] = productive["share"].map(lambda v: share_text(v, lang))
        productive["people_text"] = [
            f"{fmt_int(n, lang)} / {fmt_int(total, lang)}"
            for n, total in zip(productive["people"], productive["licensed"], strict=True)
        ]
        text = _text(lang, "productive_heatmap", t("adoption.axis.month", lang),
                     t("adoption.axis.department", lang), t("adoption.segment.productive", lang))
        chart_with_table(group_month_heatmap(productive, text),
                         wide(productive, "month_label", "group", "share_text")
                         .rename(columns={"month_label": text.x}), lang)
    _department_table(view, lang, audience)


def _department_table(view: Departments, lang: Language, audience: Audience) -> None:
    """Segments per department in one month; in a month whose log records no write,
    productive and sporadic read "–", not 0; hidden departments read as the marker."""
    table = view.table.frame
    share = table["productive_share"]
    numeric = pd.to_numeric(share, errors="coerce")
    shown = table.assign(productive_share=[
        v if isinstance(v, str) else share_text(v, lang) for v in share])
    # Typed for the downloads: the share in percent.
    export = table.assign(productive_share=(numeric * 100).round(1).where(numeric.notna(),
                                                                           share))
    labels = segment_labels(lang)
    headings = {
        "department": t("adoption.axis.department", lang),
        "licensed": t("overview.adoption.licensed", lang),
        "productive_share": t("adoption.metric.productive_share", lang),
        **{s: labels[s] for s in SEGMENTS},
    }
    shown = shown.rename(columns=headings).map(
        lambda v: fmt_int(int(v), lang) if isinstance(v, int | np.integer)
        else "–" if v is None else v)
    st.dataframe(shown.astype(str), hide_index=True, width="stretch")
    table_downloads(
        export.rename(columns={**headings, "productive_share":
                               headings["productive_share"] + " (%)"}),
        f"crm-dash-adoption-departments-{view.month:%Y-%m}" if not table.empty
        else "crm-dash-adoption-departments", lang, key="adoption_departments")
    if view.note:
        st.caption(t("adoption.suppressed_note", lang, **audience.words))


def lifecycle(view: Lifecycle, lang: Language, audience: Audience) -> None:
    """New, returning, resurrecting and dormant people per month (for executives without the
    bars of a few people)."""
    st.subheader(t("adoption.section.lifecycle", lang), help=t("adoption.help.lifecycle", lang))
    data = with_month_labels(view.counts.frame, lang)
    labels = {s: t(f"adoption.lifecycle.{s}", lang) for s in adoption.LIFECYCLE}
    text = _text(lang, "lifecycle", t("adoption.axis.month", lang),
                 t("adoption.axis.people", lang), t("adoption.axis.state", lang))
    table = data.assign(people=data["people"].map(lambda n: fmt_int(n, lang)))
    chart_with_table(lifecycle_chart(data, text, labels, adoption.LIFECYCLE),
                     wide(table, "month_label", "state", "people", list(adoption.LIFECYCLE))
                     .rename(columns={"month_label": t("adoption.axis.month", lang), **labels}),
                     lang)
    if view.some_hidden:
        st.caption(t("adoption.lifecycle_small_hidden", lang, **audience.words))


def movement(view: Movement, lang: Language) -> None:
    """Who moved between segments from the previous month to the view's month; cells and
    counts of a few people read as the marker (e.g. ``<5``)."""
    month = view.month
    previous = add_months(month, -1)
    st.subheader(t("adoption.section.movement", lang), help=t("adoption.help.movement", lang))
    codes = list(MOVEMENT_CODES)
    text = _text(lang, "movement", t("adoption.axis.to", lang, month=month_label(month, lang)),
                 t("adoption.axis.from", lang, month=month_label(previous, lang)),
                 t("adoption.axis.people", lang), previous=month_label(previous, lang),
                 month=month_label(month, lang))
    names = segment_labels(lang)
    cells = view.cells.frame
    table = wide(cells.assign(people=[_count_text(n, lang) for n in cells["people"]]),
                 "from_segment", "to_segment", "people", codes)
    table["from_segment"] = table["from_segment"].map(names)
    chart_with_table(movement_chart(cells, text, names, codes),
                     table.rename(columns={"from_segment": text.y, **names}), lang)
    st.caption(t("adoption.movement_caption", lang, up=_count_text(view.up, lang),
                 down=_count_text(view.down, lang)))


def breadth_and_stickiness(breadth: Breadth | FieldGap, stickiness: pd.DataFrame, month: date,
                           lang: Language) -> None:
    """CRM areas per active person, and daily active / monthly active users. Without an area
    column in the usage data, breadth is not in the data: the page says why instead of drawing
    everyone at 0 areas."""
    left, right = st.columns(2)
    with left:
        st.subheader(t("adoption.section.breadth", lang), help=t("adoption.help.breadth", lang))
        if isinstance(breadth, FieldGap):
            st.info(f"{unknown_value(lang)}: {gap_text(breadth, lang)}")
        else:
            _breadth(breadth, month, lang)
    with right:
        st.subheader(t("adoption.section.stickiness", lang),
                     help=t("adoption.help.stickiness", lang))
        sticky = with_month_labels(stickiness, lang)
        sticky["value_text"] = [
            t("adoption.stickiness_tooltip", lang, share=fmt_percent(s, lang, 1),
              dau=fmt_decimal(d, lang, 1), mau=fmt_int(m, lang))
            if pd.notna(s) else "–"
            for s, d, m in zip(sticky["stickiness"], sticky["dau"], sticky["mau"], strict=True)
        ]
        text = _text(lang, "stickiness", t("adoption.axis.month", lang),
                     t("adoption.metric.stickiness", lang))
        chart_with_table(line_chart(sticky, "stickiness", text, percent=True),
                         sticky[["month_label", "value_text"]].rename(columns={
                             "month_label": text.x, "value_text": text.y}), lang)
        st.caption(t("adoption.stickiness_note", lang))


def _breadth(view: Breadth, month: date, lang: Language) -> None:
    """The average breadth per month and the people per number of areas in ``month``."""
    breadth = with_month_labels(view.by_month, lang)
    breadth["value_text"] = breadth["avg_breadth"].map(lambda v: fmt_decimal(v, lang, 1)
                                                       if pd.notna(v) else "–")
    text = _text(lang, "breadth", t("adoption.axis.month", lang),
                 t("adoption.axis.avg_breadth", lang))
    chart_with_table(line_chart(breadth, "avg_breadth", text),
                     breadth[["month_label", "value_text"]].rename(columns={
                         "month_label": text.x, "value_text": text.y}), lang)
    distribution = view.distribution
    text = _text(lang, "breadth_distribution", t("adoption.axis.areas", lang),
                 t("adoption.axis.people", lang), month=month_label(month, lang))
    chart_with_table(bar_chart(distribution, "areas", text),
                     distribution.assign(people=distribution["people"].map(
                         lambda n: fmt_int(n, lang))).rename(columns={
                         "areas": text.x, "people": text.y}), lang)
