"""The sections of the Pipeline page: each takes the pipeline figures and renders one part.

Named data (the owner table, owners not in the roster, the stage editor) is for leads and admins
only, and goes through :func:`crm_dash.privacy.for_display`. Executives see aggregates: no owner
names, and groups too small to show read e.g. ``<5`` and are left out of the charts
(:class:`crm_dash.audience.Audience` decides).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from crm_dash.audience import Audience
from crm_dash.charts import ChartText
from crm_dash.csv_export import safe_csv_bytes
from crm_dash.datasets import DatasetKind
from crm_dash.i18n import Language, fmt_date, fmt_decimal, fmt_int, fmt_percent, t
from crm_dash.metrics.gaps import field_gaps, gap_text
from crm_dash.metrics.pipeline import PipelineSummary
from crm_dash.metrics.pipeline_groups import (
    NOT_IN_ROSTER,
    SEGMENT_GROUPS,
    by_department,
    by_segment,
    main_currency,
    owner_table,
    segments_in,
    unmatched_owners,
)
from crm_dash.metrics.pipeline_owners import SOURCE_FIELD, PipelineData
from crm_dash.privacy import for_display
from crm_dash.ui.adoption_data import adoption_data
from crm_dash.ui.downloads import table_downloads
from crm_dash.ui.filters import group_select
from crm_dash.ui.format import column_width, fitted_columns, month_label, month_long
from crm_dash.ui.links import page_link
from crm_dash.ui.pipeline_charts import segment_bar_chart
from crm_dash.ui.pipeline_format import (
    currencies_text,
    group_labels,
    money_text,
    pct,
    pct_format,
    reasons_text,
    win_rate_text,
)
from crm_dash.ui.unknown import explain, tile
from crm_dash.views import data
from crm_dash.views.snapshot import snapshot

# ---- data ----------------------------------------------------------------------------------

def load(conn: duckdb.DuckDBPyConnection) -> PipelineData | None:
    """The per-owner figures as of the snapshot's latest change (cached per data version, which
    includes the latest setting version: a new stage mapping computes afresh)."""
    return data.pipeline_figures(snapshot(conn))


def owner_segments(conn: duckdb.DuckDBPyConnection) -> tuple[date | None, pd.DataFrame]:
    """Each person's segment in the latest complete month, from the Adoption page's data."""
    data = adoption_data(conn)
    month = data.latest_complete if data.has_data else None
    return month, segments_in(data.frame, month)


# ---- page parts ----------------------------------------------------------------------------

def no_data(lang: Language, *, lead: bool) -> None:
    """What to upload instead of empty charts."""
    st.info(t("pipeline.no_data.lead" if lead else "pipeline.no_data.executive", lang),
            icon=":material/upload_file:")
    if lead:
        page_link("upload", t("pipeline.upload_link", lang), ":material/upload_file:")


def department_filter(data: PipelineData, lang: Language, audience: Audience
                      ) -> tuple[str, ...] | None:
    """Everyone (``None``), or the departments whose owners to show (kept in the URL like the
    adoption filters). Executives are offered only departments that, like the owners outside
    them, are large enough to show; smaller ones together as "Other"."""
    sizes = data.owners["department"].dropna().astype(str).value_counts()
    options = audience.group_options({str(k): int(v) for k, v in sizes.items()},
                                     len(data.owners))
    if not options:
        return None
    labels = {(t("filters.other", lang) if o.is_other else o.label): o.members for o in
              sorted(options, key=lambda o: (o.is_other, o.label.lower()))}
    picked = group_select(list(labels), "department", t("pipeline.department", lang),
                          t("pipeline.department.all", lang))
    return labels.get(picked) if picked is not None else None


def as_of_caption(summary: PipelineSummary, month: date | None, lang: Language) -> None:
    """"Pipeline as of …", why that date, how many opportunities the snapshot holds, and the
    month of the owners' adoption segments: the page's reference dates, stated once."""
    text = t("pipeline.as_of_caption", lang, date=fmt_date(summary.as_of, lang),
             source=t(f"pipeline.as_of.{summary.as_of_source}", lang),
             n=fmt_int(summary.opportunities, lang))
    if month is not None:
        text += t("pipeline.as_of_segments", lang, month=month_long(month, lang))
    st.caption(text, help=t("pipeline.as_of_help", lang))


def tiles(conn: duckdb.DuckDBPyConnection, data: PipelineData, summary: PipelineSummary,
          lang: Language) -> None:
    """Open count and value, hygiene score, win rate, and the shares of the open ones; figures
    whose field the export lacks say so, with the reason and the fix underneath."""
    currency = summary.currency
    value = summary.open_value
    unknown = set(summary.unknown)
    if value is None and summary.open_value_by_currency:  # several currencies: the most common
        currency, value = max(summary.open_value_by_currency.items(), key=lambda kv: kv[1])
    row = st.columns(4)
    row[0].metric(t("pipeline.tile.open", lang), fmt_int(summary.open, lang), border=True,
                  help=t("pipeline.tile.open_help", lang, total=fmt_int(summary.opportunities,
                                                                          lang),
                         won=fmt_int(summary.won, lang), lost=fmt_int(summary.lost, lang)))
    tile(row[1], t("pipeline.tile.open_value", lang),
         money_text(value, currency, lang, compact=True), unknown="open_value" in unknown,
         lang=lang, border=True, help=t("pipeline.tile.open_value_help", lang))
    tile(row[2], t("pipeline.tile.hygiene", lang),
         "–" if summary.hygiene_score is None else fmt_decimal(summary.hygiene_score, lang, 0),
         unknown="hygiene_score" in unknown, lang=lang, border=True,
         help=t("pipeline.tile.hygiene_help", lang))
    tile(row[3], t("pipeline.tile.win_rate", lang), fmt_percent(summary.win_rate, lang),
         unknown="win_rate" in unknown, lang=lang, border=True,
         help=t("pipeline.tile.win_rate_help", lang, won=fmt_int(summary.won_12m, lang),
                lost=fmt_int(summary.lost_12m, lang)))
    row = st.columns(4)
    for col, key, share in zip(row, ("next_step", "overdue", "stale", "missing_amount"), (
            summary.open_with_next_step_share, summary.open_overdue_share,
            summary.open_stale_30d_share, summary.open_missing_amount_share), strict=True):
        tile(col, t(f"pipeline.tile.{key}", lang), fmt_percent(share, lang),
             unknown=key in unknown, lang=lang, border=True,
             help=t(f"pipeline.tile.{key}_help", lang))
    if len(summary.open_value_by_currency) > 1:
        st.caption(t("pipeline.currencies", lang,
                     values=currencies_text(summary.open_value_by_currency, lang)))
    reasons = [gap_text(gap, lang) for gap in field_gaps(
        conn, DatasetKind.PIPELINE, [SOURCE_FIELD[f] for f in summary.empty_fields]).values()]
    if len(data.owners) and data.owners["user_key"].isna().all():
        reasons.append(t("gap.owners_unmatched", lang, n=fmt_int(len(data.owners), lang)))
    explain(reasons, lang)


def _group_table(frame: pd.DataFrame, first_column: str, names: dict[str, str], currency: str,
                 lang: Language, audience: Audience) -> pd.DataFrame:
    """The figures of each group as display text (e.g. ``<5`` for groups too small for
    ``audience``)."""
    rows = pd.DataFrame({
        first_column: frame["group"].map(lambda g: names.get(g, g) or
                                         t("pipeline.group.no_department", lang)),
        "owners": frame["owners"],
        "open": frame["open"].map(lambda v: fmt_int(int(v), lang)),
        "open_value": ["–" if pd.isna(total) else currencies_text(v, lang)
                       or money_text(0.0, currency, lang)
                       for v, total in zip(frame["open_value_by_currency"], frame["open_value"],
                                           strict=True)],
        "score": frame["hygiene_score"].map(
            lambda v: "–" if pd.isna(v) else fmt_decimal(v, lang, 0)),
        **{key: frame[f"{key}_share"].map(lambda v: fmt_percent(None if pd.isna(v) else v, lang))
           for key in ("next_step", "overdue", "stale", "missing_amount")},
        "win_rate": [win_rate_text(r, w, n, lang) for r, w, n in zip(
            frame["win_rate"], frame["won_12m"], frame["won_12m"] + frame["lost_12m"],
            strict=True)],
    })
    values = [c for c in rows.columns if c not in (first_column, "owners")]
    rows = audience.suppress(rows, "owners", values)
    rows["owners"] = rows["owners"].map(lambda v: v if v == audience.hidden
                                        else fmt_int(int(v), lang))
    return rows.rename(columns={
        c: t(f"pipeline.col.{c}", lang) for c in rows.columns if c != first_column
    })


def _show_group_table(rows: pd.DataFrame, lang: Language) -> None:
    """A table of :func:`_group_table`, each column as wide as its heading and values need (a
    fixed "small" cut German headings to "Nächster Sc"; ten columns fit at 1280 px)."""
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config=fitted_columns(rows, maximum=135,
                                              maxima={str(rows.columns[0]): 170}))


def segment_section(data: PipelineData, segments: pd.DataFrame, month: date | None,
                    lang: Language, audience: Audience) -> None:
    """Open value, hygiene score and win rate by the owners' adoption segment."""
    st.subheader(t("pipeline.section.segments", lang),
                 help=t("pipeline.section.segments_help", lang,
                        month=month_label(month, lang) if month else "–"))
    if month is None:
        st.caption(t("pipeline.section.segments_no_usage", lang))
    frame = by_segment(data, segments)
    shown = audience.keep(frame, "owners")
    if not shown.empty:  # for executives: only groups large enough to show
        _segment_charts(data, shown, lang)
    _show_group_table(_group_table(frame, t("pipeline.col.group_segment", lang),
                                   group_labels(lang), main_currency(data), lang,
                                   audience), lang)
    if audience.aggregates_only:
        st.caption(t("pipeline.suppressed_note", lang, **audience.words))


