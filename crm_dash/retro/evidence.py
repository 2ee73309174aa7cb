"""What the data says about a checklist item, and the status it suggests.

One function per item takes the :class:`EvidenceInputs` of the retrospective's month (the latest
complete month of the usage data at the retrospective's date, :func:`evidence_month`) and
returns an :class:`~crm_dash.retro.model.Evidence`: the figures, a suggested status and the rule
behind it. The inputs read each shared part (the person-months, the training summary, the
pipeline summary, the privacy minimum) once, when the first item asks for it, so every item of
one month reads the same data.

The thresholds are the named constants below (documented in docs/retrospective.md). Where
there is no data to go by, or fewer than 5 people behind a share (privacy), the evidence says so
and suggests nothing: a missing suggestion is better than a wrong one.

Figures come from the metrics the other pages show (adoption person-months, training summary,
pipeline summary, goal reports), so the retrospective and the pages cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import cached_property, partial

import duckdb
import pandas as pd

from crm_dash.audience import Audience, published
from crm_dash.goals.present import state_of
from crm_dash.goals.store import list_goals
from crm_dash.goals.tracker import goal_reports
from crm_dash.metrics.activity import data_version
from crm_dash.metrics.adoption import licensed, month_summary
from crm_dash.metrics.definitions import AdoptionDefinition, load_definition
from crm_dash.metrics.integration import integration_accounts
from crm_dash.metrics.pipeline import PipelineSummary, pipeline_summary
from crm_dash.metrics.segments import available_months, user_months
from crm_dash.metrics.training import WINDOW_MONTHS as TRAINING_WINDOW_MONTHS
from crm_dash.metrics.training import TrainingSummary, learner_records
from crm_dash.metrics.training import summarise as summarise_training
from crm_dash.months import add_months, first_of_month, last_day_of_month
from crm_dash.retro.model import Evidence, EvidenceValue, ItemStatus
from crm_dash.store import user_key_sql

DONE, IN_PROGRESS, OPEN = ItemStatus.DONE, ItemStatus.IN_PROGRESS, ItemStatus.OPEN
Values = dict[str, EvidenceValue]

#: training.regular: months with at least one session among the last 12 (done / in progress).
TRAININGS_DONE_MONTHS = 10
TRAININGS_IN_PROGRESS_MONTHS = 4
#: training.onboarding: share of the last 12 months' joiners trained within 30 days of starting.
ONBOARDING_DONE_SHARE = 0.9
ONBOARDING_IN_PROGRESS_SHARE = 0.5
#: training.everyone: share of licensed people with at least one training attended.
TRAINED_DONE_SHARE = 0.9
TRAINED_IN_PROGRESS_SHARE = 0.5
#: data_quality.pipeline_hygiene: the pipeline's hygiene score (0..100).
HYGIENE_DONE_SCORE = 80.0
HYGIENE_IN_PROGRESS_SCORE = 60.0
#: acceptance.productive_share: a productive share at which adoption counts as good, and the
#: change over :data:`TREND_MONTHS` months (in share points) that counts as rising or falling.
PRODUCTIVE_GOOD_SHARE = 0.5
TREND_MONTHS = 3
TREND_STEP = 0.01
#: integration.management_uses: share of management accounts that are sporadic or productive.
MANAGEMENT_DONE_SHARE = 0.8
MANAGEMENT_IN_PROGRESS_SHARE = 0.5
#: after_golive.idle_licences: share of licensed people who are barely or never using the CRM
#: (at most this for done / in progress).
IDLE_DONE_MAX_SHARE = 0.2
IDLE_IN_PROGRESS_MAX_SHARE = 0.5
#: data_quality.roster_complete: share of licensed people with a department and a start date.
ROSTER_DONE_SHARE = 0.95
ROSTER_IN_PROGRESS_SHARE = 0.8

#: Roles that mark a management account (lower case, RE2 syntax): managing directors, heads,
#: directors, board members, unit and team leads. Plain "manager" is left out on purpose: in
#: DACH rosters "Key Account Manager" or "Marketing Manager" are job titles, not management.
MANAGEMENT_ROLE_PATTERN = (
    r"gesch[äa]ftsf[üu]hr|leiter|leitung|vorstand|prokurist|direktor|director|\bhead\b"
    r"|\bvp\b|vice president|\bc[eftio]o\b|chief|general manager|managing"
)

#: Training kinds that count as a session of each kind of item.
SESSION_KINDS: dict[str, tuple[str, ...]] = {
    "training.kickoff": ("kickoff", "post_golive_kickoff"),
    "training.key_users": ("key_user",),
    "integration.roadshow": ("roadshow",),
}


def _no_data(item_id: str, month: date | None, reason: str, rule_key: str,
             rule_values: Values | None = None, values: Values | None = None) -> Evidence:
    return Evidence(item_id=item_id, month=month, has_data=False,
                    text_key=f"retro.nodata.{reason}", values=values or {},
                    suggested_status=None, rule_key=rule_key, rule_values=rule_values or {})


def _at_least(value: float, done: float, in_progress: float) -> ItemStatus:
    """Done at ``done`` or more, in progress at ``in_progress`` or more, else open."""
    if value >= done:
        return DONE
    return IN_PROGRESS if value >= in_progress else OPEN


def _at_most(value: float, done: float, in_progress: float) -> ItemStatus:
    """Done at ``done`` or less, in progress at ``in_progress`` or less, else open."""
    if value <= done:
        return DONE
    return IN_PROGRESS if value <= in_progress else OPEN


# --- the month and the shared inputs ------------------------------------------------------------


def evidence_month(conn: duckdb.DuckDBPyConnection, held_on: date) -> date:
    """The month the evidence of a retrospective held on ``held_on`` describes.

    The latest complete month of the usage data as of that day (as the adoption pages count it);
    without usage data, the calendar month before ``held_on``'s month (training and pipeline
    figures can still speak).
    """
    months = available_months(conn, load_definition(conn).definition, held_on)
    if months is None:
        return add_months(first_of_month(held_on), -1)
    return months[1]


def evidence_version(conn: duckdb.DuckDBPyConnection) -> str:
    """A cheap fingerprint of everything the evidence reads: the metrics' data version and the
    goals (created, changed, archived). Caches key on it."""
    row = conn.cursor().execute(
        "SELECT (SELECT count(*) FROM goals) || ':' || "
        "(SELECT coalesce(max(change_id), 0) FROM goal_changes)"
    ).fetchone()
    assert row is not None
    return f"{data_version(conn)}/{row[0]}"


class EvidenceInputs:
    """What the evidence of ``month`` reads from ``conn``, each part read once, when the first
    item asks for it (build one per month and hand it to every evidence function)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, month: date) -> None:
        self.conn = conn
        self.month = month

    @cached_property
    def audience(self) -> Audience:
        """Who reads the evidence: everyone alike, judged as for executives."""
        return published(self.conn)

    @cached_property
    def definition(self) -> AdoptionDefinition:
        return load_definition(self.conn).definition

    @cached_property
    def usage_months(self) -> tuple[date, date] | None:
        """First and last month of the usage data (``None`` without any)."""
        available = available_months(self.conn, self.definition, date.max - timedelta(days=1))
        if available is None:
            return None
        return available[0], available[2]

    @cached_property
    def wide_person_months(self) -> pd.DataFrame:
        """The person-months of the training window ending with ``month`` (one read serves the
        training figures and the usage evidence)."""
        return user_months(self.conn, self.definition,
                           add_months(self.month, 1 - TRAINING_WINDOW_MONTHS), self.month)

    @cached_property
    def person_months(self) -> pd.DataFrame:
        """The person-months the usage-based evidence reads: ``month`` and the
        :data:`TREND_MONTHS` months before it, as far as the usage data covers them (licensed
        people only). Empty when the usage data does not cover ``month``."""
        span = self.usage_months
        if span is None or not span[0] <= self.month <= span[1]:
            return pd.DataFrame()
        first = max(span[0], add_months(self.month, -TREND_MONTHS))
        wide = self.wide_person_months
        return licensed(wide[(wide["month"] >= first) & (wide["month"] <= self.month)])

    @cached_property
    def month_rows(self) -> pd.DataFrame:
        """The licensed person-months of ``month`` itself."""
        return _month_rows(self.person_months, self.month)

    @cached_property
    def training(self) -> TrainingSummary:
        """The training figures of ``month`` (everyone), as the Training page's tiles."""
        return summarise_training(self.wide_person_months, learner_records(self.conn),
                                  self.month)

    @cached_property
    def pipeline(self) -> PipelineSummary | None:
        """The pipeline's headline figures (``None`` without pipeline data)."""
        return pipeline_summary(self.conn)

    @cached_property
    def management(self) -> set[str]:
        """User keys of management accounts (:func:`management_keys`)."""
        return management_keys(self.conn)


