"""The parts of the Retrospective page: starting one, the list, the read-only checklist, the
comparison with the previous one and the downloads.

The evidence is cached per database, data version (uploads, flags, settings, goals) and date, so
a widget change never recomputes it; any new upload or goal computes afresh.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from crm_dash.charts import NEUTRAL_COLORS
from crm_dash.csv_export import XLSX_MIME, safe_csv_bytes
from crm_dash.errors import CrmDashError
from crm_dash.i18n import Language, fmt_date, fmt_int, t
from crm_dash.markdown import md_escape, md_escape_lines
from crm_dash.retro.compare import RetroComparison, compare_with_previous
from crm_dash.retro.evidence import evidence_version
from crm_dash.retro.export import export_file_name, retro_html, retro_markdown
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
from crm_dash.retro.store import (
    create_retro,
    evidence_snapshot,
    latest_retro_before,
    open_actions,
)
from crm_dash.retro.template import items_by_group
from crm_dash.ui.format import fitted_columns, month_long
from crm_dash.ui.retro_editor import FLASH_KEY, badge, container_key, local_time
from crm_dash.views import data
from crm_dash.views.snapshot import snapshot
from crm_dash.workbook_exports import retro_actions_frame, retro_xlsx

PICK_KEY = "retro_pick"
ERROR_KEY = "retro_start_error"
OPEN_KEY = "retro_open"  # the open retrospective, kept across page switches
QUERY_PARAM = "retro"


def live_evidence(conn: duckdb.DuckDBPyConnection, held_on: date
                  ) -> tuple[date, dict[str, Evidence]]:
    """The evidence month of a retrospective held on ``held_on`` and the evidence of every
    item the data can speak to (cached per data version)."""
    return data.evidence(snapshot(conn), held_on, evidence_version(conn))


def shown_evidence(conn: duckdb.DuckDBPyConnection, retro: Retro
                   ) -> tuple[date | None, dict[str, Evidence], bool]:
    """The evidence readers and exports see: the snapshot saved with the retrospective (what
    the meeting saw), or the live figures before its first save. The flag says which."""
    snapshot = evidence_snapshot(conn, retro.id)
    if snapshot:
        return retro.evidence_month, snapshot, True
    month, live = live_evidence(conn, retro.held_on)
    return month, live, False


# --- starting and choosing ----------------------------------------------------------------------


def _start(conn: duckdb.DuckDBPyConnection, username: str, lang: Language) -> None:
    """on_click of "Start retrospective": create it, open it, close and clear the form."""
    state = st.session_state
    try:
        retro = create_retro(conn, {"held_on": state.get("retro_new_held_on"),
                                    "participants": state.get("retro_new_participants")},
                             actor=username)
    except CrmDashError as exc:
        title, message = exc.for_reader(lang)
        state[ERROR_KEY] = f"**{md_escape(title)}**: {md_escape(message)}"
        return
    state[OPEN_KEY] = retro.id
    state.pop(PICK_KEY, None)
    state["retro_new_participants"] = ""
    state["retro_start_open"] = False
    st.query_params[QUERY_PARAM] = str(retro.id)
    state[FLASH_KEY] = t("retro.start.done", lang, date=fmt_date(retro.held_on, lang))


def render_start(conn: duckdb.DuckDBPyConnection, username: str, lang: Language,
                 *, first: bool) -> None:
    """Start a new retrospective (date, participants), saying what will be carried over."""
    # Keyed, so that its open state lives in the session: a rerun (every field commits one)
    # keeps it open.
    with st.expander(t("retro.start.title", lang), expanded=first, icon=":material/add_task:",
                     key="retro_start_open", on_change="rerun"):
        if ERROR_KEY in st.session_state:
            st.error(st.session_state.pop(ERROR_KEY))
        c1, c2 = st.columns([1, 4])
        held_on = c1.date_input(t("retro.held_on", lang), value=date.today(),
                                key="retro_new_held_on",
                                format="DD.MM.YYYY" if lang == "de" else "DD/MM/YYYY")
        c2.text_input(t("retro.participants", lang), key="retro_new_participants",
                      max_chars=MAX_PARTICIPANTS_CHARS,
                      help=t("retro.start.participants_help", lang))
        if held_on is None:
            return
        previous = latest_retro_before(conn, held_on)
        if previous is None:
            st.caption(t("retro.start.first", lang))
        else:
            carried = open_actions(conn, previous)
            key = "retro.start.carry" if carried else "retro.start.no_carry"
            st.caption(t(key, lang, n=len(carried), date=fmt_date(previous.held_on, lang)))
        st.button(t("retro.start.button", lang), type="primary", key="retro_new_start",
                  icon=":material/play_arrow:", on_click=_start, args=(conn, username, lang))


def _wanted(ids: list[int]) -> int:
    """The retrospective to open: the picker's choice in this session, else the URL
    (``?retro=ID``, so a reload shows the same one), else the one opened last in this session,
    else the latest."""
    picked = st.session_state.get(PICK_KEY)
    if picked in ids:
        return int(picked)
    raw = st.query_params.get(QUERY_PARAM)
    if raw is not None and raw.isdigit() and int(raw) in ids:
        return int(raw)
    remembered = st.session_state.get(OPEN_KEY)
    if remembered in ids:
        return int(remembered)
    return ids[0]


def pick_retro(summaries: list[RetroSummary], lang: Language) -> int:
    """The picker of the retrospective to open; keeps the choice in the URL."""
    ids = [s.retro.id for s in summaries]
    by_id = {s.retro.id: s for s in summaries}
    wanted = _wanted(ids)
    st.session_state[PICK_KEY] = wanted
    chosen = st.selectbox(
        t("retro.pick", lang), ids, key=PICK_KEY,
        format_func=lambda i: t("retro.pick.option", lang,
                                date=fmt_date(by_id[i].retro.held_on, lang),
                                counts=_short_counts(by_id[i], lang)),
    )
    retro_id = int(chosen if chosen is not None else wanted)
    st.session_state[OPEN_KEY] = retro_id
    if st.query_params.get(QUERY_PARAM) != str(retro_id):
        st.query_params[QUERY_PARAM] = str(retro_id)
    return retro_id


def _short_counts(summary: RetroSummary, lang: Language) -> str:
    return ", ".join(t(f"retro.count.{s.value}", lang, n=fmt_int(summary.counts[s], lang))
                     for s in (ItemStatus.DONE, ItemStatus.IN_PROGRESS, ItemStatus.OPEN))


def render_list(conn: duckdb.DuckDBPyConnection, summaries: list[RetroSummary],
                lang: Language) -> None:
    """Every retrospective with its counts, the latest first."""
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
                t("retro.list.saved", lang): local_time(saved, conn, lang) if saved else "–",
            })
        listed = pd.DataFrame(rows)
        st.dataframe(listed, hide_index=True, width="stretch",
                     column_config=fitted_columns(listed))


def render_heading(conn: duckdb.DuckDBPyConnection, retro: Retro, items: list[RetroItem],
                   lang: Language, *, with_names: bool) -> None:
    """Title, when it was started and saved (and by whom, ``with_names``), the status counts."""
    st.header(t("retro.title_of", lang, date=fmt_date(retro.held_on, lang)), anchor=False)
    started = local_time(retro.created_at, conn, lang)
    meta = [t("retro.meta.started", lang, by=retro.created_by, at=started) if with_names
            else t("retro.meta.started_on", lang, at=started)]
    if retro.updated_at is not None:
        saved = local_time(retro.updated_at, conn, lang)
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


def render_checklist_view(retro: Retro, items: list[RetroItem], evidence: dict[str, Evidence],
                          lang: Language) -> None:
    """The checklist by topic, read-only."""
    by_id = {i.item_id: i for i in items}
    groups = items_by_group(retro.template_version)
    tabs = st.tabs([group_title(g, lang) for g in groups])
    for tab, (_group, template) in zip(tabs, groups.items(), strict=True):
        with tab:
            for entry in template:
                _item_view(by_id[entry.id], evidence.get(entry.id), lang)


# --- comparing and exporting --------------------------------------------------------------------


def _action_rows(group: list[RetroItem], lang: Language) -> pd.DataFrame:
    return pd.DataFrame([{
        t("retro.export.item", lang): item_title(i.item_id, lang),
        t("retro.status", lang): status_label(i.status, lang),
        t("retro.owner", lang): i.owner or "",
        t("retro.due", lang): fmt_date(i.due_date, lang) if i.due_date else "",
        t("retro.notes", lang): i.notes or "",
    } for i in group])


def render_comparison(comparison: RetroComparison | None, carried: int,
                      lang: Language) -> None:
    """What changed since the previous retrospective (once this one has been saved: before,
    every item not carried over simply starts open)."""
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


def comparison_for(conn: duckdb.DuckDBPyConnection, retro: Retro, items: list[RetroItem],
                   evidence: dict[str, Evidence]) -> RetroComparison | None:
    """``retro`` against the previous one (saved states; ``evidence`` until ``retro`` has a
    snapshot of its own)."""
    return compare_with_previous(conn, retro, current_items=items, current_evidence=evidence)


def exported_comparison(comparison: RetroComparison | None) -> RetroComparison | None:
    """The comparison the downloads include: only once the retrospective has been saved."""
    if comparison is None or comparison.current.updated_at is None:
        return None
    return comparison


def render_downloads(retro: Retro, items: list[RetroItem], evidence: dict[str, Evidence],
                     comparison: RetroComparison | None, lang: Language) -> None:
    """Markdown and a printable HTML page of the saved retrospective, in the chosen language."""
    row = st.container(horizontal=True)
    row.download_button(
        t("retro.download.md", lang),
        data=retro_markdown(retro, items, evidence, lang, comparison=comparison),
        file_name=export_file_name(retro, "md"), mime="text/markdown", on_click="ignore",
        key=f"retro_{retro.id}_md", icon=":material/description:",
        help=t("retro.download.help", lang))
    row.download_button(
        t("retro.download.html", lang),
        data=retro_html(retro, items, evidence, lang, comparison=comparison),
        file_name=export_file_name(retro, "html"), mime="text/html", on_click="ignore",
        key=f"retro_{retro.id}_html", icon=":material/print:",
        help=t("retro.download.help", lang))
    row.download_button(
        t("retro.download.xlsx", lang), data=retro_xlsx(retro, items, lang),
        file_name=export_file_name(retro, "xlsx"), mime=XLSX_MIME, on_click="ignore",
        key=f"retro_{retro.id}_xlsx", icon=":material/table_view:",
        help=t("retro.download.help", lang))
    row.download_button(
        t("upload.download_csv", lang),
        data=safe_csv_bytes(retro_actions_frame(items, lang), lang=lang),
        file_name=export_file_name(retro, "csv").replace(".csv", "-actions.csv"),
        mime="text/csv", on_click="ignore", key=f"retro_{retro.id}_actions_csv",
        icon=":material/download:", help=t("retro.download.help", lang))

