"""The sections of the Pipeline page: each draws one part of a :class:`crm_dash.views.pipeline.
PipelineView`.

What a reader may see is decided in the view (:func:`crm_dash.views.pipeline.pipeline_view`):
a section draws what it gets, in the reader's language; a group the audience may not see
arrives as its marker (e.g. ``<5``) and stays so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from crm_dash.audience import GroupOption
from crm_dash.charts import ChartText
from crm_dash.charts.pipeline import segment_bar_chart
from crm_dash.i18n import (
    Language,
    currencies_text,
    fmt_date,
    fmt_decimal,
    fmt_int,
    fmt_percent,
    money_text,
    month_label,
    month_long,
    t,
)
from crm_dash.i18n.tables import column_width
from crm_dash.metrics.gaps import gap_text
from crm_dash.metrics.pipeline.groups import NOT_IN_ROSTER, SEGMENT_GROUPS
from crm_dash.ui.downloads import table_downloads
from crm_dash.ui.filters import group_select
from crm_dash.ui.format import fitted_columns, pct_format
from crm_dash.ui.links import page_link
from crm_dash.ui.unknown import explain, tile
from crm_dash.views.pipeline import (
    AsOf,
    GroupSection,
    OwnerSection,
    SegmentSection,
    Tiles,
    UnmatchedOwners,
    group_labels,
    win_rate_text,
)


def no_data(lang: Language, *, lead: bool) -> None:
    """What to upload instead of empty charts."""
    st.info(t("pipeline.no_data.lead" if lead else "pipeline.no_data.executive", lang),
            icon=":material/upload_file:")
    if lead:
        page_link("upload", t("pipeline.upload_link", lang), ":material/upload_file:")


def department_filter(options: tuple[GroupOption, ...], lang: Language
                      ) -> tuple[str, ...] | None:
    """Everyone (``None``), or the departments whose owners to show, among ``options`` (kept
    in the URL like the adoption filters); no filter without options."""
    if not options:
        return None
    labels = {(t("filters.other", lang) if o.is_other else o.label): o.members for o in options}
    picked = group_select(list(labels), "department", t("pipeline.department", lang),
                          t("pipeline.department.all", lang))
    return labels.get(picked) if picked is not None else None


def as_of_caption(as_of: AsOf, lang: Language) -> None:
    """"Pipeline as of …", why that date, how many opportunities the snapshot holds, and the
    month of the owners' adoption segments: the page's reference dates, stated once."""
    text = t("pipeline.as_of_caption", lang, date=fmt_date(as_of.day, lang),
             source=t(f"pipeline.as_of.{as_of.source}", lang),
             n=fmt_int(as_of.opportunities, lang))
    if as_of.segment_month is not None:
        text += t("pipeline.as_of_segments", lang, month=month_long(as_of.segment_month, lang))
    st.caption(text, help=t("pipeline.as_of_help", lang))


def tiles(tiles: Tiles, lang: Language) -> None:
    """Open count and value, hygiene score, win rate, and the shares of the open ones; figures
    whose field the export lacks say so, with the reason and the fix underneath."""
    summary = tiles.summary
    unknown = set(summary.unknown)
    row = st.columns(4)
    row[0].metric(t("pipeline.tile.open", lang), fmt_int(summary.open, lang), border=True,
                  help=t("pipeline.tile.open_help", lang, total=fmt_int(summary.opportunities,
                                                                          lang),
                         won=fmt_int(summary.won, lang), lost=fmt_int(summary.lost, lang)))
    tile(row[1], t("pipeline.tile.open_value", lang),
         money_text(tiles.open_value, tiles.currency, lang, compact=True),
         unknown="open_value" in unknown, lang=lang, border=True,
         help=t("pipeline.tile.open_value_help", lang))
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
    reasons = [gap_text(gap, lang) for gap in tiles.gaps]
    if tiles.all_owners_unmatched is not None:
        reasons.append(t("gap.owners_unmatched", lang,
                         n=fmt_int(tiles.all_owners_unmatched, lang)))
    explain(reasons, lang)


def _shown(text: Callable[[Any], str]) -> Callable[[Any], str]:
    """``text`` of a value; a hidden one (the audience's marker, a string) as it is."""
    return lambda v: v if isinstance(v, str) else text(v)


def _group_rows(section: GroupSection, first_column: str, names: Mapping[str, str],
                lang: Language) -> pd.DataFrame:
    """The figures of each group as display text, headed in ``lang``."""
    frame = section.table.frame
    rows = pd.DataFrame({
        first_column: frame["group"].map(lambda g: names.get(g, g) or
                                         t("pipeline.group.no_department", lang)),
        "owners": frame["owners"].map(_shown(lambda v: fmt_int(int(v), lang))),
        "open": frame["open"].map(_shown(lambda v: fmt_int(int(v), lang))),
        "open_value": [v if isinstance(v, str) else "–" if pd.isna(total)
                       else currencies_text(v, lang) or money_text(0.0, section.currency, lang)
                       for v, total in zip(frame["open_value_by_currency"], frame["open_value"],
                                           strict=True)],
        "score": frame["hygiene_score"].map(_shown(
            lambda v: "–" if pd.isna(v) else fmt_decimal(v, lang, 0))),
        **{key: frame[f"{key}_share"].map(_shown(
            lambda v: fmt_percent(None if pd.isna(v) else v, lang)))
           for key in ("next_step", "overdue", "stale", "missing_amount")},
        "win_rate": [r if isinstance(r, str) else win_rate_text(r, w, n, lang) for r, w, n in
                     zip(frame["win_rate"], frame["won_12m"], frame["closed_12m"], strict=True)],
    })
    return rows.rename(columns={
        c: t(f"pipeline.col.{c}", lang) for c in rows.columns if c != first_column
    })


def _show_group_table(rows: pd.DataFrame) -> None:
    """A table of :func:`_group_rows`, each column as wide as its heading and values need (a
    fixed "small" cut German headings to "Nächster Sc"; ten columns fit at 1280 px)."""
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config=fitted_columns(rows, maximum=135,
                                              maxima={str(rows.columns[0]): 170}))