def _month_rows(frame: pd.DataFrame, month: date) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[frame["month"] == month]


def _too_small(inputs: EvidenceInputs, item: str, rule_key: str, rule: Values,
               people: int) -> Evidence | None:
    """The "too few people to show" evidence when ``people`` is a group too small to show."""
    if not inputs.audience.scope_too_small(people):
        return None
    return _no_data(item, inputs.month, "small_group", rule_key, rule,
                    values={"min": inputs.audience.min_group})


# --- usage-based evidence -----------------------------------------------------------------------


def productive_trend(inputs: EvidenceInputs) -> Evidence:
    """acceptance.productive_share: the productive share in the month and its change over the
    :data:`TREND_MONTHS` months before.

    Done: at least :data:`PRODUCTIVE_GOOD_SHARE` and not falling; in progress: rising (by at
    least :data:`TREND_STEP`) below that level, or at that level but falling; open: below it and
    flat or falling. Without the earlier month in the data, only "done" at a good level is
    suggested.
    """
    item = "acceptance.productive_share"
    rule: Values = {"good_share": PRODUCTIVE_GOOD_SHARE, "months": TREND_MONTHS,
            "step_pp": TREND_STEP}
    rule_key = f"retro.rule.{item}"
    frame, month = inputs.person_months, inputs.month
    if inputs.month_rows.empty:
        return _no_data(item, month, "usage", rule_key, rule)
    summary = month_summary(frame, month)
    if small := _too_small(inputs, item, rule_key, rule, summary.licensed):
        return small
    share = summary.segments["productive"] / summary.licensed
    before_month = add_months(month, -TREND_MONTHS)
    before = month_summary(frame, before_month) if not _month_rows(
        frame, before_month).empty else None
    values: Values = {
        "productive": summary.segments["productive"], "licensed": summary.licensed,
        "productive_share": share, "before_month": before_month.isoformat(),
    }
    if before is None or inputs.audience.scope_too_small(before.licensed):
        return Evidence(item_id=item, month=month, has_data=True,
                        text_key=f"retro.evidence.{item}.no_trend", values=values,
                        suggested_status=productive_suggestion(share, None), rule_key=rule_key,
                        rule_values=rule)
    before_share = before.segments["productive"] / before.licensed
    change = share - before_share
    values |= {"before_share": before_share, "change_pp": change}
    return Evidence(item_id=item, month=month, has_data=True, text_key=f"retro.evidence.{item}",
                    values=values, suggested_status=productive_suggestion(share, change),
                    rule_key=rule_key, rule_values=rule)


