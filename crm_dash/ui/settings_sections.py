"""The Settings page's pieces: the adoption definition (with a preview), its history, which
months count as complete, and the integration accounts left out of every figure; they draw
:class:`crm_dash.views.settings.SettingsView` and save what the forms hold."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from crm_dash.errors import ConfigError
from crm_dash.i18n import Language, fmt_datetime, fmt_int, month_long, t
from crm_dash.i18n.labels import segment_labels
from crm_dash.metrics.coverage import month_key, parse_month_key
from crm_dash.metrics.definitions import (
    ACTIONS,
    SEGMENTS,
    AdoptionDefinition,
    definition_from_values,
    save_definition,
    time_zones,
)
from crm_dash.settings import set_settings
from crm_dash.ui.coverage_question import coverage_reason
from crm_dash.ui.format import fitted_columns
from crm_dash.ui.page import PageContext, show_error
from crm_dash.views.settings import SettingsView, definition_preview
from crm_dash.views.snapshot import Snapshot
from crm_dash.workdays import HOLIDAY_CALENDARS

_FLASH = "settings_saved_message"
_FIELDS = ("productive_min_active_days", "productive_min_writes", "sporadic_min_active_days",
           "grace_days", "time_zone", "write_actions", "integration_patterns")


def _field(name: str, lang: Language) -> str:
    return t(f"settings.field.{name}", lang)


def _form_values(current: AdoptionDefinition, lang: Language) -> dict[str, Any]:
    """The definition form's widgets; returns the values as entered."""
    cols = st.columns(4)
    values: dict[str, Any] = {}
    for column, name, low, high in zip(
        cols, _FIELDS[:4], (1, 0, 1, 0), (31, 10_000, 31, 366), strict=True
    ):
        values[name] = column.number_input(
            _field(name, lang), min_value=low, max_value=high, step=1,
            value=int(getattr(current, name)), key=f"settings_{name}",
            help=t(f"settings.help.{name}", lang),
        )
    left, middle, right = st.columns([2, 3, 3])
    zones = list(time_zones())
    values["time_zone"] = left.selectbox(
        _field("time_zone", lang), zones, index=zones.index(current.time_zone),
        key="settings_time_zone", help=t("settings.help.time_zone", lang),
    )
    values["write_actions"] = middle.multiselect(
        _field("write_actions", lang), list(ACTIONS), default=list(current.write_actions),
        format_func=lambda a: t(f"adoption.action.{a}", lang), key="settings_write_actions",
        placeholder=t("common.choose_several", lang),
        help=t("settings.help.write_actions", lang),
    )
    patterns = right.text_area(
        _field("integration_patterns", lang), "\n".join(current.integration_patterns),
        key="settings_integration_patterns", height=100,
        help=t("settings.help.integration_patterns", lang),
    )
    values["integration_patterns"] = [p for p in patterns.splitlines() if p.strip()]
    return values


def _preview(snap: Snapshot, current: AdoptionDefinition, proposed: AdoptionDefinition,
             month: date, lang: Language) -> None:
    """How many people each segment would hold in ``month`` under the proposed thresholds."""
    preview = definition_preview(snap, current, proposed, month)
    if preview.time_zone_kept:
        st.caption(t("settings.preview.time_zone", lang))
    now, then = preview.now, preview.then
    labels = segment_labels(lang)
    rows = [
        {t("adoption.axis.segment", lang): labels[s],
         t("settings.preview.current", lang): fmt_int(now[s], lang),
         t("settings.preview.proposed", lang): fmt_int(then[s], lang),
         t("settings.preview.change", lang): f"{then[s] - now[s]:+d}"}
        for s in SEGMENTS
    ]
    st.markdown(t("settings.preview.title", lang, month=month_long(month, lang)))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def definition_form(ctx: PageContext, snap: Snapshot, view: SettingsView) -> None:
    """Edit the thresholds; preview their effect on the latest complete month, or save them as
    a new version."""
    lang, versioned, month = ctx.lang, view.definition, view.latest_complete
    st.subheader(t("settings.definition.title", lang), help=t("settings.definition.help", lang))
    _show_flash(_FLASH)
    with st.form("settings_definition"):
        values = _form_values(versioned.definition, lang)
        preview_col, save_col, _ = st.columns([1, 2, 3])
        preview = preview_col.form_submit_button(t("settings.preview", lang),
                                                 icon=":material/visibility:",
                                                 disabled=month is None)
        save = save_col.form_submit_button(t("settings.save", lang), type="primary",
                                           icon=":material/save:")
    if not (preview or save):
        return
    try:
        proposed = definition_from_values(values)
    except ConfigError as exc:
        show_error(exc, lang)
        return
    if preview and month is not None:
        _preview(snap, versioned.definition, proposed, month, lang)
    if save:
        _after_save(save_definition(ctx.conn, proposed, actor=ctx.user.username), _FLASH, lang)


