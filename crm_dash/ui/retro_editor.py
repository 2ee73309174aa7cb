"""Editing a retrospective: one set of widgets per item, drafts that survive a reload, saving.

Every widget has a key per retrospective and item and starts from the user's draft when it is
newer than the saved state, else from the saved state; that start value is the widget's own
``value``/``index`` (a browser that mounts a widget late shows the right value, never a default
it would send back as a change), and a widget that has a value in the session keeps it. Every
change writes the whole set of values as the user's draft into the database (``on_change``), so
a page switch or a browser reload, which loses the session state, loses nothing (text typed
and not yet left is kept in the browser meanwhile: :mod:`crm_dash.ui.typed_drafts`); a change back
to the saved state drops the draft. Saving writes everything in one transaction and clears it.

The topics render as fragments: a change reruns its topic only, not the whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import streamlit as st

from crm_dash.charts import NEUTRAL_COLORS
from crm_dash.i18n import Language, fmt_date, fmt_datetime, t
from crm_dash.markdown import md_escape
from crm_dash.retro.model import (
    MAX_NOTES_CHARS,
    MAX_OWNER_CHARS,
    MAX_PARTICIPANTS_CHARS,
    STATUSES,
    Evidence,
    Retro,
    RetroItem,
)
from crm_dash.retro.present import (
    STATUS_COLOURS,
    evidence_text,
    group_title,
    item_help,
    item_title,
    rule_text,
    status_label,
    suggestion_text,
)
from crm_dash.retro.store import (
    Draft,
    discard_draft,
    draft_values,
    read_draft,
    save_retro,
    write_draft,
)
from crm_dash.retro.template import items_by_group
from crm_dash.ui.typed_drafts import clear_after_rerun, keep_typed_text

FIELDS: tuple[str, ...] = ("status", "notes", "owner", "due")
FLASH_KEY = "retro_flash"


def badge(text: str, colour: str) -> str:
    """Markdown of a badge: ``text`` (Markdown) in white on ``colour`` (a CSS colour).

    Streamlit's own badges offer named colours only; the retrospective's statuses take theirs
    from the neutral palette (:data:`crm_dash.retro.present.STATUS_COLOURS`).
    """
    return f':color[{text}]{{foreground="#ffffff" background="{colour}"}}'


def widget_key(retro_id: int, field: str, item_id: str | None = None) -> str:
    """``retro_3_status_goal.time_bound``; ``retro_3_held_on`` for the header fields."""
    return f"retro_{retro_id}_{field}" + (f"_{item_id}" if item_id else "")


def container_key(item_id: str) -> str:
    """A CSS-safe key for an item's box (``retro-item-goal-time_bound``), for tests and styles."""
    return "retro-item-" + item_id.replace(".", "-")


def local_time(moment: datetime, zone: str, lang: Language) -> str:
    """A stored UTC timestamp in the analysis time zone ``zone``, as the locale writes it."""
    local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
    return fmt_datetime(local.replace(tzinfo=None), lang)


def flash(message: str) -> None:
    """Show ``message`` as a success after the rerun."""
    st.session_state[FLASH_KEY] = message
    st.rerun()


def saved_values(retro: Retro, items: list[RetroItem]) -> dict[str, Any]:
    """``{widget key: value}`` of the saved state."""
    values: dict[str, Any] = {widget_key(retro.id, "held_on"): retro.held_on,
                              widget_key(retro.id, "participants"): retro.participants or ""}
    for item in items:
        values |= {
            widget_key(retro.id, "status", item.item_id): item.status.value,
            widget_key(retro.id, "notes", item.item_id): item.notes or "",
            widget_key(retro.id, "owner", item.item_id): item.owner or "",
            widget_key(retro.id, "due", item.item_id): item.due_date,
        }
    return values


