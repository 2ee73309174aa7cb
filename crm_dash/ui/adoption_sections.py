"""The sections of the Adoption page: each takes the filtered person-months and renders.

Executives see aggregates only (:class:`crm_dash.audience.Audience` decides): no section here
shows a name, departments too small to show read e.g. ``<5``, month-over-month counts of a few
people are left out, and the page leaves out the months in which the selection, or everyone
outside it, was too small (:func:`hide_small_months`).
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from crm_dash import charts
from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.i18n import Language, fmt_decimal, fmt_int, fmt_percent, t
from crm_dash.metrics import adoption
from crm_dash.metrics.definitions import SEGMENTS, VersionedDefinition
from crm_dash.metrics.gaps import FieldGap, field_gap, gap_text
from crm_dash.months import add_months
from crm_dash.ui.chart_table import chart_with_table, wide
from crm_dash.ui.downloads import table_downloads
from crm_dash.ui.format import (
    month_label,
    month_long,
    segment_help,
    segment_labels,
    share_text,
    with_month_labels,
)
from crm_dash.ui.unknown import explain, no_writes_reason, tile, unknown_value


def hide_small_months(frame: pd.DataFrame, parent: pd.DataFrame, audience: Audience
                      ) -> tuple[pd.DataFrame, list[date]]:
    """``frame`` (a selection of ``parent``'s person-months) without the months the audience
    may not see, and those months (oldest first).

    For executives, who see aggregates only: a scope that is large in the last month may have
    been a handful of people earlier, and every month-by-month chart would show that handful;
    and in a month where everyone *outside* the scope was a handful, "everyone" minus the scope
    would describe them.
    """
    def per_month(people: pd.DataFrame) -> pd.Series:
        return adoption.licensed(people, ["month"])["month"].value_counts()

    months = sorted(frame["month"].unique())
    # A month without licensed people in the parent counts 0 there (and is hidden).
    parent_counts = per_month(parent[parent["month"].isin(months)]).reindex(months, fill_value=0)
    small = audience.hidden_months(per_month(frame), parent_counts)
    return frame[~frame["month"].isin(small)], small


def _text(lang: Language, key: str, x: str, y: str, legend: str = "", **values: object
          ) -> charts.ChartText:
    return charts.ChartText(
        title=t(f"adoption.chart.{key}", lang, **values), x=x, y=y, legend=legend,
        count=t("adoption.axis.people", lang), share=t("adoption.axis.share", lang),
    )


def headline(frame: pd.DataFrame, month: date, versioned: VersionedDefinition,
             lang: Language, no_write_months: frozenset[date] = frozenset()
             ) -> adoption.MonthSummary:
    """Licensed people, productive share, active users and stickiness of ``month``; where the
    log records no writes (``no_write_months``), the productive share is unknown, and why."""
    summary = adoption.month_summary(frame, month)
    cols = st.columns(4)
    cols[0].metric(t("overview.adoption.licensed", lang), fmt_int(summary.licensed, lang),
                   help=t("overview.adoption.licensed_help", lang), border=True)
    tile(cols[1], t("adoption.metric.productive_share", lang),
         share_text(summary.share("productive"), lang), unknown=month in no_write_months,
         lang=lang, help=segment_help("productive", versioned, lang), border=True)
    cols[2].metric(t("adoption.metric.active_users", lang), fmt_int(summary.active_users, lang),
                   help=t("adoption.help.active_users", lang), border=True)
    cols[3].metric(t("adoption.metric.stickiness", lang),
                   fmt_percent(summary.stickiness, lang, 1),
                   help=t("adoption.help.stickiness", lang), border=True)
    st.caption(t("adoption.headline_caption", lang, month=month_long(month, lang),
                 excluded=fmt_int(summary.excluded_integration, lang)))
    shown = sorted(m for m in no_write_months if m <= month)
    if shown:
        explain([no_writes_reason(shown, versioned.definition, lang)], lang)
    return summary


def segments_over_time(frame: pd.DataFrame, lang: Language,
                       no_write_months: frozenset[date] = frozenset()) -> None:
    """Segment shares per month (productive and sporadic left out where unknown)."""
    st.subheader(t("adoption.section.segments", lang), help=t("adoption.help.segments", lang))
    shares = with_month_labels(adoption.segment_shares(frame, unknown_months=no_write_months),
                               lang)
    shares["share_text"] = shares["share"].map(lambda v: share_text(v, lang))
    text = _text(lang, "segments", t("adoption.axis.month", lang),
                 t("adoption.axis.share_short", lang), t("adoption.axis.segment", lang))
    labels = segment_labels(lang)
    # The chart's text alternative: the same shares, month by month, named in words.
    table = wide(shares.sort_values("month"), "month_label", "segment", "share_text",
                 list(SEGMENTS))
    chart_with_table(charts.segment_share_chart(shares, text, labels, SEGMENTS),
                     table.rename(columns={"month_label": t("adoption.axis.month", lang),
                                           **labels}), lang)


def by_department(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, month: date,
                  lang: Language, audience: Audience, *,
                  no_write_months: frozenset[date] = frozenset()) -> None:
    """Segments per department in ``month`` and the productive share per department and month;
    without departments in the roster, why not (the column unmapped, or not in the export)."""
    st.subheader(t("adoption.section.departments", lang),
                 help=t("adoption.help.departments", lang))
    shares = adoption.segment_shares(frame, by="department", unknown_months=no_write_months)
    if shares.empty:
        gap = field_gap(conn, DatasetKind.USERS, "department")
        st.info(f"{unknown_value(lang)}: {gap_text(gap, lang)}" if gap is not None
                else t("adoption.no_departments", lang))
        return
    # For executives, a department's month with too few licensed people is left out.
    shown = audience.keep(shares, "licensed", group="department", within="month")
    latest = shown[shown["month"] == month].rename(columns={"department": "group"})
    latest = latest.assign(
        share_text=latest["share"].map(lambda v: share_text(v, lang)),
        people_text=latest["people"].map(lambda v: fmt_int(v, lang)),
    )
    text = _text(lang, "departments", t("adoption.axis.share", lang),
                 t("adoption.axis.department", lang), t("adoption.axis.segment", lang),
                 month=month_label(month, lang))
    if not latest.empty:
        st.altair_chart(charts.group_share_chart(latest, text, segment_labels(lang), SEGMENTS),
                        width="stretch")
    productive = shown[(shown["segment"] == "productive") & shown["share"].notna()].rename(
        columns={"department": "group"})  # months whose productive count is unknown left out
    if not productive.empty:
        productive = with_month_labels(productive, lang)
        productive["share_text"] = productive["share"].map(lambda v: share_text(v, lang))
        productive["people_text"] = [
            f"{fmt_int(n, lang)} / {fmt_int(total, lang)}"
            for n, total in zip(productive["people"], productive["licensed"], strict=True)
        ]
        text = _text(lang, "productive_heatmap", t("adoption.axis.month", lang),
                     t("adoption.axis.department", lang), t("adoption.segment.productive", lang))
        chart_with_table(charts.group_month_heatmap(productive, text),
                         wide(productive, "month_label", "group", "share_text")
                         .rename(columns={"month_label": text.x}), lang)
    _department_table(shares[shares["month"] == month], lang, audience,
                      unknown=month in no_write_months)


def _department_table(shares: pd.DataFrame, lang: Language, audience: Audience, *,
                      unknown: bool = False) -> None:
    """Segments per department in one month; with ``unknown`` (a month whose log records no
    write) productive and sporadic read "–", not 0."""
    wide = shares.pivot_table(index=["department", "licensed"], columns="segment",
                              values="people", fill_value=0).reset_index()
    wide = wide.reindex(columns=["department", "licensed", *SEGMENTS], fill_value=0)
    wide = wide.astype({s: "int64" for s in SEGMENTS})
    share = wide["productive"] / wide["licensed"]
    wide["productive_share"] = share.map(lambda v: share_text(v, lang))
    export = wide.assign(productive_share=(share * 100).round(1))  # typed, for the downloads
    if unknown:
        wide = wide.astype({s: object for s in adoption.WRITE_SEGMENTS})
        wide[[*adoption.WRITE_SEGMENTS, "productive_share"]] = "–"
        export = export.astype({s: object for s in [*adoption.WRITE_SEGMENTS,
                                                    "productive_share"]})
        export[[*adoption.WRITE_SEGMENTS, "productive_share"]] = None
    wide = audience.suppress(wide, "licensed", [*SEGMENTS, "productive_share"])
    export = audience.suppress(export, "licensed", [*SEGMENTS, "productive_share"])
    labels = segment_labels(lang)
    headings = {
        "department": t("adoption.axis.department", lang),
        "licensed": t("overview.adoption.licensed", lang),
        "productive_share": t("adoption.metric.productive_share", lang),
        **{s: labels[s] for s in SEGMENTS},
    }
    wide = wide.rename(columns=headings)
    wide = wide.map(lambda v: fmt_int(int(v), lang) if isinstance(v, int | np.integer) else v)
    st.dataframe(wide.astype(str), hide_index=True, width="stretch")
    month = shares["month"].iloc[0] if not shares.empty else None
    table_downloads(
        export.rename(columns={**headings, "productive_share":
                               headings["productive_share"] + " (%)"}),
        f"crm-dash-adoption-departments-{month:%Y-%m}" if month is not None
        else "crm-dash-adoption-departments", lang, key="adoption_departments")
    if audience.aggregates_only:
        st.caption(t("adoption.suppressed_note", lang, **audience.words))


def lifecycle(frame: pd.DataFrame, lang: Language, audience: Audience) -> None:
    """New, returning, resurrecting and dormant people per month; for executives without the
    bars of a few people (who joined or left is a month-over-month change of individuals)."""
    st.subheader(t("adoption.section.lifecycle", lang), help=t("adoption.help.lifecycle", lang))
    counts = adoption.lifecycle_by_month(frame)
    small = counts["people"].map(audience.too_small).astype(bool)
    data = with_month_labels(counts[~small], lang)
    labels = {s: t(f"adoption.lifecycle.{s}", lang) for s in adoption.LIFECYCLE}
    text = _text(lang, "lifecycle", t("adoption.axis.month", lang),
                 t("adoption.axis.people", lang), t("adoption.axis.state", lang))
    table = data.assign(people=data["people"].map(lambda n: fmt_int(n, lang)))
    chart_with_table(charts.lifecycle_chart(data, text, labels, adoption.LIFECYCLE),
                     wide(table, "month_label", "state", "people", list(adoption.LIFECYCLE))
                     .rename(columns={"month_label": t("adoption.axis.month", lang), **labels}),
                     lang)
    if small.any():
        st.caption(t("adoption.lifecycle_small_hidden", lang, **audience.words))


def movement(frame: pd.DataFrame, month: date, lang: Language, audience: Audience) -> None:
    """Who moved between segments from the previous month to ``month``.

    For executives, cells of too few people read e.g. ``<5``, and so do the counts of who
    moved up and who slipped (their sum would give the hidden cells away).
    """
    previous = add_months(month, -1)
    st.subheader(t("adoption.section.movement", lang), help=t("adoption.help.movement", lang))
    matrix = adoption.movement_matrix(frame, month)
    codes = [*SEGMENTS, adoption.NOT_LICENSED]
    text = _text(lang, "movement", t("adoption.axis.to", lang, month=month_label(month, lang)),
                 t("adoption.axis.from", lang, month=month_label(previous, lang)),
                 t("adoption.axis.people", lang), previous=month_label(previous, lang),
                 month=month_label(month, lang))
    names = segment_labels(lang)
    cells = matrix[matrix["from_segment"].isin(codes) & matrix["to_segment"].isin(codes)]
    cells = cells.assign(people=[audience.count(int(n), fmt_int(int(n), lang))
                                 for n in cells["people"]])
    table = wide(cells, "from_segment", "to_segment", "people", codes)
    table["from_segment"] = table["from_segment"].map(names)
    chart_with_table(
        charts.movement_chart(matrix, text, names, codes, audience=audience),
        table.rename(columns={"from_segment": text.y, **names}), lang)
    rank = {s: i for i, s in enumerate(SEGMENTS[:4])}
    ranked = matrix[matrix["from_segment"].isin(rank) & matrix["to_segment"].isin(rank)]
    up = ranked[ranked["to_segment"].map(rank) < ranked["from_segment"].map(rank)]["people"].sum()
    down = ranked[ranked["to_segment"].map(rank) > ranked["from_segment"].map(rank)][
        "people"].sum()
    st.caption(t("adoption.movement_caption", lang,
                 up=audience.count(int(up), fmt_int(int(up), lang)),
                 down=audience.count(int(down), fmt_int(int(down), lang))))


def breadth_and_stickiness(frame: pd.DataFrame, month: date, lang: Language,
                           breadth_gap: FieldGap | None = None) -> None:
    """CRM areas per active person, and daily active / monthly active users. Without an area
    column in the usage data (``breadth_gap``), breadth is not in the data: the page says why
    instead of drawing everyone at 0 areas."""
    left, right = st.columns(2)
    with left:
        st.subheader(t("adoption.section.breadth", lang), help=t("adoption.help.breadth", lang))
        if breadth_gap is not None:
            st.info(f"{unknown_value(lang)}: {gap_text(breadth_gap, lang)}")
        else:
            _breadth(frame, month, lang)
    with right:
        st.subheader(t("adoption.section.stickiness", lang),
                     help=t("adoption.help.stickiness", lang))
        sticky = with_month_labels(adoption.stickiness_by_month(frame), lang)
        sticky["value_text"] = [
            t("adoption.stickiness_tooltip", lang, share=fmt_percent(s, lang, 1),
              dau=fmt_decimal(d, lang, 1), mau=fmt_int(m, lang))
            if pd.notna(s) else "–"
            for s, d, m in zip(sticky["stickiness"], sticky["dau"], sticky["mau"], strict=True)
        ]
        text = _text(lang, "stickiness", t("adoption.axis.month", lang),
                     t("adoption.metric.stickiness", lang))
        chart_with_table(charts.line_chart(sticky, "stickiness", text, percent=True),
                         sticky[["month_label", "value_text"]].rename(columns={
                             "month_label": text.x, "value_text": text.y}), lang)
        st.caption(t("adoption.stickiness_note", lang))


def _breadth(frame: pd.DataFrame, month: date, lang: Language) -> None:
    """The average breadth per month and the people per number of areas in ``month``."""
    breadth = with_month_labels(adoption.breadth_by_month(frame), lang)
    breadth["value_text"] = breadth["avg_breadth"].map(lambda v: fmt_decimal(v, lang, 1)
                                                       if pd.notna(v) else "–")
    text = _text(lang, "breadth", t("adoption.axis.month", lang),
                 t("adoption.axis.avg_breadth", lang))
    chart_with_table(charts.line_chart(breadth, "avg_breadth", text),
                     breadth[["month_label", "value_text"]].rename(columns={
                         "month_label": text.x, "value_text": text.y}), lang)
    distribution = adoption.breadth_distribution(frame, month)
    text = _text(lang, "breadth_distribution", t("adoption.axis.areas", lang),
                 t("adoption.axis.people", lang), month=month_label(month, lang))
    chart_with_table(charts.bar_chart(distribution, "areas", text),
                     distribution.assign(people=distribution["people"].map(
                         lambda n: fmt_int(n, lang))).rename(columns={
                         "areas": text.x, "people": text.y}), lang)
