"""The Overview's checklist of the four datasets, the "usage log is missing" notice and the
inventory of what the database holds.

The checklist and the notice draw :func:`crm_dash.health.freshness.checklist` as the Overview's
view (:mod:`crm_dash.views.overview`) hands it over, read from the data-health report (the same
cached value as the Data health line), so nothing is counted twice. Leads and admins get the
buttons to the Upload page with the dataset chosen; executives, who cannot upload, only learn
that the data is not there yet.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_dash.datasets import DatasetKind
from crm_dash.health.freshness import PIPELINE_MAX_AGE_DAYS, Checklist, DatasetState, MissingUsage
from crm_dash.i18n import Language, fmt_date, fmt_int, month_long, t
from crm_dash.pages import page
from crm_dash.summary import DataSummary
from crm_dash.ui.page import PageContext

UPLOAD_PARAM = "dataset"
_ICONS = {
    "missing": ":gray[:material/radio_button_unchecked:]",
    "loaded": ":green[:material/check_circle:]",
    "out_of_date": ":orange[:material/update:]",
}


def _upload_button(kind: DatasetKind, label: str, key: str, *, primary: bool = False) -> None:
    if st.button(label, key=key, icon=":material/upload_file:",
                 type="primary" if primary else "secondary"):
        st.switch_page(page("upload").script, query_params={UPLOAD_PARAM: kind.value})


def _period(item: DatasetState, lang: Language) -> str:
    """What the dataset covers, or why it is out of date, in one line (plain text)."""
    values: dict[str, object] = {"rows": fmt_int(item.rows, lang)}
    if item.first is not None:
        values["first"] = (month_long(item.first, lang) if item.kind == DatasetKind.USAGE
                           else fmt_date(item.first, lang))
    if item.last is not None:
        values["last"] = (month_long(item.last, lang) if item.kind == DatasetKind.USAGE
                          else fmt_date(item.last, lang))
    if item.due is not None:
        values["due"] = (fmt_date(item.due, lang) if item.kind == DatasetKind.PIPELINE
                         else month_long(item.due, lang))
    values["days"] = PIPELINE_MAX_AGE_DAYS
    key = f"start.state.{item.kind.value}.{item.state}"
    if item.kind == DatasetKind.USAGE and item.state == "out_of_date" and item.last is None:
        key = "start.state.usage.no_complete_month"
    if item.state != "missing" and item.last is None and item.kind != DatasetKind.USAGE:
        key = f"start.state.{item.kind.value}.undated"
    return t(key, lang, **values)


def missing_usage_notice(ctx: PageContext, gap: MissingUsage | None) -> None:
    """"October 2026's usage log is missing", for leads, with the way to the upload and guide."""
    if gap is None:
        return
    lang = ctx.lang
    if gap.first == gap.last:
        text = t("start.missing_usage.one", lang, month=month_long(gap.last, lang))
    else:
        text = t("start.missing_usage.range", lang, first=month_long(gap.first, lang),
                 last=month_long(gap.last, lang))
    with st.container(border=True):
        st.markdown(f":orange[:material/event_busy:] **{text}**")
        st.caption(t("start.missing_usage.help", lang))
        if gap.asked:
            st.caption(t("start.missing_usage.asked", lang, month=month_long(gap.last, lang)))
        _upload_button(DatasetKind.USAGE, t("start.missing_usage.button", lang),
                       "start_missing_usage_upload", primary=True)


def getting_started(ctx: PageContext, sheet: Checklist | None, may_upload: bool) -> None:
    """The checklist of the four datasets: state, period, what each unlocks, an upload button;
    one line once everything is loaded and current. None on the demo, which is complete by
    construction (its banner says how to start for real)."""
    lang = ctx.lang
    if sheet is None:
        return
    if not may_upload:
        if sheet.empty:
            st.info(t("start.empty_for_viewers", lang), icon=":material/hourglass_empty:")
        return
    if sheet.done:
        st.markdown(f"{_ICONS['loaded']} {t('start.done', lang)}")
        return
    with st.container(border=True):
        st.subheader(t("start.title_empty" if sheet.empty else "start.title", lang))
        st.caption(t("start.intro", lang))
        for number, item in enumerate(sheet.items, start=1):
            name, state, unlocks, action = st.columns([4, 4, 4, 2], vertical_alignment="center")
            name.markdown(f"{_ICONS[item.state]} **{number}. "
                          f"{t(f'dataset.{item.kind.value}', lang)}**")
            state.markdown(_period(item, lang))
            unlocks.caption(t(f"start.unlocks.{item.kind.value}", lang))
            with action:
                if item.state != "loaded":
                    _upload_button(item.kind, t("start.upload", lang),
                                   f"start_upload_{item.kind.value}",
                                   primary=item == next(i for i in sheet.items
                                                        if i.state != "loaded"))
        st.caption(t("start.rules", lang))


def inventory(ctx: PageContext, summary: DataSummary) -> None:
    """What the database holds: people, departments, events, opportunities, and per dataset
    its rows, uploads and period."""
    lang = ctx.lang
    st.divider()
    st.subheader(t("overview.inventory", lang))
    cols = st.columns(4)
    cols[0].metric(
        t("overview.people", lang), fmt_int(summary.people, lang),
        help=t("overview.people_help", lang),
    )
    cols[1].metric(t("overview.departments", lang), fmt_int(summary.departments, lang))
    cols[2].metric(
        t("overview.events", lang),
        fmt_int(summary.dataset(DatasetKind.USAGE).rows, lang),
        help=t("overview.events_help", lang),
    )
    cols[3].metric(
        t("overview.opportunities", lang),
        fmt_int(summary.dataset(DatasetKind.PIPELINE).rows, lang),
        help=t("overview.opportunities_help", lang),
    )
    if summary.integration_accounts:
        st.caption(t("overview.integration_accounts", lang, n=summary.integration_accounts))
    rows = pd.DataFrame(
        [
            {
                t("overview.col.dataset", lang): t(f"dataset.{d.kind.value}", lang),
                t("overview.col.rows", lang): fmt_int(d.rows, lang),
                t("overview.col.uploads", lang): fmt_int(d.batches, lang),
                t("overview.col.from", lang): fmt_date(d.first, lang),
                t("overview.col.to", lang): fmt_date(d.last, lang),
            }
            for d in summary.datasets
        ]
    )
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(t("overview.range_note", lang))
