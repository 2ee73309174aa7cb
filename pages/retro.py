"""Retrospective: the regular CRM retrospective as a checklist linked to the data.

Everyone sees the retrospectives; leads and admins start them and edit them (drafts survive a
reload, saving is atomic); executives read them, compare them and download them.
"""

from __future__ import annotations

import streamlit as st

from crm_dash.i18n import t
from crm_dash.pages import LEADS
from crm_dash.retro.present import for_audience
from crm_dash.retro.store import get_retro, list_retros, retro_items
from crm_dash.ui.page import friendly_errors, page_setup
from crm_dash.ui.retro_editor import (
    FLASH_KEY,
    prepare_widgets,
    render_checklist_editor,
    render_draft_banner,
    render_header_inputs,
    save,
)
from crm_dash.ui.retro_sections import (
    comparison_for,
    exported_comparison,
    figures_caption,
    live_evidence,
    pick_retro,
    render_checklist_view,
    render_comparison,
    render_downloads,
    render_heading,
    render_list,
    render_start,
    shown_evidence,
)

ctx = page_setup("retro")  # login + role guard, before anything else
lang, conn, me = ctx.lang, ctx.conn, ctx.user
can_edit = me.role in LEADS

with friendly_errors(lang):
    st.title(t("retro.title", lang))
    st.caption(t("retro.intro", lang))
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY), icon=":material/check_circle:")
    summaries = list_retros(conn)
    if can_edit:
        render_start(conn, me.username, lang, first=not summaries)
    if not summaries:
        st.info(t("retro.empty.lead" if can_edit else "retro.empty.executive", lang),
                icon=":material/checklist:")
    else:
        retro = get_retro(conn, pick_retro(summaries, lang))
        items = retro_items(conn, retro)
        # Executives read the names leads typed (participants, owners) as roles.
        retro, items, summaries = for_audience(retro, items, summaries, ctx.audience, lang)
        render_list(conn, summaries, lang)
        render_heading(conn, retro, items, lang, with_names=can_edit)
        if can_edit:
            state = prepare_widgets(conn, retro, items, me.username)
            held_on = st.session_state.get(f"retro_{retro.id}_held_on") or state.values[
                f"retro_{retro.id}_held_on"]
            month, evidence = live_evidence(conn, held_on)

            def _save() -> None:
                save(conn, retro, items, state, evidence, month, me.username, lang)

            render_draft_banner(conn, retro, items, state, me.username, lang, _save)
            with st.expander(t("retro.header.title", lang), icon=":material/groups:",
                             key=f"retro_{retro.id}_header_open", on_change="rerun"):
                render_header_inputs(conn, retro, items, state, me.username, lang)
            figures_caption(month, False, retro, lang)
            render_checklist_editor(conn, retro, items, evidence, state, me.username, lang)
            st.caption(t("retro.draft.note", lang))
            if st.button(t("retro.save", lang), type="primary", key=f"retro_{retro.id}_save",
                         icon=":material/save:", help=t("retro.save.help", lang)):
                _save()
            _month, shown, _snapshot = shown_evidence(conn, retro)
        else:
            shown_month, shown, snapshot = shown_evidence(conn, retro)
            figures_caption(shown_month, snapshot, retro, lang)
            render_checklist_view(retro, items, shown, lang)
            st.caption(t("retro.read_only", lang))
        st.divider()
        comparison = comparison_for(conn, retro, items, shown)
        carried = sum(1 for i in items if i.carried_from_retro_id is not None)
        render_comparison(comparison, carried, lang)
        render_downloads(retro, items, shown, exported_comparison(comparison), lang)