def _suppressed_note(section: GroupSection, lang: Language, words: dict[str, object]) -> None:
    if section.suppressed:
        st.caption(t("pipeline.suppressed_note", lang, **words))


def segment_section(section: SegmentSection, lang: Language, words: dict[str, object]) -> None:
    """Open value, hygiene score and win rate by the owners' adoption segment (``words``: the
    audience's, for the note on hidden groups)."""
    st.subheader(t("pipeline.section.segments", lang),
                 help=t("pipeline.section.segments_help", lang,
                        month=month_label(section.month, lang) if section.month else "–"))
    if section.month is None:
        st.caption(t("pipeline.section.segments_no_usage", lang))
    if not section.chart.empty:
        _segment_charts(section, lang)
    _show_group_table(_group_rows(section, t("pipeline.col.group_segment", lang),
                                  group_labels(lang), lang))
    _suppressed_note(section, lang, words)


def _segment_charts(section: SegmentSection, lang: Language) -> None:
    """Open value, hygiene score and win rate per segment, side by side."""
    labels = group_labels(lang)
    currency = section.currency
    shown = section.chart.frame
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
    for col, (column, key, y_title, texts, percent, top) in zip(cols, specs, strict=True):
        subtitle = (t("pipeline.chart.subtitle_currency", lang, currency=currency)
                    if key == "value" and section.several_currencies else "")
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


def department_section(section: GroupSection, lang: Language,
                       words: dict[str, object]) -> None:
    """The figures per owner's department (hidden groups as the audience's marker)."""
    st.subheader(t("pipeline.section.departments", lang),
                 help=t("pipeline.section.departments_help", lang))
    names = {NOT_IN_ROSTER: t("pipeline.group.not_in_roster", lang)}
    _show_group_table(_group_rows(section, t("pipeline.col.department", lang), names, lang))
    _suppressed_note(section, lang, words)


def owner_section(section: OwnerSection, lang: Language) -> None:
    """Every owner's hygiene: sortable, with reasons, and a CSV download (leads only)."""
    st.subheader(t("pipeline.section.owners", lang), help=t("pipeline.section.owners_help", lang))
    frame, h = section.table, section.headings
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
                 open=fmt_int(section.open, lang)))
    table_downloads(section.download, section.download_name, lang,
                    key="pipeline_owners_download", csv_label=t("pipeline.download", lang),
                    help=t("pipeline.download_help", lang))


def unmatched_section(unmatched: UnmatchedOwners, lang: Language) -> None:
    """Owners the roster does not know: listed for leads, only counted for executives."""
    if unmatched.table is None:
        if unmatched.owners:
            owners = unmatched.owners  # a count, or the hidden marker for a few owners
            st.caption(t("pipeline.unmatched.count", lang, owners=owners if isinstance(
                owners, str) else fmt_int(owners, lang),
                         opportunities=fmt_int(unmatched.opportunities, lang)))
        return
    st.subheader(t("pipeline.section.unmatched", lang),
                 help=t("pipeline.section.unmatched_help", lang))
    if unmatched.table.empty:
        st.caption(t("pipeline.unmatched.none", lang))
        return
    shown = unmatched.table.rename(columns={
        "owner": t("pipeline.col.owner_export", lang),
        "opportunities": t("pipeline.col.opportunities", lang),
        "open": t("pipeline.col.open", lang),
    })
    st.dataframe(shown, hide_index=True, width="content")
    st.caption(t("pipeline.unmatched.caption", lang))