def _segment_charts(data: PipelineData, shown: pd.DataFrame, lang: Language) -> None:
    """Open value, hygiene score and win rate per segment, side by side."""
    labels = group_labels(lang)
    currency = main_currency(data)
    chart_data = shown.assign(
        detail_text=[t("pipeline.axis.open", lang) + f": {fmt_int(int(n), lang)}"
                     for n in shown["open"]],
    )
    cols = st.columns(3)
    specs = (
        ("open_value", "value", t("pipeline.axis.value", lang),
         chart_data["open_value"].map(lambda v: money_text(v, currency, lang, compact=True)),
         None, None),
        ("hygiene_score", "hygiene", t("pipeline.axis.score", lang),
         chart_data["hygiene_score"].map(lambda v: "" if pd.isna(v) else fmt_decimal(v, lang, 0)),
         None, 100.0),
        ("win_rate", "win_rate", t("pipeline.axis.win_rate", lang),
         chart_data["win_rate"].map(lambda v: "" if pd.isna(v) else fmt_percent(v, lang)),
         "\u00a0%" if lang == "de" else "%", 1.0),
    )
    several = data.values["currency"].nunique() > 1
    for col, (column, key, y_title, texts, percent, top) in zip(cols, specs, strict=True):
        subtitle = (t("pipeline.chart.subtitle_currency", lang, currency=currency)
                    if key == "value" and several else "")
        text = ChartText(title=t(f"pipeline.chart.{key}", lang), x=t("pipeline.axis.segment",
                                                                     lang),
                         y=y_title, subtitle=subtitle, count=t("pipeline.axis.open", lang))
        with col:
            if chart_data[column].isna().all():  # an empty frame of axes explains nothing
                st.markdown(f"**{text.title}**")
                st.caption(t("pipeline.chart.no_values", lang))
                continue
            st.altair_chart(segment_bar_chart(chart_data.assign(value_text=texts), column, text,
                                              labels, SEGMENT_GROUPS, percent_suffix=percent,
                                              scale_max=top), width="stretch")


