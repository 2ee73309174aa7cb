"""The parts of the Retrospective page: starting one, the list, the read-only checklist, the
editor around it, the comparison with the previous one and the downloads. They draw the view
(:func:`crm_dash.views.retro.retro_view`); the figures of the date the editor holds come from
:func:`crm_dash.views.retro.live_evidence`, cached per data version, so a widget change never
recomputes them.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from crm_dash.charts import NEUTRAL_COLORS
from crm_dash.csv_export import XLSX_MIME, safe_csv_bytes
from crm_dash.errors import CrmDashError
from crm_dash.i18n import Language, fmt_date, fmt_int, month_long, t
from crm_dash.markdown import md_escape, md_escape_lines
from crm_dash.retro.export import export_file_name
from crm_dash.retro.model import (
    MAX_PARTICIPANTS_CHARS,
    Evidence,
    ItemStatus,
    Retro,
    RetroItem,
    RetroSummary,
)
from crm_dash.retro.present import (
    STATUS_COLOURS,
    STATUS_ICONS,
    evidence_text,
    group_title,
    item_help,
    item_title,
    rule_text,
    status_label,
    suggestion_text,
)
from crm_dash.retro.store import create_retro
from crm_dash.retro.template import items_by_group
from crm_dash.ui.format import fitted_columns
from crm_dash.ui.page import PageContext, error_markdown
from crm_dash.ui.retro_editor import (
    FLASH_KEY,
    badge,
    container_key,
    local_time,
    prepare_widgets,
    render_checklist_editor,
    render_draft_banner,
    render_header_inputs,
    save,
)
from crm_dash.views.retro import OpenRetro, RetroChoice, RetroView, live_evidence
from crm_dash.views.snapshot import Snapshot

PICK_KEY = "retro_pick"
ERROR_KEY = "retro_start_error"
OPEN_KEY = "retro_open"  # the open retrospective, kept across page switches
QUERY_PARAM = "retro"
START_DATE_KEY = "retro_new_held_on"


def render_intro(lang: Language) -> None:
    """Title, what the page is for, and the confirmation a callback left for this run."""
    st.title(t("retro.title", lang))
    st.caption(t("retro.intro", lang))
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY), icon=":material/check_circle:")


def reader_choice() -> RetroChoice:
    """The retrospective asked for (the picker's choice in this session, else the URL
    (``?retro=ID``, so a reload shows the same one), else the one opened last in this session)
    and the date in the start form (today until one is picked)."""
    state = st.session_state
    raw = st.query_params.get(QUERY_PARAM)
    asked = (state.get(PICK_KEY), int(raw) if raw is not None and raw.isdigit() else None,
             state.get(OPEN_KEY))
    return RetroChoice(wanted=tuple(int(i) for i in asked if isinstance(i, int)),
                       start_on=state.get(START_DATE_KEY, date.today()))


# --- starting and choosing ----------------------------------------------------------------------


def _start(conn: duckdb.DuckDBPyConnection, username: str, lang: Language) -> None:
    """on_click of "Start retrospective": create it, open it, close and clear the form."""
    state = st.session_state
    try:
        retro = create_retro(conn, {"held_on": state.get("retro_new_held_on"),
                                    "participants": state.get("retro_new_participants")},
                             actor=username)
    except CrmDashError as exc:
        state[ERROR_KEY] = error_markdown(exc, lang)  # shown by the next run's form
        return
    state[OPEN_KEY] = retro.id
    state.pop(PICK_KEY, None)
    state["retro_new_participants"] = ""
    state["retro_start_open"] = False
    st.query_params[QUERY_PARAM] = str(retro.id)
    state[FLASH_KEY] = t("retro.start.done", lang, date=fmt_date(retro.held_on, lang))


def render_start(conn: duckdb.DuckDBPyConnection, view: RetroView, username: str,
                 lang: Language) -> None:
    """Start a new retrospective (date, participants), saying what will be carried over."""
    # Keyed, so that its open state lives in the session: a rerun (every field commits one)
    # keeps it open.
    with st.expander(t("retro.start.title", lang), expanded=not view.summaries,
                     icon=":material/add_task:", key="retro_start_open", on_change="rerun"):
        if ERROR_KEY in st.session_state:
            st.error(st.session_state.pop(ERROR_KEY))
        c1, c2 = st.columns([1, 4])
        c1.date_input(t("retro.held_on", lang), value=date.today(), key=START_DATE_KEY,
                      format="DD.MM.YYYY" if lang == "de" else "DD/MM/YYYY")
        c2.text_input(t("retro.participants", lang), key="retro_new_participants",
                      max_chars=MAX_PARTICIPANTS_CHARS,
                      help=t("retro.start.participants_help", lang))
        if view.start is None:  # no date chosen
            return
        if view.start.previous is None:
            st.caption(t("retro.start.first", lang))
        else:
            carried = view.start.open_actions
            key = "retro.start.carry" if carried else "retro.start.no_carry"
            st.caption(t(key, lang, n=carried, date=fmt_date(view.start.previous, lang)))
        st.button(t("retro.start.button", lang), type="primary", key="retro_new_start",
                  icon=":material/play_arrow:", on_click=_start, args=(conn, username, lang))


def render_empty(view: RetroView, lang: Language) -> None:
    """No retrospective yet: who starts one."""
    st.info(t("retro.empty.lead" if view.editable else "retro.empty.executive", lang),
            icon=":material/checklist:")


def pick_retro(view: RetroView, opened: OpenRetro, lang: Language) -> None:
    """The picker of the retrospective to open (showing the one the view opened); keeps the
    choice in the session and the URL."""
    by_id = {s.retro.id: s for s in view.summaries}
    retro_id = opened.retro.id
    st.session_state[PICK_KEY] = retro_id
    st.selectbox(
        t("retro.pick", lang), list(by_id), key=PICK_KEY,
        format_func=lambda i: t("retro.pick.option", lang,
                                date=fmt_date(by_id[i].retro.held_on, lang),
                                counts=_short_counts(by_id[i], lang)),
    )
    st.session_state[OPEN_KEY] = retro_id
    if st.query_params.get(QUERY_PARAM) != str(retro_id):
        st.query_params[QUERY_PARAM] = str(retro_id)


def _short_counts(summary: RetroSummary, lang: Language) -> str:
    return ", ".join(t(f"retro.count.{s.value}", lang, n=fmt_int(summary.counts[s], lang))
                     for s in (ItemStatus.DONE, ItemStatus.IN_PROGRESS, ItemStatus.OPEN))


def render_list(view: RetroView, lang: Language) -> None:
    """Every retrospective with its counts, the latest first."""
    summaries: list[RetroSummary] = view.summaries
    with st.expander(t("retro.list.title", lang, n=len(summaries)), icon=":material/list:"):
        rows = []
        for s in summaries:
            saved = s.retro.updated_at
            rows.append({
                t("retro.held_on", lang): fmt_date(s.retro.held_on, lang),
                t("retro.participants", lang): s.retro.participants or "",
                t("retro.status.done", lang): s.counts[ItemStatus.DONE],
                t("retro.status.in_progress", lang): s.counts[ItemStatus.IN_PROGRESS],
                t("retro.status.open", lang): s.counts[ItemStatus.OPEN],
                t("retro.status.not_applicable", lang): s.counts[ItemStatus.NOT_APPLICABLE],
                t("retro.list.actions", lang): s.actions,
                t("retro.list.saved", lang):
                    local_time(saved, view.time_zone, lang) if saved else "–",
            })
        listed = pd.DataFrame(rows)
        st.dataframe(listed, hide_index=True, width="stretch",
                     column_config=fitted_columns(listed))


def render_heading(view: RetroView, opened: OpenRetro, lang: Language) -> None:
    """Title, when it was started and saved (and by whom, where the view names them), the
    status counts."""
    retro, items, zone = opened.retro, opened.items, view.time_zone
    with_names = bool(retro.created_by)  # the view leaves them out for executives
    st.header(t("retro.title_of", lang, date=fmt_date(retro.held_on, lang)), anchor=False)
    started = local_time(retro.created_at, zone, lang)
    meta = [t("retro.meta.started", lang, by=retro.created_by, at=started) if with_names
            else t("retro.meta.started_on", lang, at=started)]
    if retro.updated_at is not None:
        saved = local_time(retro.updated_at, zone, lang)
        meta.append(t("retro.meta.saved", lang, by=retro.updated_by or "–", at=saved)
                    if with_names else t("retro.meta.saved_on", lang, at=saved))
    else:
        meta.append(t("retro.meta.never_saved", lang))
    meta.append(t("retro.meta.template", lang, version=retro.template_version))
    st.caption(" ".join(meta))
    counts = {s: sum(1 for i in items if i.status is s) for s in ItemStatus}
    st.markdown(" ".join(
        badge(f"{STATUS_ICONS[s]} "
              f"{md_escape(t(f'retro.count.{s.value}', lang, n=fmt_int(counts[s], lang)))}",
              STATUS_COLOURS[s])
        for s in (ItemStatus.DONE, ItemStatus.IN_PROGRESS, ItemStatus.OPEN,
                  ItemStatus.NOT_APPLICABLE)))


def figures_caption(month: date | None, snapshot: bool, retro: Retro, lang: Language) -> None:
    """Which month the figures describe, and whether they are the saved snapshot."""
    if month is None:
        return
    if snapshot and retro.evidence_saved_at is not None:
        st.caption(t("retro.figures.snapshot", lang, month=month_long(month, lang),
                     date=fmt_date(retro.evidence_saved_at, lang)))
    else:
        st.caption(t("retro.figures.live", lang, month=month_long(month, lang)))


# --- reading ------------------------------------------------------------------------------------


def _item_view(item: RetroItem, evidence: Evidence | None, lang: Language) -> None:
    with st.container(border=True, key=container_key(item.item_id)):
        left, right = st.columns([5, 2])
        left.markdown(f"**{md_escape(item_title(item.item_id, lang))}**",
                      help=item_help(item.item_id, lang))
        status = md_escape(status_label(item.status, lang))
        right.markdown(badge(f"{STATUS_ICONS[item.status]} {status}", STATUS_COLOURS[item.status]))
        if evidence is not None:
            colour = NEUTRAL_COLORS["grey"] if evidence.suggested_status is None else \
                STATUS_COLOURS[evidence.suggested_status]
            st.markdown(f":material/analytics: {md_escape(evidence_text(evidence, lang))} "
                        f"{badge(md_escape(suggestion_text(evidence, lang)), colour)}",
                        help=rule_text(evidence, lang))
        if item.notes:
            st.markdown(md_escape_lines(item.notes))
        details = []
        if item.owner:
            details.append(f"{t('retro.owner', lang)}: {md_escape(item.owner)}")
        if item.due_date:
            details.append(f"{t('retro.due', lang)}: {fmt_date(item.due_date, lang)}")
        if item.carried_from_held_on:
            details.append(":material/redo: " + t(
                "retro.carried_from", lang, date=fmt_date(item.carried_from_held_on, lang)))
        if details:
            st.caption(" · ".join(details))


def render_reader(opened: OpenRetro, lang: Language) -> None:
    """The figures' month and the checklist by topic, read-only."""
    retro, figures = opened.retro, opened.figures
    figures_caption(figures.month, figures.saved, retro, lang)
    by_id = {i.item_id: i for i in opened.items}
    groups = items_by_group(retro.template_version)
    tabs = st.tabs([group_title(g, lang) for g in groups])
    for tab, (_group, template) in zip(tabs, groups.items(), strict=True):
        with tab:
            for entry in template:
                _item_view(by_id[entry.id], figures.evidence.get(entry.id), lang)
    st.caption(t("retro.read_only", lang))


