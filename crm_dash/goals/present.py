"""A goal's figures as the texts people read, in German or English, with the privacy rule applied.

The page and the one-page report both render from :func:`goal_view`, so they always say the same,
and neither can forget to show "<5" for a scope of fewer than 5 people.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from crm_dash.audience import Audience
from crm_dash.goals.math import GoalProgress
from crm_dash.goals.model import Goal, GoalMetric, GoalStatus
from crm_dash.goals.source import definition_record
from crm_dash.goals.tracker import GoalReport
from crm_dash.i18n import (
    LANGUAGES,
    Language,
    fmt_date,
    fmt_int,
    fmt_money_whole,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_signed,
    t,
)

#: Badge colours per state (Streamlit's palette names; the report maps them to hex).
STATE_COLOURS: dict[str, str] = {
    "achieved": "green", "on_track": "blue", "behind": "orange", "at_risk": "red",
    "missed": "red", "no_data": "gray", "suppressed": "gray",
}
STATE_ICONS: dict[str, str] = {
    "achieved": ":material/verified:", "on_track": ":material/trending_up:",
    "behind": ":material/schedule:", "at_risk": ":material/warning:",
    "missed": ":material/flag:", "no_data": ":material/hourglass_empty:",
    "suppressed": ":material/visibility_off:",
}


def fmt_value(value: float | None, metric: GoalMetric, lang: Language) -> str:
    """A value of the goal's metric: whole people (one decimal when fractional) or a percentage."""
    if metric.is_count:
        return fmt_number(value, lang, 1)
    return fmt_percent(value, lang, 1)


def fmt_gain(value: float | None, metric: GoalMetric, lang: Language) -> str:
    """A monthly gain: ``+1,4`` people, or ``+0.8`` percentage points for a share."""
    if value is None:
        return "–"
    if value == 0:
        return "0"
    if metric.is_count:
        return fmt_signed(value, lang, 1)
    return fmt_signed(value * 100, lang, 1) + "\u00a0" + t("goals.unit.pp", lang)


def state_of(progress: GoalProgress) -> str:
    """The key of what the badge says: a status, ``missed``, ``no_data`` or ``suppressed``."""
    if progress.suppressed:
        return "suppressed"
    if progress.status is None:
        return "no_data"
    if progress.months_left == 0 and progress.status is not GoalStatus.ACHIEVED:
        return "missed"
    return progress.status.value


@dataclass(frozen=True)
class GoalView:
    """Everything a reader sees about one goal, as texts."""

    name: str
    scope: str
    metric: str
    state: str  # achieved, on_track, behind, at_risk, missed, no_data, suppressed
    state_label: str
    state_help: str
    colour: str
    period: str
    baseline: str
    baseline_help: str
    target: str
    target_help: str
    actual: str
    actual_label: str
    expected: str
    expected_help: str
    forecast: str
    forecast_label: str
    forecast_help: str
    needed: str
    needed_label: str
    needed_help: str
    months_left: str
    gap: str
    gap_help: str
    idle_value: str | None  # licence cost (or number) of barely and never users in scope
    idle_text: str | None  # the same in a sentence
    progress: float  # 0..1 of the way from baseline to target
    progress_text: str
    definition: str
    definition_changed: str | None
    owner: str | None
    note: str | None
    suppressed: bool
    has_data: bool


def definition_text(definition: dict[str, object], lang: Language) -> str:
    """The segment definition a figure was measured with, in one sentence."""
    if not definition:
        return t("goals.definition.unknown", lang)
    actions = definition.get("write_actions") or ["create", "update"]
    action_list = actions if isinstance(actions, list) else [str(actions)]
    return t(
        "goals.definition.text", lang,
        days=definition.get("productive_min_active_days", "?"),
        writes=definition.get("productive_min_writes", "?"),
        actions=", ".join(t(f"goals.action.{a}", lang) for a in action_list),
        tz=definition.get("time_zone", "?"),
    )