def department_section(data: PipelineData, lang: Language, audience: Audience) -> None:
    """The figures per owner's department (e.g. ``<5`` for small ones, for executives)."""
    st.subheader(t("pipeline.section.departments", lang),
                 help=t("pipeline.section.departments_help", lang))
    frame = by_department(data)
    names = {NOT_IN_ROSTER: t("pipeline.group.not_in_roster", lang)}
    _show_group_table(_group_table(frame, t("pipeline.col.department", lang), names,
                                   main_currency(data), lang, audience), lang)
    if audience.aggregates_only:
        st.caption(t("pipeline.suppressed_note", lang, **audience.words))


_OWNER_COLUMNS = ("name", "department", "segment", "open", "score", "reasons", "next_step",
                  "overdue", "stale", "missing_amount", "open_value", "win_rate")


def owner_frame(conn: duckdb.DuckDBPyConnection, data: PipelineData, segments: pd.DataFrame,
                lang: Language) -> pd.DataFrame:
    """The per-owner table as the page shows it (names through the privacy setting)."""
    table = for_display(conn, owner_table(data, segments), ("name", "email", "owner"))
    labels = group_labels(lang)
    return pd.DataFrame({
        "name": table["name"],
        "department": table["department"].fillna(""),
        "segment": table["segment"].map(labels),
        "open": table["open"].astype("int64"),
        "open_value": table["open_value"].astype("float64"),
        "next_step": table["next_step_share"].map(pct),
        "overdue": table["overdue_share"].map(pct),
        "stale": table["stale_share"].map(pct),
        "missing_amount": table["missing_amount_share"].map(pct),
        "score": table["hygiene_score"].map(lambda v: None if pd.isna(v) else round(v, 1)),
        "reasons": table["reasons"].map(lambda r: reasons_text(r, lang)),
        "win_rate": table["win_rate"].map(pct),
    })[list(_OWNER_COLUMNS)]