# --- editing ------------------------------------------------------------------------------------


def render_editor(ctx: PageContext, snap: Snapshot, view: RetroView, opened: OpenRetro) -> None:
    """The draft banner, the header, the figures of the date the editor holds beside every
    item, and Save (the figures shown are saved with it)."""
    conn, lang, username = ctx.conn, ctx.lang, ctx.user.username
    retro, items = opened.retro, opened.items
    state = prepare_widgets(conn, retro, items, username)
    held_key = f"retro_{retro.id}_held_on"
    live = live_evidence(snap, st.session_state.get(held_key) or state.values[held_key])

    def _save() -> None:
        save(conn, retro, items, state, live.evidence, live.month, username, lang)

    render_draft_banner(conn, retro, items, state, username, lang, _save, view.time_zone)
    with st.expander(t("retro.header.title", lang), icon=":material/groups:",
                     key=f"retro_{retro.id}_header_open", on_change="rerun"):
        render_header_inputs(conn, retro, items, state, username, lang)
    figures_caption(live.month, False, retro, lang)
    render_checklist_editor(conn, retro, items, live.evidence, state, username, lang)
    st.caption(t("retro.draft.note", lang))
    if st.button(t("retro.save", lang), type="primary", key=f"retro_{retro.id}_save",
                 icon=":material/save:", help=t("retro.save.help", lang)):
        _save()