def goal_view(report: GoalReport, lang: Language) -> GoalView:
    """The texts for ``report``; figures of a scope under 5 people are "<5"."""
    goal, p = report.goal, report.progress
    metric = goal.metric
    hidden = p.suppressed
    marker = report.audience.hidden
    state = state_of(p)

    def show(value: float | None) -> str:
        return marker if hidden else fmt_value(value, metric, lang)

    metric_name = t(f"goals.metric.{metric.value}", lang)
    baseline_month = fmt_month(goal.baseline_month, lang)
    evaluated = fmt_month(p.evaluated_month, lang)
    final = p.months_left == 0 and p.has_data
    idle_value = idle_text = None
    if report.idle is not None:
        people = fmt_int(report.idle.people, lang)
        licensed = fmt_int(report.idle.licensed, lang)
        if hidden or report.audience.scope_too_small(report.idle.licensed):
            idle_value = idle_text = marker
        elif report.idle.monthly_cost is not None:
            cost = fmt_money_whole(report.idle.monthly_cost, lang, report.idle.currency)
            idle_value = cost
            idle_text = t("goals.idle.with_cost", lang, people=people, licensed=licensed,
                          cost=cost, month=evaluated)
        else:
            idle_value = t("goals.idle.people_value", lang, people=people)
            idle_text = t("goals.idle.without_cost", lang, people=people, licensed=licensed,
                          month=evaluated)
    if hidden:
        progress_text = t("goals.progress.suppressed", lang, **report.audience.words)
    elif p.has_data:
        progress_text = t("goals.progress.text", lang, baseline=show(goal.baseline),
                          actual=show(p.actual), target=show(goal.target))
    else:
        progress_text = t("goals.progress.no_data", lang, baseline=show(goal.baseline),
                          target=show(goal.target))
    changed = None
    if report.definition_changed:
        changed = t("goals.definition.changed", lang,
                    old=goal.definition.get("version", "?"), new=report.definition.version,
                    baseline=definition_text(goal.definition, lang))
    return GoalView(
        name=goal_name(goal, lang),
        scope=goal.scope.label(),
        metric=metric_name,
        state=state,
        state_label=t(f"goals.state.{state}", lang, **report.audience.words),
        state_help=t(f"goals.state_help.{state}", lang, **report.audience.words),
        colour=STATE_COLOURS[state],
        period=t("goals.period", lang, start=fmt_date(goal.start, lang),
                 deadline=fmt_date(goal.deadline, lang), months=goal.horizon_months),
        baseline=show(goal.baseline),
        baseline_help=t("goals.fig.baseline_help", lang, metric=metric_name,
                        month=baseline_month),
        target=show(goal.target),
        target_help=t(f"goals.fig.target_help.{metric.value}", lang,
                      pct=fmt_number(goal.target_pct, lang, 1)),
        actual=show(p.actual),
        actual_label=t("goals.fig.actual", lang, month=evaluated) if p.has_data
        else t("goals.fig.actual_none", lang),
        expected=show(p.expected),
        expected_help=t("goals.fig.expected_help", lang, k=p.months_elapsed, h=p.horizon),
        forecast=show(p.forecast),
        forecast_label=t("goals.fig.outcome" if final else "goals.fig.forecast", lang),
        forecast_help=t("goals.fig.outcome_help" if final else "goals.fig.forecast_help", lang,
                        deadline=fmt_date(goal.deadline, lang)),
        needed=marker if hidden else fmt_gain(p.needed_per_month, metric, lang),
        needed_label=t(f"goals.fig.needed.{metric.value}", lang),
        needed_help=t("goals.fig.needed_help", lang, unit=t(
            "goals.unit.people" if metric.is_count else "goals.unit.points", lang)),
        months_left=fmt_int(p.months_left, lang),
        gap=marker if hidden else (fmt_int(p.people_gap, lang) if p.people_gap is not None
                                       else "–"),
        gap_help=t("goals.fig.gap_help", lang, target=show(goal.target)),
        idle_value=idle_value,
        idle_text=idle_text,
        progress=0.0 if hidden else p.progress,
        progress_text=progress_text,
        definition=definition_text(definition_record(report.definition), lang),
        definition_changed=changed,
        owner=goal.owner,
        note=goal.note,
        suppressed=hidden,
        has_data=p.has_data,
    )


def default_goal_name(goal_metric: GoalMetric, scope: str, pct: float, months: int,
                      lang: Language) -> str:
    """``+20 % productive users in Vertrieb Süd within 9 months``."""
    return t(f"goals.form.default_name.{goal_metric.value}", lang,
             pct=fmt_number(pct, lang, 1), scope=scope, months=months)


def goal_name(goal: Goal, lang: Language) -> str:
    """The goal's name in ``lang``: a generated name (one equal to what the generator wrote in
    either language when the goal was set) is built anew in the reader's language; a name a lead
    typed is shown as typed."""
    generated = {default_goal_name(goal.metric, goal.scope.label(), goal.target_pct,
                                   goal.horizon_months, language) for language in LANGUAGES}
    if goal.name in generated:
        return default_goal_name(goal.metric, goal.scope.label(), goal.target_pct,
                                 goal.horizon_months, lang)
    return goal.name


def goal_label(goal: Goal, lang: Language) -> str:
    """A goal in a selection list: ``#3 +20 % … (Vertrieb Süd)``."""
    return f"#{goal.id} {goal_name(goal, lang)} ({goal.scope.label()})"


def for_audience(report: GoalReport, audience: Audience, lang: Language) -> GoalReport:
    """The goal report as ``audience`` may read it: for executives, the owner a lead typed
    reads as a role instead of a name (:meth:`Audience.person_label`), and so do the accounts
    that set or archived the goal (the page shows those to leads only, but the report carries
    them)."""
    role = t("role.lead", lang)
    goal = report.goal
    labels = {field: audience.person_label(getattr(goal, field), role)
              for field in ("owner", "created_by", "archived_by")}
    update = {field: label for field, label in labels.items() if label != getattr(goal, field)}
    if update:
        report = replace(report, goal=goal.model_copy(update=update))
    if audience.sees_people or report.definition.changed_by is None:
        return report
    # who changed the adoption definition is an account's name too
    return replace(report, definition=replace(report.definition, changed_by=None))
