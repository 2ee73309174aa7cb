"""The Goals page's sections: each goal's card (figures, chart, downloads; for leads the edit
form and the history), the form for a new goal and the archived goals.

They draw a :class:`crm_dash.views.goals.GoalsView`; the forms validate and save through
:mod:`crm_dash.goals` (preview, add, update, archive).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from crm_dash.charts.goals import goal_chart
from crm_dash.csv_export import XLSX_MIME
from crm_dash.goals.model import (
    DEFAULT_HORIZON_MONTHS,
    DEFAULT_TARGET_PCT,
    MAX_HORIZON_MONTHS,
    Goal,
    GoalDraft,
    GoalMetric,
    GoalScope,
)
from crm_dash.goals.present import STATE_ICONS, default_goal_name, fmt_month, fmt_value, goal_name
from crm_dash.goals.store import GoalChange, archive_goal, update_goal
from crm_dash.goals.tracker import add_goal, preview_goal
from crm_dash.i18n import Language, fmt_date, fmt_datetime, fmt_decimal, t
from crm_dash.markdown import md_escape
from crm_dash.months import last_day_of_month
from crm_dash.ui.page import PageContext
from crm_dash.views.goals import GoalCard, GoalsView, NewGoalChoices

_FLASH = "goals_flash"


def _flash(message: str) -> None:
    st.session_state[_FLASH] = message
    st.rerun()


def _history_value(field: str, value: object, lang: Language) -> str:
    if value is None or value == "":
        return "–"
    if field == "created" and isinstance(value, dict):
        pct = float(value.get("target_pct", 0))
        start = value.get("start")
        return t("goals.history.created_value", lang, scope=value.get("scope", ""),
                 pct=fmt_decimal(pct, lang, 0 if pct.is_integer() else 1),
                 start=fmt_month(date.fromisoformat(start), lang) if start else "–",
                 months=value.get("months", ""))
    if isinstance(value, bool):
        return t("goals.yes", lang) if value else t("goals.no", lang)
    if isinstance(value, float):
        return fmt_decimal(value, lang, 0 if value.is_integer() else 2)
    return str(value)


def _history(changes: tuple[GoalChange, ...], lang: Language) -> None:
    rows = [
        {
            t("goals.history.when", lang): fmt_datetime(c.changed_at, lang),
            t("goals.history.who", lang): c.changed_by,
            t("goals.history.what", lang): t(f"goals.field.{c.field}", lang),
            t("goals.history.old", lang): _history_value(c.field, c.old_value, lang),
            t("goals.history.new", lang): _history_value(c.field, c.new_value, lang),
        }
        for c in changes
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _edit(ctx: PageContext, goal: Goal) -> None:
    lang = ctx.lang
    with st.form(f"goal_edit_{goal.id}"):
        name = st.text_input(t("goals.form.name", lang), value=goal.name,
                             key=f"goal_edit_name_{goal.id}")
        whole = float(goal.target_pct).is_integer()
        pct = st.number_input(t("goals.form.target_pct", lang),
                              min_value=1 if whole else 0.1, max_value=1000 if whole else 1000.0,
                              value=int(goal.target_pct) if whole else goal.target_pct,
                              step=1 if whole else 0.5, key=f"goal_edit_pct_{goal.id}",
                              help=t("goals.form.edit_pct_help", lang))
        owner = st.text_input(t("goals.owner", lang), value=goal.owner or "",
                              key=f"goal_edit_owner_{goal.id}")
        note = st.text_area(t("goals.note", lang), value=goal.note or "",
                            key=f"goal_edit_note_{goal.id}")
        if st.form_submit_button(t("goals.edit.save", lang), type="primary",
                                 key=f"goal_edit_save_{goal.id}"):
            changed = update_goal(ctx.conn, goal.id, actor=ctx.user.username, name=name,
                                  target_pct=pct, owner=owner, note=note)
            if changed:
                _flash(t("goals.edit.saved", lang, name=name))
            else:
                st.info(t("goals.edit.nothing", lang))
    confirm = st.checkbox(t("goals.archive.confirm", lang), key=f"goal_archive_confirm_{goal.id}")
    if st.button(t("goals.archive.button", lang), key=f"goal_archive_{goal.id}",
                 disabled=not confirm, icon=":material/archive:",
                 help=t("goals.archive.help", lang)):
        archive_goal(ctx.conn, goal.id, actor=ctx.user.username)
        _flash(t("goals.archive.done", lang, name=goal_name(goal, lang)))


def _figures(card: GoalCard, lang: Language) -> None:
    """Progress bar, figures and chart of a goal whose scope is large enough to show."""
    goal, progress, view = card.report.goal, card.report.progress, card.text
    st.progress(view.progress, text=view.progress_text)
    cols = st.columns(5)
    cols[0].metric(t("goals.fig.baseline", lang), view.baseline, help=view.baseline_help)
    cols[1].metric(t("goals.fig.target", lang), view.target, help=view.target_help)
    delta = None
    if progress.actual is not None:
        gap = progress.actual - progress.expected
        delta = t("goals.fig.vs_expected", lang,
                  diff=("+" if gap >= 0 else "-") + fmt_value(abs(gap), goal.metric, lang))
    cols[2].metric(view.actual_label, view.actual, delta=delta,
                   delta_color="normal" if delta else "off",
                   help=t("goals.fig.actual_help", lang))
    cols[3].metric(t("goals.fig.expected", lang), view.expected, help=view.expected_help)
    cols[4].metric(view.forecast_label, view.forecast, help=view.forecast_help)
    row = st.columns([1, 1, 1, 2])
    row[0].metric(t("goals.fig.gap", lang), view.gap, help=view.gap_help)
    row[1].metric(view.needed_label, view.needed, help=view.needed_help)
    row[2].metric(t("goals.fig.months_left", lang), view.months_left,
                  help=t("goals.fig.months_left_help", lang,
                         deadline=fmt_date(goal.deadline, lang)))
    if view.idle_value is not None:
        row[3].metric(t("goals.idle.title", lang), view.idle_value, help=view.idle_text)
    if view.definition_changed:
        st.warning(view.definition_changed, icon=":material/rule:")
    if not view.has_data:
        st.info(t("goals.no_data_yet", lang, month=fmt_month(goal.start, lang),
                  end=fmt_date(last_day_of_month(goal.start), lang)),
                icon=":material/hourglass_empty:")
    if card.chart is not None:
        st.altair_chart(goal_chart(goal, card.chart, lang), width="stretch")


def _card(ctx: PageContext, card: GoalCard, editable: bool) -> None:
    lang, goal, view = ctx.lang, card.report.goal, card.text
    with st.container(border=True, key=f"goal_card_{goal.id}"):
        icon = STATE_ICONS[view.state]
        st.subheader(f"{md_escape(view.name)} :{view.colour}-badge[{icon} {view.state_label}]",
                     anchor=False, help=view.state_help)
        st.caption(f"{md_escape(view.scope)} · {view.metric} · {view.period}")
        if view.suppressed:
            # No figure at all for a scope too small to show: a grid of "<5" says nothing.
            st.info(t("goals.suppressed", lang, **card.report.audience.words),
                    icon=":material/visibility_off:")
        else:
            _figures(card, lang)

        details = [f"**{t('goals.definition.title', lang)}**: {view.definition}"]
        if view.owner:
            details.insert(0, f"**{t('goals.owner', lang)}**: {md_escape(view.owner)}")
        if view.note:
            details.insert(1 if view.owner else 0,
                           f"**{t('goals.note', lang)}**: {md_escape(view.note)}")
        st.caption("  \n".join(details))

        st.download_button(
            t("goals.report.download", lang), data=card.report_html, file_name=card.file_name,
            mime="text/html", key=f"goal_report_{goal.id}", icon=":material/download:",
            on_click="ignore", help=t("goals.report.download_help", lang),
        )
        st.download_button(
            t("goals.report.download_xlsx", lang), data=card.report_xlsx,
            file_name=card.xlsx_file_name, mime=XLSX_MIME, key=f"goal_report_xlsx_{goal.id}",
            icon=":material/table_view:", on_click="ignore",
            help=t("goals.report.download_help", lang),
        )
        if editable:
            with st.expander(t("goals.edit.title", lang), icon=":material/edit:"):
                _edit(ctx, goal)
        if card.history is not None:
            with st.expander(t("goals.history.title", lang), icon=":material/history:"):
                _history(card.history, lang)


def goal_cards(ctx: PageContext, view: GoalsView) -> None:
    """Title, the message of the last save, and every goal's card (or why there is none)."""
    lang = ctx.lang
    st.title(t("goals.title", lang))
    st.caption(t("goals.intro", lang))
    if _FLASH in st.session_state:
        st.success(st.session_state.pop(_FLASH), icon=":material/check_circle:")
    if not view.goals:
        st.info(t("goals.empty.lead" if view.editable else "goals.empty.executive", lang),
                icon=":material/flag:")
    for card in view.goals:
        _card(ctx, card, view.editable)
    if not view.editable:
        st.caption(t("goals.read_only", lang))