def drafted_values(retro: Retro, items: list[RetroItem], draft: Draft) -> dict[str, Any]:
    """``{widget key: value}`` of a draft: the saved state with every readable drafted value
    laid over it."""
    values = saved_values(retro, items)
    typed = draft_values(draft)
    if typed.held_on is not None:
        values[widget_key(retro.id, "held_on")] = typed.held_on
    if typed.participants is not None:
        values[widget_key(retro.id, "participants")] = typed.participants
    fields = {"status": "status", "notes": "notes", "owner": "owner", "due_date": "due"}
    for item in items:
        for name, value in typed.items.get(item.item_id, {}).items():
            if name == "status":
                value = value.value
            elif name in ("notes", "owner"):
                value = value or ""
            values[widget_key(retro.id, fields[name], item.item_id)] = value
    return values


@dataclass(frozen=True)
class EditorState:
    """The values the widgets start from, and what the page did with the user's draft."""

    draft: Draft | None
    active: bool  # the draft is newer than the saved state: the widgets start from it
    restored: bool  # this run started widgets from the draft (after a reload or page switch)
    saved: dict[str, Any]  # widget key -> saved value
    values: dict[str, Any]  # widget key -> the value a widget starts from


def prepare_widgets(conn: duckdb.DuckDBPyConnection, retro: Retro, items: list[RetroItem],
                    username: str) -> EditorState:
    """What every widget starts from: the user's draft when it is newer than the saved state,
    else the saved state.

    The widgets get these as their ``value``/``index``; a widget that already has a value in
    the session keeps it (identity by key). Starting values are never only pushed through the
    session state: a browser that mounts a widget late (another tab, a reconnect) would show the
    widget's default and send it back as a change.
    """
    draft = read_draft(conn, retro.id, username)
    active = draft is not None and draft.saved_at > retro.last_change
    saved = saved_values(retro, items)
    values = drafted_values(retro, items, draft) if draft is not None and active else saved
    # "Restored" holds from the run that started the widgets from the draft (after a reload
    # or a page switch) until the draft is saved or discarded.
    flag = f"retro_{retro.id}_restored"
    if not active:
        st.session_state.pop(flag, None)
    elif any(key not in st.session_state for key in saved):
        st.session_state[flag] = True
    return EditorState(draft=draft, active=active, restored=bool(st.session_state.get(flag)),
                       saved=saved, values=values)


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def current_values(retro_id: int, items: list[RetroItem], saved: dict[str, Any]
                   ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header and the entries as the widgets hold them now (``saved`` where a widget has
    no value in the session)."""
    state = st.session_state

    def value(field: str, item_id: str | None = None) -> Any:
        key = widget_key(retro_id, field, item_id)
        return state[key] if key in state else saved[key]

    header = {"held_on": value("held_on"), "participants": value("participants")}
    entries = [{"item_id": i.item_id, "status": value("status", i.item_id),
                "notes": value("notes", i.item_id), "owner": value("owner", i.item_id),
                "due_date": value("due", i.item_id)} for i in items]
    return header, entries


def _store_draft(conn: duckdb.DuckDBPyConnection, retro_id: int, items: list[RetroItem],
                 username: str, saved: dict[str, Any]) -> None:
    """on_change of every widget: keep everything typed as the user's draft (or drop the
    draft when the widgets hold the saved state again)."""
    if all(st.session_state.get(k, v) == v for k, v in saved.items()):
        discard_draft(conn, retro_id, username)
        return
    header, entries = current_values(retro_id, items, saved)
    payload = {
        "header": {"held_on": _iso(header["held_on"]), "participants": header["participants"]},
        "items": {e["item_id"]: {"status": e["status"], "notes": e["notes"], "owner": e["owner"],
                                 "due_date": _iso(e["due_date"])} for e in entries},
    }
    write_draft(conn, retro_id, username, payload)


def _take_suggestion(conn: duckdb.DuckDBPyConnection, retro_id: int, items: list[RetroItem],
                     username: str, saved: dict[str, Any], item_id: str, status: str) -> None:
    st.session_state[widget_key(retro_id, "status", item_id)] = status
    _store_draft(conn, retro_id, items, username, saved)


def _put(values: dict[str, Any]) -> None:
    """Set widget values through the session state (in a callback, before the widgets are
    drawn: the browser adopts them)."""
    for key, value in values.items():
        st.session_state[key] = value


def _discard(conn: duckdb.DuckDBPyConnection, retro_id: int, username: str,
             saved: dict[str, Any], message: str) -> None:
    discard_draft(conn, retro_id, username)
    clear_after_rerun(retro_id)  # and what the browser kept of it
    _put(saved)
    st.session_state[FLASH_KEY] = message


def _restore(conn: duckdb.DuckDBPyConnection, retro: Retro, items: list[RetroItem],
             draft: Draft) -> None:
    write_draft(conn, retro.id, draft.username, draft.payload)  # now newer than the save
    _put(drafted_values(retro, items, draft))


def _date_format(lang: Language) -> str:
    return "DD.MM.YYYY" if lang == "de" else "DD/MM/YYYY"


def render_header_inputs(conn: duckdb.DuckDBPyConnection, retro: Retro, items: list[RetroItem],
                         state: EditorState, username: str, lang: Language) -> None:
    """Date and participants of the retrospective (drafted on every change)."""
    args = (conn, retro.id, items, username, state.saved)
    held_key, people_key = widget_key(retro.id, "held_on"), widget_key(retro.id, "participants")
    c1, c2 = st.columns([1, 4])
    c1.date_input(t("retro.held_on", lang), value=state.values[held_key], key=held_key,
                  format=_date_format(lang), on_change=_store_draft, args=args)
    c2.text_input(t("retro.participants", lang), value=state.values[people_key], key=people_key,
                  max_chars=MAX_PARTICIPANTS_CHARS, on_change=_store_draft, args=args,
                  help=t("retro.start.participants_help", lang))


def _evidence_line(evidence: Evidence, lang: Language) -> str:
    suggestion = suggestion_text(evidence, lang)
    colour = (NEUTRAL_COLORS["grey"] if evidence.suggested_status is None
              else STATUS_COLOURS[evidence.suggested_status])
    return (f":material/analytics: {md_escape(evidence_text(evidence, lang))} "
            f"{badge(md_escape(suggestion), colour)}")


_STATUS_VALUES = [s.value for s in STATUSES]


def _item_editor(conn: duckdb.DuckDBPyConnection, retro: Retro, items: list[RetroItem],
                 item: RetroItem, evidence: Evidence | None, state: EditorState,
                 username: str, lang: Language) -> None:
    rid, item_id = retro.id, item.item_id
    args = (conn, rid, items, username, state.saved)
    keys = {f: widget_key(rid, f, item_id) for f in FIELDS}
    start = {f: state.values[k] for f, k in keys.items()}
    title = item_title(item_id, lang)
    with st.container(border=True, key=container_key(item_id)):
        left, right = st.columns([5, 2])
        left.markdown(f"**{md_escape(title)}**", help=item_help(item_id, lang))
        if item.carried_from_held_on is not None:
            left.caption(":material/redo: " + t("retro.carried_from", lang,
                                                 date=fmt_date(item.carried_from_held_on, lang)))
        right.selectbox(t("retro.status_of", lang, item=title), _STATUS_VALUES,
                        index=_STATUS_VALUES.index(start["status"]),
                        format_func=lambda s: status_label(s, lang), key=keys["status"],
                        label_visibility="collapsed", on_change=_store_draft, args=args)
        if evidence is not None:
            line, action = st.columns([5, 2], vertical_alignment="center")
            line.markdown(_evidence_line(evidence, lang), help=rule_text(evidence, lang))
            suggested = evidence.suggested_status
            if suggested is not None and suggested.value != st.session_state.get(keys["status"]):
                action.button(t("retro.evidence.take", lang), key=f"retro_{rid}_take_{item_id}",
                              type="tertiary", icon=":material/done_all:",
                              help=t("retro.evidence.take_help", lang),
                              on_click=_take_suggestion, args=(*args, item_id, suggested.value))
        c1, c2, c3 = st.columns([4, 2, 1.3])
        c1.text_area(t("retro.notes", lang), value=start["notes"], key=keys["notes"], height=68,
                     max_chars=MAX_NOTES_CHARS, on_change=_store_draft, args=args)
        c2.text_input(t("retro.owner", lang), value=start["owner"], key=keys["owner"],
                      max_chars=MAX_OWNER_CHARS, on_change=_store_draft, args=args)
        c3.date_input(t("retro.due", lang), value=start["due"], key=keys["due"],
                      format=_date_format(lang), on_change=_store_draft, args=args)


@st.fragment
def _topic_editor(conn: duckdb.DuckDBPyConnection, retro: Retro, items: list[RetroItem],
                  group_items: list[RetroItem], evidence: dict[str, Evidence],
                  state: EditorState, username: str, lang: Language) -> None:
    for item in group_items:
        _item_editor(conn, retro, items, item, evidence.get(item.item_id), state, username,
                     lang)


def render_checklist_editor(conn: duckdb.DuckDBPyConnection, retro: Retro,
                            items: list[RetroItem], evidence: dict[str, Evidence],
                            state: EditorState, username: str, lang: Language) -> None:
    """The checklist by topic (one tab each), every item editable."""
    by_id = {i.item_id: i for i in items}
    # Text typed and not yet left survives a reload (kept in the browser, then drafted).
    keep_typed_text(retro.id, username, [widget_key(retro.id, "participants")] + [
        widget_key(retro.id, field, i.item_id) for i in items for field in ("notes", "owner")])
    groups = items_by_group(retro.template_version)
    tabs = st.tabs([group_title(g, lang) for g in groups])
    for tab, (_group, template) in zip(tabs, groups.items(), strict=True):
        with tab:
            _topic_editor(conn, retro, items, [by_id[e.id] for e in template], evidence, state,
                          username, lang)


def save(conn: duckdb.DuckDBPyConnection, retro: Retro, items: list[RetroItem],
         state: EditorState, evidence: dict[str, Evidence], month: date, username: str,
         lang: Language) -> None:
    """Save what the widgets hold, with the evidence shown, and say so after the rerun."""
    header, entries = current_values(retro.id, items, state.saved)
    changed = save_retro(conn, retro.id, header, entries, actor=username, evidence=evidence,
                         evidence_month=month)
    clear_after_rerun(retro.id)
    flash(t("retro.saved", lang, n=len(changed)))


def render_draft_banner(conn: duckdb.DuckDBPyConnection, retro: Retro, items: list[RetroItem],
                        state: EditorState, username: str, lang: Language,
                        on_save: Callable[[], None], zone: str) -> None:
    """Say what happened to the user's unsaved changes, with Save / Discard (or Restore);
    times of day in the analysis time zone ``zone``."""
    draft = state.draft
    if draft is None:
        return
    when = local_time(draft.saved_at, zone, lang)
    discard_args = (conn, retro.id, username, state.saved, t("retro.draft.discarded", lang))
    with st.container(border=True, key="retro-draft-banner"):
        if state.active:
            key = "retro.draft.restored" if state.restored else "retro.draft.pending"
            st.warning(t(key, lang, time=when), icon=":material/edit_note:")
            row = st.container(horizontal=True)
            if row.button(t("retro.save", lang), key=f"retro_{retro.id}_save_top",
                          type="primary", icon=":material/save:"):
                on_save()
            row.button(t("retro.draft.discard", lang), key=f"retro_{retro.id}_discard",
                      icon=":material/delete_sweep:", on_click=_discard, args=discard_args)
        else:
            st.info(t("retro.draft.stale", lang, time=when, by=retro.updated_by or "–",
                      at=local_time(retro.last_change, zone, lang)), icon=":material/history:")
            row = st.container(horizontal=True)
            row.button(t("retro.draft.restore", lang), key=f"retro_{retro.id}_restore",
                       on_click=_restore, args=(conn, retro, items, draft))
            row.button(t("retro.draft.discard", lang), key=f"retro_{retro.id}_discard_old",
                      on_click=_discard, args=discard_args)