def _show_flash(key: str) -> None:
    """The confirmation a save left for the run after it."""
    flash = st.session_state.pop(key, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")


def _after_save(changed: list[str], flash_key: str, lang: Language) -> None:
    """Say that nothing changed, or start over with a confirmation, so that every figure and
    caption on the page uses the new version."""
    if not changed:
        st.info(t("settings.unchanged", lang))
        return
    st.session_state[flash_key] = t("settings.saved", lang, n=len(changed))
    st.rerun()


def _value_text(value: Any, lang: Language) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def history(view: SettingsView, lang: Language) -> None:
    """Every change of the definition: who, when, which threshold, old and new value."""
    changes = view.history
    if changes is None:
        return
    st.subheader(t("settings.history.title", lang), help=t("settings.history.help", lang))
    if not changes:
        st.caption(t("settings.history.none", lang))
        return
    st.dataframe(pd.DataFrame([
        {t("settings.history.version", lang): c.version,
         t("settings.history.when", lang): fmt_datetime(c.changed_at, lang),
         t("settings.history.who", lang): c.changed_by,
         t("settings.history.setting", lang): _field(c.key.removeprefix("adoption."), lang),
         t("settings.history.old", lang): _value_text(c.old, lang),
         t("settings.history.new", lang): _value_text(c.new, lang)}
        for c in changes
    ]), hide_index=True, width="stretch")


def excluded_accounts(view: SettingsView, lang: Language) -> None:
    """Who is left out as an integration account, and why."""
    accounts = view.excluded
    if accounts is None:
        return
    st.subheader(t("settings.integration.title", lang),
                 help=t("settings.integration.help", lang))
    if accounts.empty:
        st.caption(t("settings.integration.none", lang))
        return
    shown = pd.DataFrame({
        t("people.col.name", lang): accounts["name"],
        t("settings.integration.email", lang): accounts["email"],
        t("people.col.department", lang): accounts["department"].fillna("–"),
        t("settings.integration.reason", lang):
            accounts["reason"].map(lambda r: t(f"settings.integration.reason.{r}", lang)),
    })
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config=fitted_columns(shown, maximum=260))


def flag_changes(view: SettingsView, lang: Language) -> None:
    """Every decision by hand about integration accounts: who, when, which way."""
    changes = view.flag_changes
    if changes is None:
        return
    st.subheader(t("settings.flags.title", lang), help=t("settings.flags.help", lang))
    if changes.empty:
        st.caption(t("settings.flags.none", lang))
        return
    st.dataframe(pd.DataFrame({
        t("settings.history.when", lang):
            changes["changed_at"].map(lambda at: fmt_datetime(at, lang)),
        t("settings.history.who", lang): changes["changed_by"],
        t("people.col.name", lang): changes["name"],
        t("settings.integration.email", lang): changes["email"],
        t("settings.flags.now", lang): changes["is_integration"].map(
            lambda flag: t("settings.flags.integration" if flag else "settings.flags.person",
                           lang)),
    }), hide_index=True, width="stretch")


_AUTOMATIC = ""  # "data complete up to" left to the rule (crm_dash.metrics.coverage)
_COVERAGE_FLASH = "settings_coverage_saved_message"


def coverage_form(ctx: PageContext, view: SettingsView) -> None:
    """Which months count as complete: the rule's verdict and why, a lead's "data complete up
    to" (or automatic) and the holiday calendar of working days; saved as new versions."""
    lang, settings = ctx.lang, view.coverage
    st.subheader(t("coverage.settings.title", lang), help=t("coverage.settings.help", lang))
    _show_flash(_COVERAGE_FLASH)
    if settings.coverage is None:
        st.caption(t("coverage.settings.no_data", lang))
    else:
        st.caption(coverage_reason(settings.coverage, lang))
    current = settings.complete_until
    choices = [_AUTOMATIC, *(month_key(m) for m in settings.months)]
    if current not in choices:  # a month whose data has since been deleted
        choices.append(current)
    calendars = list(HOLIDAY_CALENDARS)
    with st.form("settings_coverage"):
        left, right = st.columns(2)
        until = left.selectbox(
            t("coverage.settings.until", lang), choices, index=choices.index(current),
            format_func=lambda key: _until_label(key, lang), key="settings_complete_until",
            help=t("coverage.settings.until.help", lang),
        )
        calendar = right.radio(
            t("coverage.settings.holidays", lang), calendars,
            index=calendars.index(settings.holidays),
            format_func=lambda c: t(f"coverage.settings.holidays.{c}", lang),
            key="settings_holidays", help=t("coverage.settings.holidays.help", lang),
        )
        save = st.form_submit_button(t("coverage.settings.save", lang), icon=":material/save:")
    for change in settings.changes:  # who last changed each, and when (every version is kept)
        st.caption(t(f"{change.key}.changed", lang, who=change.changed_by,
                     when=fmt_datetime(change.changed_at, lang), versions=change.versions))
    if not save:
        return
    values = {"coverage.complete_until": str(until), "coverage.holidays": str(calendar)}
    _after_save(set_settings(ctx.conn, values, actor=ctx.user.username), _COVERAGE_FLASH, lang)


def _until_label(key: str, lang: Language) -> str:
    month = parse_month_key(key)
    return t("coverage.settings.until.auto", lang) if month is None else month_long(month, lang)
