"""The Training page's data: who is trained, how regular the sessions are, onboarding,
no-shows, the (observational) effect and, for leads, who to invite next.

:func:`training_view` computes it all for one month and selection, with the audience applied:
departments, courses and onboarding groups too small for the audience read its hidden marker
(``<5``) in the tables and are left out of the charts, effect rows of small groups are left out,
and the invitation list (names, e-mails) is ``None`` for executives. Values are language-neutral
(numbers, dates, the metrics' keys); :mod:`crm_dash.ui.training_sections` words and draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd

from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.metrics import training
from crm_dash.metrics.gaps import FieldGap, field_gaps
from crm_dash.months import add_months
from crm_dash.views import data
from crm_dash.views.filters import Filters
from crm_dash.views.people import people_rows
from crm_dash.views.snapshot import Snapshot, per_version
from crm_dash.views.tables import GroupTable

#: The group of people without a department, in tables and charts.
NO_DEPARTMENT = "–"

#: How the onboarding tile reads: hidden (too few joiners for the audience), unknown (no start
#: dates, or no learner on the roster), nobody joined, or the share.
OnboardingState = Literal["hidden", "unknown", "no_joiners", "shown"]


@dataclass(frozen=True)
class Tiles:
    """The four headline figures and why any of them is unknown.

    ``trained`` and ``trained_share`` are ``None`` when no learner of the records is on the
    roster (``learners_unmatched``); the onboarding figures are ``None`` unless ``onboarding``
    is ``shown``; ``no_shows`` is ``None`` when the records carry no status. ``gaps``: the
    missing fields behind unknown figures (the roster's start date, the records' status).
    """

    licensed: int
    trained: int | None
    trained_share: float | None
    learners_unmatched: bool
    records: int
    sessions: int
    months_with_sessions: int
    onboarding: OnboardingState
    joiners: int | None
    onboarded: int | None
    onboarded_share: float | None
    no_shows: int | None
    invitations: int
    no_show_share: float | None
    gaps: tuple[FieldGap, ...]


@dataclass(frozen=True)
class Departments:
    """Trained share per department.

    ``state``: ``unknown`` (no learner on the roster), ``none`` (no department), ``shown``.
    ``chart``: the departments the audience may see alone (group, licensed, trained, share),
    ``None`` when that is none of them; ``table``: every department, hidden ones marked;
    ``note``: say that small groups are marked (executives).
    """

    state: Literal["unknown", "none", "shown"]
    chart: GroupTable | None = None
    table: GroupTable | None = None
    note: bool = False


@dataclass(frozen=True)
class Sessions:
    """Sessions per month over the 12 months (month, sessions, invitations, no_shows; months
    without a session with 0) and invitations and no-shows per course (course, invitations,
    no_shows, share; courses with few invitations marked), ``None`` without invitations."""

    per_month: pd.DataFrame
    courses: GroupTable | None

    @property
    def months_held(self) -> int:
        return int((self.per_month["sessions"] > 0).sum())


@dataclass(frozen=True)
class Onboarding:
    """Joiners onboarded within 30 days per department (department, joiners, onboarded, share;
    departments with few joiners marked); ``None`` when nobody joined. ``start_gap``: why the
    roster has no start dates (then nothing is known)."""

    table: GroupTable | None
    start_gap: FieldGap | None


@dataclass(frozen=True)
class Unmatched:
    """Trained people left out of the effect for want of colleagues to compare with (counted
    per cohort), and the cohort with the most of them with their number, unless they are too
    few for the audience to be named as a group."""

    total: int
    most: tuple[date, int] | None


@dataclass(frozen=True)
class EffectMetric:
    """One metric of the effect comparison.

    ``table``: the pooled row first (cohort ``None``), then each cohort newest first; columns
    cohort, trained_people, comparison_people, trained_before, trained_after,
    comparison_before, comparison_after, difference, people (the smaller group); rows of groups
    too small for the audience are left out. ``chart``: the pooled figures as bars (period
    ``before``/``after``, group ``trained``/``comparison``, value, people), ``None`` when the
    pooled groups are too small to show.
    """

    metric: str
    table: GroupTable
    chart: GroupTable | None


@dataclass(frozen=True)
class Effect:
    """Before/after comparison of people trained in a month with colleagues without training.

    ``metrics``: one per :data:`crm_dash.metrics.training.EFFECT_METRICS`, empty when no cohort
    fits the data; ``pooled_people``: trained and comparison people of the pooled figures when
    the charts are shown; ``example``: the newest cohort shown, to spell the rule out with;
    ``small_note``: say that small groups are left out (executives).
    """

    metrics: tuple[EffectMetric, ...]
    pooled_people: tuple[int, int] | None
    example: date | None
    unmatched: Unmatched
    small_note: bool

    @property
    def empty(self) -> bool:
        return not self.metrics


@dataclass(frozen=True)
class Invitations:
    """Who to invite (:func:`crm_dash.metrics.training.invitation_list`, pseudonymised when the
    audience reads pseudonyms), out of ``licensed`` people of the month; with
    ``learners_unmatched`` nobody is known to be trained."""

    people: pd.DataFrame
    licensed: int
    learners_unmatched: bool


@dataclass(frozen=True)
class TrainingSections:
    """The sections of the page, top to bottom; ``invitations`` is ``None`` for an audience
    that sees no people."""

    tiles: Tiles
    departments: Departments
    sessions: Sessions
    onboarding: Onboarding
    effect: Effect
    invitations: Invitations | None


@dataclass(frozen=True)
class TrainingView:
    """What the Training page shows for one month and selection.

    ``state``: ``no_records`` (no training records uploaded: the page says what to upload),
    ``suppressed`` (the selection is too small for the audience: the page says so) or
    ``shown``, the only state with ``sections``. ``first``: the first of the 12 months ending
    with ``month``.
    """

    state: Literal["no_records", "suppressed", "shown"]
    month: date
    first: date
    sections: TrainingSections | None = None


def has_training_records(snap: Snapshot) -> bool:
    """Whether any training record is on file (the page asks before it offers filters)."""
    return not data.training_records(snap).empty


@per_version(max_entries=16)
def training_view(snap: Snapshot, filters: Filters, audience: Audience) -> TrainingView:
    """The Training page for the month ``filters.last`` and the people ``filters`` choose, as
    ``audience`` may see it."""
    month = filters.last
    first = add_months(month, 1 - training.WINDOW_MONTHS)
    records = data.training_records(snap)
    if records.empty:
        return TrainingView("no_records", month, first)
    adoption = data.adoption_data(snap)
    frame = filters.apply(adoption.frame)
    if audience.scope_too_small(len(training.licensed_in(frame, month))):
        return TrainingView("suppressed", month, first)
    scope = None if filters.everyone else training.scope_keys(frame)
    figures = training.training_figures(frame, records, month, scope, filters.department)
    gaps = {**field_gaps(snap.conn, DatasetKind.USERS, ["start_date"]),
            **field_gaps(snap.conn, DatasetKind.TRAINING, ["status"])}
    return TrainingView("shown", month, first, TrainingSections(
        tiles=_tiles(figures.summary, gaps, audience),
        departments=_departments(frame, records, month, audience),
        sessions=_sessions(figures.sessions, records, month, scope, audience),
        onboarding=_onboarding(figures.joiners, gaps.get("start_date"), audience),
        effect=_effect(training.training_effect(frame, records, month,
                                                adoption.first_month or month), audience),
        invitations=_invitations(snap, filters, audience, figures.summary.learners_unmatched)
        if audience.sees_people else None,
    ))


def _tiles(summary: training.TrainingSummary, gaps: dict[str, FieldGap],
           audience: Audience) -> Tiles:
    """Without start dates nobody is known to have joined; without a status nobody is known
    to have missed a session."""
    unknown = summary.learners_unmatched
    onboarding: OnboardingState
    if audience.too_small(summary.joiners):
        onboarding = "hidden"
    elif "start_date" in gaps or (unknown and summary.joiners):
        onboarding = "unknown"
    elif summary.joiners == 0:
        onboarding = "no_joiners"
    else:
        onboarding = "shown"
    shown = onboarding == "shown"
    return Tiles(
        licensed=summary.licensed, trained=summary.trained,
        trained_share=summary.trained_share, learners_unmatched=unknown,
        records=summary.records, sessions=summary.sessions_last_12_months,
        months_with_sessions=summary.months_with_sessions_last_12, onboarding=onboarding,
        joiners=summary.joiners if shown else None,
        onboarded=summary.onboarded_within_30_days if shown else None,
        onboarded_share=summary.onboarded_within_30_days_share if shown else None,
        no_shows=None if "status" in gaps else summary.no_shows_last_12_months,
        invitations=summary.invitations_last_12_months, no_show_share=summary.no_show_share,
        gaps=tuple(gaps.values()))


def _department(value: object) -> str:
    return value if isinstance(value, str) and value else NO_DEPARTMENT


def _departments(frame: pd.DataFrame, records: pd.DataFrame, month: date,
                 audience: Audience) -> Departments:
    if records["person_key"].isna().all():
        return Departments("unknown")
    shares = training.trained_by_department(frame, records, month)
    if shares.empty:
        return Departments("none")
    shares = shares.assign(group=shares["department"].map(_department))[
        ["group", "licensed", "trained", "share"]]
    chart = audience.keep(shares, "licensed")
    return Departments(
        "shown", chart=None if chart.empty else GroupTable(chart, "licensed"),
        table=GroupTable(audience.suppress(shares, "licensed", ["trained", "share"]),
                         "licensed"),
        note=audience.aggregates_only)


def _sessions(per_month: pd.DataFrame, records: pd.DataFrame, month: date,
              scope: set[str] | None, audience: Audience) -> Sessions:
    courses = training.no_shows_by_course(records, month, scope)
    return Sessions(per_month, None if courses.empty else GroupTable(
        audience.suppress(courses, "invitations", ["no_shows", "share"]), "invitations"))


def _onboarding(joined: pd.DataFrame, start_gap: FieldGap | None, audience: Audience
                ) -> Onboarding:
    if start_gap is not None or joined.empty:
        return Onboarding(None, start_gap)
    table = training.onboarding_by_department(joined)
    table["department"] = table["department"].map(_department)
    return Onboarding(GroupTable(audience.suppress(table, "joiners", ["onboarded", "share"]),
                                 "joiners"), None)


_EFFECT_COLUMNS = ["cohort", "trained_people", "comparison_people", "trained_before",
                   "trained_after", "comparison_before", "comparison_after", "difference",
                   "people"]


def effect_rows(effect: training.TrainingEffect, metric: str, audience: Audience
                ) -> pd.DataFrame:
    """One metric's comparison, the pooled row first (cohort ``None``), then each cohort
    (newest first), columns as :class:`EffectMetric`'s table. A row whose trained or
    comparison group is too small for ``audience`` reads its hidden marker in every column
    but the cohort (:func:`training_view` leaves such rows out)."""
    pooled = effect.pooled[effect.pooled["metric"] == metric].assign(cohort=None)
    cohorts = effect.cohorts[effect.cohorts["metric"] == metric].sort_values(
        "cohort", ascending=False)
    rows = pd.concat([pooled, cohorts], ignore_index=True)
    rows["cohort"] = [c if isinstance(c, date) else None for c in rows["cohort"]]
    rows["people"] = rows[["trained_people", "comparison_people"]].min(axis=1).astype(int)
    out = rows[_EFFECT_COLUMNS].astype(object)
    small = rows["people"].map(audience.scope_too_small).astype(bool)
    out.loc[small, _EFFECT_COLUMNS[1:]] = audience.hidden
    return out


def _pooled_chart(pooled: pd.DataFrame, metric: str) -> GroupTable:
    """The pooled figures of one metric as bars: before and after, trained and comparison."""
    figures = pooled[pooled["metric"] == metric].iloc[0]
    rows = [{"period": period, "group": group, "value": float(figures[f"{group}_{period}"]),
             "people": int(figures[f"{group}_people"])}
            for period in ("before", "after") for group in ("trained", "comparison")]
    return GroupTable(pd.DataFrame(rows), "people")


def unmatched(effect: training.TrainingEffect, audience: Audience) -> Unmatched:
    """The trained people left out of ``effect`` (see :class:`Unmatched`)."""
    per_cohort = effect.cohorts.drop_duplicates("cohort")
    counts: dict[date, int] = {c: int(n) for c, n in zip(per_cohort["cohort"],
                                                          per_cohort["unmatched"], strict=True)}
    total = sum(counts.values())
    if not total:
        return Unmatched(0, None)
    most = max(counts, key=lambda c: counts[c])
    return Unmatched(total, None if audience.scope_too_small(counts[most])
                     else (most, counts[most]))


def _too_small(row: pd.Series, audience: Audience) -> bool:
    return audience.scope_too_small(int(min(row["trained_people"], row["comparison_people"])))


def _effect(result: training.TrainingEffect, audience: Audience) -> Effect:
    if result.empty:
        return Effect((), None, None, Unmatched(0, None), audience.aggregates_only)
    pooled = result.pooled.iloc[0]
    chart_shown = not _too_small(pooled, audience)
    shown_cohorts = [row["cohort"] for _, row in result.cohorts.iterrows()
                     if not _too_small(row, audience)]
    metrics = []
    for metric in training.EFFECT_METRICS:
        rows = effect_rows(result, metric, audience)
        rows = rows[rows["trained_people"] != audience.hidden].reset_index(drop=True)
        metrics.append(EffectMetric(metric, GroupTable(rows, "people"),
                                    _pooled_chart(result.pooled, metric) if chart_shown
                                    else None))
    return Effect(
        tuple(metrics),
        (int(pooled["trained_people"]), int(pooled["comparison_people"])) if chart_shown
        else None,
        max(shown_cohorts) if shown_cohorts else None,
        unmatched(result, audience), audience.aggregates_only)


def _invitations(snap: Snapshot, filters: Filters, audience: Audience,
                 learners_unmatched: bool) -> Invitations:
    """From the People page's rows of the month (pseudonyms where the setting says so)."""
    people = people_rows(snap, filters, audience.pseudonyms)
    return Invitations(training.invitation_list(people), len(people), learners_unmatched)