def _preview(ctx: PageContext, draft: GoalDraft, choices: NewGoalChoices) -> bool:
    """What the draft would become, in words; whether it may be saved."""
    lang, metric = ctx.lang, draft.metric
    preview = preview_goal(ctx.conn, draft, figures=choices.figures)
    if preview.suppressed:
        st.warning(t("goals.form.preview_suppressed", lang, **preview.audience.words),
                   icon=":material/visibility_off:")
    elif preview.baseline_value == 0:
        st.warning(t("goals.form.preview_zero", lang, scope=draft.scope.label(),
                     month=fmt_month(draft.baseline_month, lang)), icon=":material/warning:")
    else:
        st.info(
            t("goals.form.preview", lang,
              baseline=fmt_value(preview.baseline_value, metric, lang),
              metric=t(f"goals.metric.{metric.value}", lang),
              month=fmt_month(draft.baseline_month, lang),
              target=fmt_value(preview.target, metric, lang),
              deadline=fmt_date(draft.deadline, lang),
              pct=fmt_decimal(draft.target_pct, lang,
                              0 if float(draft.target_pct).is_integer() else 1)),
            icon=":material/flag:",
        )
    return preview.baseline_value != 0


def new_goal_form(ctx: PageContext, choices: NewGoalChoices | None) -> None:
    """For leads: the form for a new goal, its baseline and target before saving."""
    if choices is None:
        return
    lang = ctx.lang
    st.divider()
    st.subheader(t("goals.form.title", lang), anchor=False)
    st.caption(t("goals.form.intro", lang))
    if not choices.ready:
        st.info(t("goals.no_data", lang), icon=":material/upload_file:")
        return
    options, any_label = choices.options, t("goals.form.any", lang)
    c1, c2, c3 = st.columns(3)
    department = c1.selectbox(t("goals.form.department", lang), options.departments,
                              key="goal_new_department")
    team = c2.selectbox(t("goals.form.team", lang), [None, *options.teams[department]],
                        format_func=lambda v: any_label if v is None else v,
                        key="goal_new_team")
    role = c3.selectbox(t("goals.form.role", lang), [None, *options.roles[department]],
                        format_func=lambda v: any_label if v is None else v,
                        key="goal_new_role")
    c1, c2, c3, c4 = st.columns(4)
    metric = GoalMetric(c1.selectbox(t("goals.form.metric", lang), [m.value for m in GoalMetric],
                                     format_func=lambda m: t(f"goals.metric.{m}", lang),
                                     key="goal_new_metric"))
    starts = list(choices.starts)
    start = c2.selectbox(t("goals.form.start", lang), starts,
                         index=starts.index(choices.default_start)
                         if choices.default_start in starts else len(starts) - 1,
                         format_func=lambda m: fmt_month(m, lang),
                         key="goal_new_start", help=t("goals.form.start_help", lang))
    months = c3.number_input(t("goals.form.months", lang), min_value=1,
                             max_value=MAX_HORIZON_MONTHS, value=DEFAULT_HORIZON_MONTHS, step=1,
                             key="goal_new_months")
    pct = c4.number_input(t("goals.form.target_pct", lang), min_value=1, max_value=1000,
                          value=int(DEFAULT_TARGET_PCT), step=1, key="goal_new_pct")
    scope = GoalScope(department=department, team=team, role=role)
    suggested = default_goal_name(metric, scope.label(), pct, int(months), lang)
    name = st.text_input(t("goals.form.name", lang), key="goal_new_name", placeholder=suggested,
                         help=t("goals.form.name_help", lang))
    c1, c2 = st.columns([1, 2])
    owner = c1.text_input(t("goals.owner", lang), key="goal_new_owner")
    note = c2.text_input(t("goals.note", lang), key="goal_new_note")
    draft = GoalDraft(name=name.strip() or suggested, scope=scope, metric=metric, start=start,
                      horizon_months=int(months), target_pct=pct, owner=owner, note=note)
    savable = _preview(ctx, draft, choices)
    if st.button(t("goals.form.save", lang), type="primary", key="goal_new_save",
                 icon=":material/add_task:", disabled=not savable):
        goal = add_goal(ctx.conn, draft, actor=ctx.user.username, figures=choices.figures)
        st.session_state.pop("goal_new_name", None)
        _flash(t("goals.form.saved", lang, name=goal_name(goal, lang)))


def archived_goals(ctx: PageContext, archived: tuple[Goal, ...] | None) -> None:
    """For leads: the archived goals, folded, with who archived them when."""
    if not archived:
        return
    lang = ctx.lang
    with st.expander(t("goals.archived.title", lang, n=len(archived)),
                     icon=":material/inventory_2:"):
        st.dataframe(pd.DataFrame([
            {t("goals.archived.name", lang): g.name,
             t("goals.archived.scope", lang): g.scope.label(),
             t("goals.archived.by", lang): g.archived_by,
             t("goals.archived.at", lang): fmt_datetime(g.archived_at, lang)}
            for g in archived
        ]), hide_index=True, width="stretch")