# --- comparing and exporting --------------------------------------------------------------------


def _action_rows(group: list[RetroItem], lang: Language) -> pd.DataFrame:
    return pd.DataFrame([{
        t("retro.export.item", lang): item_title(i.item_id, lang),
        t("retro.status", lang): status_label(i.status, lang),
        t("retro.owner", lang): i.owner or "",
        t("retro.due", lang): fmt_date(i.due_date, lang) if i.due_date else "",
        t("retro.notes", lang): i.notes or "",
    } for i in group])


def render_comparison(opened: OpenRetro, lang: Language) -> None:
    """What changed since the previous retrospective (once this one has been saved: before,
    every item not carried over simply starts open)."""
    comparison, carried = opened.comparison, opened.carried
    st.divider()
    if comparison is None:
        st.caption(t("retro.compare.none", lang))
        return
    if comparison.current.updated_at is None:
        st.caption(t("retro.compare.after_save", lang, n=carried,
                     date=fmt_date(comparison.previous.held_on, lang)))
        return
    title = t("retro.compare.title", lang, date=fmt_date(comparison.previous.held_on, lang))
    with st.expander(title, icon=":material/compare_arrows:"):
        st.caption(t("retro.compare.saved_state", lang))
        cols = st.columns(4)
        cols[0].metric(t("retro.compare.status_changes", lang), len(comparison.status_changes))
        cols[1].metric(t("retro.compare.still_open", lang), len(comparison.still_open))
        cols[2].metric(t("retro.compare.closed", lang), len(comparison.closed))
        cols[3].metric(t("retro.compare.new_actions", lang), len(comparison.new_actions))
        if comparison.unchanged:
            st.info(t("retro.compare.unchanged", lang))
        if comparison.status_changes:
            st.markdown(f"**{t('retro.compare.status_changes', lang)}**")
            changes = pd.DataFrame([{
                t("retro.export.item", lang): item_title(c.item_id, lang),
                t("retro.compare.then", lang): status_label(c.before, lang),
                t("retro.compare.now", lang): status_label(c.after, lang),
            } for c in comparison.status_changes])
            st.dataframe(changes, hide_index=True, width="stretch",
                         column_config=fitted_columns(changes, maximum=480))
        for key, group in (("still_open", comparison.still_open),
                           ("closed", comparison.closed),
                           ("new_actions", comparison.new_actions)):
            if group:
                st.markdown(f"**{t(f'retro.compare.{key}', lang)}**")
                actions = _action_rows(group, lang)
                st.dataframe(actions, hide_index=True, width="stretch",
                             column_config=fitted_columns(actions, maximum=480))
        figures = [e for e in comparison.evidence if e.before or e.after]
        if figures:
            # Sentences, not a table: a table's cells cut them off.
            st.markdown(f"**{t('retro.compare.figures', lang)}**")
            then, now = t("retro.compare.then", lang), t("retro.compare.now", lang)
            for change in figures:
                before = md_escape(evidence_text(change.before, lang)) if change.before else "–"
                after = md_escape(evidence_text(change.after, lang)) if change.after else "–"
                st.markdown(f"**{md_escape(item_title(change.item_id, lang))}**  \n"
                            f":gray[{then}:] {before}  \n:gray[{now}:] {after}")