def productive_suggestion(share: float, change: float | None) -> ItemStatus | None:
    """The status a productive share and its change (in share points, ``None``: unknown)
    suggest (see :func:`productive_trend`)."""
    good = share >= PRODUCTIVE_GOOD_SHARE
    if change is None:
        return DONE if good else None
    rising, falling = change >= TREND_STEP - 1e-12, change <= -TREND_STEP + 1e-12
    if good:
        return IN_PROGRESS if falling else DONE
    return IN_PROGRESS if rising else OPEN


_MANAGEMENT_SQL = """
WITH refs AS (
    SELECT {manager_key} AS manager_key, lower(trim(m.manager_id)) AS manager_text
    FROM users m WHERE nullif(trim(m.manager_id), '') IS NOT NULL
)
SELECT u.user_key
FROM users u
WHERE u.user_key IN (SELECT manager_key FROM refs)
   OR lower(trim(u.email)) IN (SELECT manager_text FROM refs)
   OR regexp_matches(lower(coalesce(u.role, '')), ?)
"""


def management_keys(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """User keys of management accounts: people who are someone's manager (``manager_id`` in
    the roster naming their id, in any of its forms, or their e-mail) or whose role matches
    :data:`MANAGEMENT_ROLE_PATTERN`."""
    sql = _MANAGEMENT_SQL.format(manager_key=user_key_sql("m.manager_id"))
    rows = conn.cursor().execute(sql, [MANAGEMENT_ROLE_PATTERN]).fetchall()
    return {str(r[0]) for r in rows}


def management_usage(inputs: EvidenceInputs) -> Evidence:
    """integration.management_uses: the share of licensed management accounts that are
    sporadic or productive in the month (done at :data:`MANAGEMENT_DONE_SHARE`, in progress at
    :data:`MANAGEMENT_IN_PROGRESS_SHARE`)."""
    item = "integration.management_uses"
    rule: Values = {"done_share": MANAGEMENT_DONE_SHARE,
                    "progress_share": MANAGEMENT_IN_PROGRESS_SHARE}
    rule_key = f"retro.rule.{item}"
    now, month = inputs.month_rows, inputs.month
    if now.empty:
        return _no_data(item, month, "usage", rule_key, rule)
    managers = now[now["user_key"].isin(inputs.management)]
    if managers.empty:
        return _no_data(item, month, "no_managers", rule_key, rule)
    if small := _too_small(inputs, item, rule_key, rule, len(managers)):
        return small
    using = int(managers["segment"].isin(["productive", "sporadic"]).sum())
    share = using / len(managers)
    return Evidence(item_id=item, month=month, has_data=True, text_key=f"retro.evidence.{item}",
                    values={"managers": len(managers), "using": using, "using_share": share},
                    suggested_status=_at_least(share, MANAGEMENT_DONE_SHARE,
                                               MANAGEMENT_IN_PROGRESS_SHARE),
                    rule_key=rule_key, rule_values=rule)


def idle_licences(inputs: EvidenceInputs) -> Evidence:
    """after_golive.idle_licences: the share of licensed people barely or never using the CRM
    in the month, and what their licences cost (done at most :data:`IDLE_DONE_MAX_SHARE`, in
    progress at most :data:`IDLE_IN_PROGRESS_MAX_SHARE`)."""
    item = "after_golive.idle_licences"
    rule: Values = {"done_share": IDLE_DONE_MAX_SHARE, "progress_share": IDLE_IN_PROGRESS_MAX_SHARE}
    rule_key = f"retro.rule.{item}"
    month = inputs.month
    if inputs.month_rows.empty:
        return _no_data(item, month, "usage", rule_key, rule)
    summary = month_summary(inputs.person_months, month)
    if small := _too_small(inputs, item, rule_key, rule, summary.licensed):
        return small
    idle = summary.segments["barely"] + summary.segments["never"]
    share = idle / summary.licensed
    values: Values = {
        "idle": idle, "licensed": summary.licensed, "idle_share": share}
    key = f"retro.evidence.{item}"
    if summary.cost_barely_never is not None:
        values["cost_money"] = summary.cost_barely_never
        key += ".cost"
    return Evidence(item_id=item, month=month, has_data=True, text_key=key, values=values,
                    suggested_status=_at_most(share, IDLE_DONE_MAX_SHARE,
                                              IDLE_IN_PROGRESS_MAX_SHARE),
                    rule_key=rule_key, rule_values=rule)


def roster_completeness(inputs: EvidenceInputs) -> Evidence:
    """data_quality.roster_complete: the share of people licensed in the month whose roster
    entry has a department and a start date (done at :data:`ROSTER_DONE_SHARE`, in progress at
    :data:`ROSTER_IN_PROGRESS_SHARE`)."""
    item = "data_quality.roster_complete"
    rule: Values = {"done_share": ROSTER_DONE_SHARE, "progress_share": ROSTER_IN_PROGRESS_SHARE}
    rule_key = f"retro.rule.{item}"
    now, month = inputs.month_rows, inputs.month
    if now.empty:
        return _no_data(item, month, "usage", rule_key, rule)
    has_department = now["department"].fillna("").astype(str).str.strip() != ""
    has_start = now["start_date"].notna()
    complete = int((has_department & has_start).sum())
    share = complete / len(now)
    return Evidence(item_id=item, month=month, has_data=True, text_key=f"retro.evidence.{item}",
                    values={"licensed": len(now), "complete": complete, "complete_share": share,
                            "no_department": int((~has_department).sum()),
                            "no_start": int((~has_start).sum())},
                    suggested_status=_at_least(share, ROSTER_DONE_SHARE,
                                               ROSTER_IN_PROGRESS_SHARE),
                    rule_key=rule_key, rule_values=rule)


def integration_flagged(inputs: EvidenceInputs) -> Evidence:
    """data_quality.integration_accounts: how many accounts are marked as integration accounts
    (roster flag, by hand or by rule). Done when at least one is; with none, nothing is
    suggested: a company may have none, and the data cannot tell."""
    item = "data_quality.integration_accounts"
    rule_key = f"retro.rule.{item}"
    month = inputs.month
    users = inputs.conn.cursor().execute("SELECT count(*) FROM users").fetchone()
    if users is None or not users[0]:
        return _no_data(item, month, "roster", rule_key)
    accounts = len(integration_accounts(inputs.conn, inputs.definition))
    if accounts == 0:
        return Evidence(item_id=item, month=month, has_data=True,
                        text_key=f"retro.evidence.{item}.none", values={},
                        suggested_status=None, rule_key=rule_key)
    return Evidence(item_id=item, month=month, has_data=True, text_key=f"retro.evidence.{item}",
                    values={"accounts": accounts}, suggested_status=DONE, rule_key=rule_key)


# --- training -----------------------------------------------------------------------------------


def trainings_regular(inputs: EvidenceInputs) -> Evidence:
    """training.regular: in how many of the 12 months ending with the month a training session
    took place (done at :data:`TRAININGS_DONE_MONTHS`, in progress at
    :data:`TRAININGS_IN_PROGRESS_MONTHS`)."""
    item = "training.regular"
    rule: Values = {"done_months": TRAININGS_DONE_MONTHS,
                    "progress_months": TRAININGS_IN_PROGRESS_MONTHS}
    rule_key = f"retro.rule.{item}"
    summary, month = inputs.training, inputs.month
    if summary.records == 0:
        return _no_data(item, month, "training", rule_key, rule)
    months = summary.months_with_sessions_last_12
    return Evidence(item_id=item, month=month, has_data=True, text_key=f"retro.evidence.{item}",
                    values={"months": months, "sessions": summary.sessions_last_12_months},
                    suggested_status=_at_least(months, TRAININGS_DONE_MONTHS,
                                               TRAININGS_IN_PROGRESS_MONTHS),
                    rule_key=rule_key, rule_values=rule)


def joiners_onboarded(inputs: EvidenceInputs) -> Evidence:
    """training.onboarding: the share of the joiners of the 12 months ending with the month
    (whose first 30 days have passed) who were trained within 30 days of their start (done at
    :data:`ONBOARDING_DONE_SHARE`, in progress at :data:`ONBOARDING_IN_PROGRESS_SHARE`)."""
    item = "training.onboarding"
    rule: Values = {"done_share": ONBOARDING_DONE_SHARE,
                    "progress_share": ONBOARDING_IN_PROGRESS_SHARE}
    rule_key = f"retro.rule.{item}"
    summary, month = inputs.training, inputs.month
    if summary.records == 0:
        return _no_data(item, month, "training", rule_key, rule)
    if summary.learners_unmatched:
        return _no_data(item, month, "learners_unmatched", rule_key, rule)
    if summary.joiners == 0:
        return _no_data(item, month, "no_joiners", rule_key, rule)
    if small := _too_small(inputs, item, rule_key, rule, summary.joiners):
        return small
    share = summary.onboarded_within_30_days / summary.joiners
    return Evidence(item_id=item, month=month, has_data=True, text_key=f"retro.evidence.{item}",
                    values={"joiners": summary.joiners,
                            "onboarded": summary.onboarded_within_30_days,
                            "onboarded_share": share},
                    suggested_status=_at_least(share, ONBOARDING_DONE_SHARE,
                                               ONBOARDING_IN_PROGRESS_SHARE),
                    rule_key=rule_key, rule_values=rule)


def trained_everyone(inputs: EvidenceInputs) -> Evidence:
    """training.everyone: the share of people licensed in the month who attended at least one
    training by its end (done at :data:`TRAINED_DONE_SHARE`, in progress at
    :data:`TRAINED_IN_PROGRESS_SHARE`)."""
    item = "training.everyone"
    rule: Values = {"done_share": TRAINED_DONE_SHARE, "progress_share": TRAINED_IN_PROGRESS_SHARE}
    rule_key = f"retro.rule.{item}"
    summary, month = inputs.training, inputs.month
    if summary.records == 0:
        return _no_data(item, month, "training", rule_key, rule)
    if summary.trained is None:
        return _no_data(item, month, "learners_unmatched", rule_key, rule)
    if small := _too_small(inputs, item, rule_key, rule, summary.licensed):
        return small
    share = summary.trained / summary.licensed
    return Evidence(item_id=item, month=month, has_data=True, text_key=f"retro.evidence.{item}",
                    values={"trained": summary.trained, "licensed": summary.licensed,
                            "trained_share": share},
                    suggested_status=_at_least(share, TRAINED_DONE_SHARE,
                                               TRAINED_IN_PROGRESS_SHARE),
                    rule_key=rule_key, rule_values=rule)


_SESSIONS_SQL = """
SELECT count(*) AS records,
       count(*) FILTER (WHERE nullif(trim(kind), '') IS NOT NULL) AS with_kind,
       count(DISTINCT (course, date)) FILTER (
           WHERE list_contains(?, kind)
             AND coalesce(status, 'attended') IN ('attended', 'completed')) AS sessions,
       max(date) FILTER (
           WHERE list_contains(?, kind)
             AND coalesce(status, 'attended') IN ('attended', 'completed')) AS last_date
FROM training_records
WHERE date <= ?
"""


def session_held(inputs: EvidenceInputs, item_id: str) -> Evidence:
    """training.kickoff, training.key_users, integration.roadshow: whether a session of the
    item's kinds (:data:`SESSION_KINDS`) took place by the end of the month (someone attended).

    Done when one did; open when the records give kinds but none of these; nothing suggested
    when no record gives a kind (the export may not carry it).
    """
    kinds, month = list(SESSION_KINDS[item_id]), inputs.month
    rule_key = f"retro.rule.{item_id}"
    row = inputs.conn.cursor().execute(_SESSIONS_SQL, [kinds, kinds, last_day_of_month(month)]
                                ).fetchone()
    assert row is not None
    records, with_kind, sessions, last_date = row
    if not records:
        return _no_data(item_id, month, "training", rule_key)
    if not with_kind:
        return _no_data(item_id, month, "no_kinds", rule_key)
    if not sessions:
        return Evidence(item_id=item_id, month=month, has_data=True,
                        text_key=f"retro.evidence.{item_id}.none", values={},
                        suggested_status=OPEN, rule_key=rule_key)
    return Evidence(item_id=item_id, month=month, has_data=True,
                    text_key=f"retro.evidence.{item_id}",
                    values={"sessions": int(sessions), "last_date": last_date.isoformat()},
                    suggested_status=DONE, rule_key=rule_key)


# --- goals and pipeline -------------------------------------------------------------------------

#: Goal states from best to worst, and the status each suggests.
GOAL_STATE_RANK: tuple[str, ...] = (
    "achieved", "on_track", "behind", "no_data", "suppressed", "at_risk", "missed",
)
GOAL_STATE_SUGGESTS: dict[str, ItemStatus] = {
    "achieved": DONE, "on_track": DONE, "behind": IN_PROGRESS, "no_data": IN_PROGRESS,
    "suppressed": IN_PROGRESS, "at_risk": OPEN, "missed": OPEN,
}


def goal_status(inputs: EvidenceInputs) -> Evidence:
    """goal.time_bound: whether a goal runs in the month (set, started by the month after, its
    deadline not before the month) and where the best of them stands.

    Done when one is achieved or on track; in progress when the best is behind (or has no
    complete month yet, or a scope too small to show); open when every one is at risk or missed,
    or no goal runs.
    """
    item = "goal.time_bound"
    rule_key = f"retro.rule.{item}"
    conn, month = inputs.conn, inputs.month
    rule: Values = {"min": inputs.audience.min_group}
    goals = [g for g in list_goals(conn) if g.start <= add_months(month, 1)
             and g.deadline >= month]
    if not goals:
        return Evidence(item_id=item, month=month, has_data=True,
                        text_key=f"retro.evidence.{item}.none", values={},
                        suggested_status=OPEN, rule_key=rule_key, rule_values=rule)
    today = last_day_of_month(month) + timedelta(days=1)
    reports = goal_reports(conn, goals, as_of=month, today=today)
    states = [(state_of(r.progress), r.goal.name) for r in reports]
    best_state, best_name = min(states, key=lambda s: GOAL_STATE_RANK.index(s[0]))
    return Evidence(item_id=item, month=month, has_data=True, text_key=f"retro.evidence.{item}",
                    values={"goals": len(goals), "name": best_name, "goal_state": best_state,
                            "min": rule["min"]},
                    suggested_status=GOAL_STATE_SUGGESTS[best_state], rule_key=rule_key,
                    rule_values=rule)


def pipeline_hygiene(inputs: EvidenceInputs) -> Evidence:
    """data_quality.pipeline_hygiene: the hygiene score (0..100) of the open opportunities of
    the latest pipeline snapshot, as of its own date (done at :data:`HYGIENE_DONE_SCORE`, in
    progress at :data:`HYGIENE_IN_PROGRESS_SCORE`)."""
    item = "data_quality.pipeline_hygiene"
    rule: Values = {"done_score": HYGIENE_DONE_SCORE, "progress_score": HYGIENE_IN_PROGRESS_SCORE}
    rule_key = f"retro.rule.{item}"
    summary, month = inputs.pipeline, inputs.month
    if summary is None:
        return _no_data(item, month, "pipeline", rule_key, rule)
    if "hygiene_score" in summary.unknown:
        return _no_data(item, month, "pipeline_fields", rule_key, rule)
    if summary.open == 0 or summary.hygiene_score is None:
        return _no_data(item, month, "no_open", rule_key, rule)
    score = summary.hygiene_score
    return Evidence(item_id=item, month=month, has_data=True, text_key=f"retro.evidence.{item}",
                    values={"score": round(score, 1), "open": summary.open,
                            "as_of_date": summary.as_of.isoformat(),
                            "next_step_share": summary.open_with_next_step_share,
                            "overdue_share": summary.open_overdue_share,
                            "stale_share": summary.open_stale_30d_share},
                    suggested_status=_at_least(score, HYGIENE_DONE_SCORE,
                                               HYGIENE_IN_PROGRESS_SCORE),
                    rule_key=rule_key, rule_values=rule)


# --- all of it ----------------------------------------------------------------------------------

EvidenceFunction = Callable[[EvidenceInputs], Evidence]

#: The evidence function of every item the data can speak to.
EVIDENCE: dict[str, EvidenceFunction] = {
    "integration.management_uses": management_usage,
    "integration.roadshow": partial(session_held, item_id="integration.roadshow"),
    "goal.time_bound": goal_status,
    "training.kickoff": partial(session_held, item_id="training.kickoff"),
    "training.regular": trainings_regular,
    "training.everyone": trained_everyone,
    "training.key_users": partial(session_held, item_id="training.key_users"),
    "training.onboarding": joiners_onboarded,
    "acceptance.productive_share": productive_trend,
    "after_golive.idle_licences": idle_licences,
    "data_quality.pipeline_hygiene": pipeline_hygiene,
    "data_quality.roster_complete": roster_completeness,
    "data_quality.integration_accounts": integration_flagged,
}


def evidence_for(conn: duckdb.DuckDBPyConnection, month: date) -> dict[str, Evidence]:
    """The evidence of every item the data can speak to, for ``month``: one
    :class:`EvidenceInputs` serves them all, so each shared input is read once."""
    inputs = EvidenceInputs(conn, month)
    return {item: function(inputs) for item, function in EVIDENCE.items()}
