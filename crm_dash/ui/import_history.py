"""The import history page's pieces: the batch table, deleting a batch, integration accounts;
they draw :class:`crm_dash.views.imports.ImportsView` (the integration accounts also on the
Settings page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_dash.datasets import DatasetKind
from crm_dash.i18n import Language, fmt_datetime, fmt_int, t
from crm_dash.importing.history import (
    confirm_integrations,
    delete_batch,
    set_integration_accounts,
)
from crm_dash.markdown import md_escape
from crm_dash.metrics.activity import prepare_activity
from crm_dash.ui.downloads import table_downloads
from crm_dash.ui.format import fitted_columns
from crm_dash.ui.links import page_link
from crm_dash.ui.page import PageContext
from crm_dash.ui.upload_widgets import preset_label
from crm_dash.views.imports import ImportsView, IntegrationFlags

PICK_KEY = "imports_delete_pick"


def _dataset(kind: str, lang: Language) -> str:
    return t(f"dataset.{kind}", lang)


def picked_upload() -> int | None:
    """The upload chosen for deleting in this session (``None`` before any choice)."""
    picked = st.session_state.get(PICK_KEY)
    return picked if isinstance(picked, int) else None


def batch_table(view: ImportsView, lang: Language) -> None:
    """Every upload, newest first (or where to upload the first)."""
    batches = view.batches
    if batches.empty:
        st.info(t("imports.empty", lang), icon=":material/info:")
        page_link("upload", t("nav.upload", lang), ":material/upload_file:")
        return
    shown = pd.DataFrame({
        t("imports.col.batch", lang): batches["batch_id"],
        t("imports.col.file", lang): batches["file_name"],
        t("imports.col.dataset", lang): [_dataset(str(k), lang) for k in batches["kind"]],
        # What happened to the rows next to the file, the rest after: at 1280 px the counts
        # were scrolled out of sight behind the format's long names.
        # counts in the reader's numbers (127.991 / 127,991), as the Overview writes them
        **{t(f"imports.col.{key}", lang): [fmt_int(int(n), lang) for n in batches[column]]
           for key, column in (("read", "rows_read"), ("loaded", "rows_loaded"),
                               ("rejected", "rows_rejected"),
                               ("duplicates", "duplicates_skipped"))},
        t("imports.col.when", lang): [fmt_datetime(w, lang) for w in batches["imported_at"]],
        t("imports.col.who", lang): batches["imported_by"],
        t("imports.col.format", lang): [preset_label(str(p), lang) if isinstance(p, str) else "–"
                                        for p in batches["preset"]],
    })
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config=fitted_columns(shown, maximum=190))
    export = shown.copy()  # the time as a date-time cell, not as text
    export[t("imports.col.when", lang)] = pd.to_datetime(batches["imported_at"]).tolist()
    table_downloads(export, "crm-dash-import-history", lang, key="import_history")
    st.caption(t("imports.note", lang))


def delete_section(ctx: PageContext, view: ImportsView) -> None:
    """Pick an upload, see what deleting it removes, confirm, delete."""
    lang, batches, deletion = ctx.lang, view.batches, view.deletion
    if deletion is None:
        return
    st.subheader(t("imports.delete.title", lang))
    labels = {
        int(r["batch_id"]): " · ".join((
            f"#{r['batch_id']}", str(r["file_name"]), _dataset(str(r["kind"]), lang),
            fmt_datetime(r["imported_at"], lang),
        ))
        for r in batches.to_dict("records")
    }
    # The view computed what the choice (kept in the session) removes: the same upload.
    st.selectbox(t("imports.delete.pick", lang), list(labels), format_func=labels.__getitem__,
                 key=PICK_KEY)
    rows, picked = deletion.batch, deletion.batch.batch_id
    note = {"users": "imports.delete.what_users", "pipeline": "imports.delete.what_pipeline"
            }.get(rows.kind.value, "imports.delete.what")
    if deletion.last_pipeline:
        note = "imports.delete.what_last_pipeline"
    st.markdown(t(note, lang, n=fmt_int(rows.rows, lang), file=md_escape(rows.file_name)))
    confirmed = st.checkbox(t("imports.delete.confirm", lang, batch=picked,
                              n=fmt_int(rows.rows, lang)), key=f"imports_confirm_{picked}")
    if st.button(t("imports.delete.submit", lang), type="primary", disabled=not confirmed,
                 key="imports_delete", icon=":material/delete:"):
        done = delete_batch(ctx.conn, int(picked), ctx.user.username)
        if done.kind == DatasetKind.USAGE:
            prepare_activity(ctx.conn)
        st.session_state["imports_deleted"] = t("imports.delete.done", lang, batch=done.batch_id,
                                                n=fmt_int(done.rows, lang),
                                                file=md_escape(done.file_name))
        st.rerun()


def deleted_message() -> None:
    """The confirmation of a deletion, shown once after the rerun."""
    message = st.session_state.pop("imports_deleted", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def integration_section(ctx: PageContext, flags: IntegrationFlags | None) -> None:
    """Mark people of the roster as integration/API accounts (or back) by hand."""
    if flags is None:
        return
    lang = ctx.lang
    st.subheader(t("imports.integration.title", lang))
    st.caption(t("imports.integration.intro", lang))
    people = flags.roster
    if people.empty:
        st.info(t("imports.integration.no_roster", lang))
        return
    names = {
        str(r.user_key): f"{r.name} <{r.email}>" if isinstance(r.email, str) else str(r.name)
        for r in people.itertuples()
    }
    _to_confirm(ctx, flags.to_confirm)
    current = [str(k) for k in people.loc[people["is_integration"], "user_key"]]
    with st.form("imports_integration"):
        picked = st.multiselect(t("imports.integration.accounts", lang), list(names),
                                default=current, format_func=names.__getitem__,
                                key="imports_integration_pick",
                                placeholder=t("common.choose_several", lang))
        if st.form_submit_button(t("imports.integration.save", lang)):
            changed = set_integration_accounts(ctx.conn, set(picked), ctx.user.username)
            st.session_state["imports_confirmed"] = t("imports.integration.saved", lang, n=changed)
            st.rerun()  # the list of accounts to confirm above changes with it


def _to_confirm(ctx: PageContext, found: pd.DataFrame) -> None:
    """Accounts the importer recognised as integrations, with why, for a lead to confirm (or to
    take out in the list below)."""
    lang = ctx.lang
    message = st.session_state.pop("imports_confirmed", None)
    if message:
        st.success(message, icon=":material/check_circle:")
    if found.empty:
        return
    st.markdown(f"**{t('imports.integration.found', lang, n=len(found))}**")
    integrations = pd.DataFrame({
        t("people.col.name", lang): found["name"],
        t("settings.integration.email", lang): found["email"].fillna("–"),
        t("imports.integration.role", lang): found["role"].fillna("–"),
        t("imports.integration.licence", lang): found["license_type"].fillna("–"),
        t("settings.integration.reason", lang):
            found["reason"].map(lambda r: t(f"settings.integration.reason.{r}", lang)),
    })
    st.dataframe(integrations, hide_index=True, width="stretch",
                 column_config=fitted_columns(integrations, maximum=200))
    if st.button(t("imports.integration.confirm", lang, n=len(found)),
                 key="imports_integration_confirm", icon=":material/task_alt:"):
        done = confirm_integrations(ctx.conn, {str(k) for k in found["user_key"]},
                                    ctx.user.username)
        st.session_state["imports_confirmed"] = t("imports.integration.confirmed", lang, n=done)
        st.rerun()