def render_downloads(opened: OpenRetro, lang: Language) -> None:
    """Markdown and a printable HTML page of the saved retrospective, a workbook and its
    actions as CSV, in the chosen language."""
    retro, downloads = opened.retro, opened.downloads
    row = st.container(horizontal=True)
    row.download_button(
        t("retro.download.md", lang), data=downloads.markdown,
        file_name=export_file_name(retro, "md"), mime="text/markdown", on_click="ignore",
        key=f"retro_{retro.id}_md", icon=":material/description:",
        help=t("retro.download.help", lang))
    row.download_button(
        t("retro.download.html", lang),
        data=downloads.html,
        file_name=export_file_name(retro, "html"), mime="text/html", on_click="ignore",
        key=f"retro_{retro.id}_html", icon=":material/print:",
        help=t("retro.download.help", lang))
    row.download_button(
        t("retro.download.xlsx", lang), data=downloads.xlsx,
        file_name=export_file_name(retro, "xlsx"), mime=XLSX_MIME, on_click="ignore",
        key=f"retro_{retro.id}_xlsx", icon=":material/table_view:",
        help=t("retro.download.help", lang))
    row.download_button(
        t("upload.download_csv", lang),
        data=safe_csv_bytes(downloads.actions, lang=lang),
        file_name=export_file_name(retro, "csv").replace(".csv", "-actions.csv"),
        mime="text/csv", on_click="ignore", key=f"retro_{retro.id}_actions_csv",
        icon=":material/download:", help=t("retro.download.help", lang))