def _owner_headings(month: date | None, currency: str, lang: Language) -> dict[str, str]:
    """Column headings; the segment's month is named (a download leaves the page's caption
    behind), the page states it once in its caption and passes ``None``."""
    headings = {c: t(f"pipeline.col.{c}", lang) for c in _OWNER_COLUMNS if c != "segment"}
    headings["segment"] = t("pipeline.col.segment", lang) + (
        f" ({month_long(month, lang)})" if month else "")
    headings["score"] = t("pipeline.col.score", lang)
    if currency:
        headings["open_value"] = f"{headings['open_value']} ({currency})"
    return headings


def owners_csv(frame: pd.DataFrame, month: date | None, currency: str, lang: Language) -> bytes:
    """The owner table as a CSV safe for spreadsheets (``;`` for German)."""
    return safe_csv_bytes(owners_export(frame, month, currency, lang), lang=lang)


def owners_export(frame: pd.DataFrame, month: date | None, currency: str,
                  lang: Language) -> pd.DataFrame:
    """The owner table as the downloads carry it: headed in ``lang``, values typed."""
    return frame[list(_OWNER_COLUMNS)].rename(columns=_owner_headings(month, currency, lang))


def owner_section(conn: duckdb.DuckDBPyConnection, data: PipelineData, segments: pd.DataFrame,
                  month: date | None, lang: Language) -> None:
    """Every owner's hygiene: sortable, with reasons, and a CSV download (leads only)."""
    st.subheader(t("pipeline.section.owners", lang), help=t("pipeline.section.owners_help", lang))
    frame = owner_frame(conn, data, segments, lang)
    currency = main_currency(data)
    h = _owner_headings(None, currency, lang)
    pct = pct_format(lang)
    # The key columns first and sized to fit 1280 px: who (pinned), where, how many open, the
    # hygiene score and its reasons; the single measures follow, a scroll away.
    def width(column: str, maximum: int = 160) -> int:
        return column_width(h[column], frame[column].tolist(), maximum=maximum)

    config = {
        "name": st.column_config.TextColumn(h["name"], pinned=True, width=width("name")),
        "department": st.column_config.TextColumn(h["department"], width=width("department")),
        "segment": st.column_config.TextColumn(h["segment"], width=width("segment")),
        "open": st.column_config.NumberColumn(h["open"], format="%d",
                                              width=column_width(h["open"])),
        "open_value": st.column_config.NumberColumn(h["open_value"], format="localized"),
        **{c: st.column_config.NumberColumn(h[c], format=pct, help=t(f"pipeline.tile.{key}_help",
                                                                      lang))
           for c, key in (("next_step", "next_step"), ("overdue", "overdue"), ("stale", "stale"),
                          ("missing_amount", "missing_amount"))},
        "score": st.column_config.ProgressColumn(h["score"], format="%.0f", min_value=0,
                                                 max_value=100, width=120,
                                                 help=t("pipeline.tile.hygiene_help", lang)),
        "reasons": st.column_config.TextColumn(h["reasons"], width=width("reasons", 330)),
        "win_rate": st.column_config.NumberColumn(h["win_rate"], format=pct),
    }
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config,
                 key="pipeline_owners", placeholder="–")
    st.caption(t("pipeline.owners.caption", lang, n=fmt_int(len(frame), lang),
                 open=fmt_int(int(frame["open"].sum()), lang)))
    table_downloads(owners_export(frame, month, currency, lang),
                    f"crm-dash-pipeline-owners-{data.as_of:%Y-%m-%d}", lang,
                    key="pipeline_owners_download", csv_label=t("pipeline.download", lang),
                    help=t("pipeline.download_help", lang))


def unmatched_section(conn: duckdb.DuckDBPyConnection, data: PipelineData, lang: Language,
                      *, lead: bool) -> None:
    """Owners the roster does not know: listed for leads, only counted for executives."""
    owners = unmatched_owners(data)
    if not lead:
        if len(owners):
            st.caption(t("pipeline.unmatched.count", lang, owners=fmt_int(len(owners), lang),
                         opportunities=fmt_int(int(owners["opportunities"].sum()), lang)))
        return
    st.subheader(t("pipeline.section.unmatched", lang),
                 help=t("pipeline.section.unmatched_help", lang))
    if owners.empty:
        st.caption(t("pipeline.unmatched.none", lang))
        return
    shown = for_display(conn, owners, ("owner",)).rename(columns={
        "owner": t("pipeline.col.owner_export", lang),
        "opportunities": t("pipeline.col.opportunities", lang),
        "open": t("pipeline.col.open", lang),
    })
    st.dataframe(shown, hide_index=True, width="content")
    st.caption(t("pipeline.unmatched.caption", lang))
