"""Training figures: who is trained, how regular the sessions are, onboarding, no-shows, effect.

Every figure is "as of" a calendar month M. Training records name a learner by id or by e-mail;
:data:`LEARNER_PERSONS_CTE` resolves them against the roster (the People page's "trained" uses the
same condition). People, departments and segments come from the person-months of
:func:`crm_dash.metrics.segments.user_months`, so the numbers agree with the Adoption and People
pages. Training tables are small (thousands of rows), so after one SQL query the figures are
computed in pandas together with the person-month frame.

The effect comparison is observational: people who choose to attend a training are often the
ones who would have used the CRM more anyway. It compares people trained in a month (and not in
the two months before) with people of the same department without training in the same months
and says so; it is no proof of an effect.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from pydantic import BaseModel

from crm_dash.metrics.adoption import filter_people, licensed
from crm_dash.metrics.definitions import load_definition
from crm_dash.metrics.segments import user_months
from crm_dash.months import add_months, last_day_of_month, month_range
from crm_dash.months import first_of_month as month_start

#: ``learner_persons(ref_key, user_key)``: which roster person a training record's learner key
#: names: by id (the join key: Salesforce ids cut to 15 characters) or by e-mail in any case
#: (keys of e-mails are lower-case). A CTE to join on ``r.user_key = ref_key``: an equality join
#: DuckDB hashes, where "id OR e-mail" in a join condition compares every record with every
#: person (seconds at 5,000 people and 40,000 records).
LEARNER_PERSONS_CTE = """learner_persons AS (
    SELECT user_key AS ref_key, user_key FROM users
    UNION
    SELECT lower(email), user_key FROM users WHERE email IS NOT NULL
)"""
#: The record ``r`` counts as taken part: attended or completed; without a status, attended.
TOOK_PART = "coalesce(r.status, 'attended') IN ('attended', 'completed')"

#: Statuses that count as having taken part (a missing status is read as ``attended``).
TOOK_PART_STATUSES: tuple[str, ...] = ("attended", "completed")
#: Statuses of an invitation that was due: taken part or not shown up (``registered`` is not).
INVITED_STATUSES: tuple[str, ...] = ("attended", "completed", "no_show")
#: How many days after the start date onboarding may happen.
ONBOARDING_DAYS = 30
#: Months of the sessions, joiners and no-shows windows (ending with the month M).
WINDOW_MONTHS = 12
#: The segments of the invitation list.
IDLE_SEGMENTS: tuple[str, ...] = ("barely", "never")
#: The columns of the invitation list.
INVITATION_COLUMNS: tuple[str, ...] = ("name", "email", "department", "team", "segment",
                                       "last_active")
#: The activity figures the effect comparison looks at.
EFFECT_METRICS: tuple[str, ...] = ("active_days", "writes")

# Each record once, with the roster person it names (NULL when it names nobody in the roster).
_RECORDS_SQL = f"""
WITH {LEARNER_PERSONS_CTE},
person_of AS (SELECT ref_key, min(user_key) AS user_key FROM learner_persons GROUP BY ref_key)
SELECT p.user_key AS person_key,
       r.course, r.date, r.kind, coalesce(r.status, 'attended') AS status
FROM training_records r
LEFT JOIN person_of p ON p.ref_key = r.user_key
ORDER BY r.date, r.course, person_key
"""  # noqa: S608 (constants only)

_RECORD_COLUMNS = ["person_key", "course", "date", "kind", "status"]


class TrainingSummary(BaseModel):
    """The headline training figures of one month (everyone, or one department)."""

    month: date
    department: str | None
    records: int  # training records on file dated up to the month's end, whoever the learner
    licensed: int
    trained: int | None  # None when no learner of the records is on the roster (unknown)
    trained_share: float | None
    sessions_last_12_months: int
    months_with_sessions_last_12: int
    joiners: int
    onboarded_within_30_days: int
    onboarded_within_30_days_share: float | None
    no_shows_last_12_months: int
    invitations_last_12_months: int
    no_show_share: float | None
    #: Learners of the records up to the month's end found in the roster; when records exist
    #: but this is 0, who is trained is unknown (the ids or e-mails do not meet the roster).
    learners_matched: int = 0
    learners: int = 0

    @property
    def learners_unmatched(self) -> bool:
        """Records name learners, and not one of them is on the roster."""
        return self.records > 0 and self.learners_matched == 0


@dataclass(frozen=True)
class TrainingEffect:
    """The before/after comparison of people trained in a month with colleagues without training.

    ``cohorts``: one row per cohort month and metric; ``pooled``: one row per metric. Columns:
    [cohort], metric, trained_people, comparison_people, trained_before, trained_after,
    trained_change, comparison_before, comparison_after, comparison_change, difference
    (trained change minus comparison change). ``cohorts`` also has ``unmatched``: trained
    people of the cohort left out because their department had nobody to compare with.
    """

    cohorts: pd.DataFrame
    pooled: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.cohorts.empty


def learner_records(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every training record with the roster person it names.

    Columns: person_key (``None`` when the learner is not in the roster), course, date (a
    ``date``), kind, status (a missing status reads ``attended``).
    """
    records = conn.cursor().execute(_RECORDS_SQL).df()
    if records.empty:
        return pd.DataFrame(columns=_RECORD_COLUMNS)
    records["date"] = pd.to_datetime(records["date"]).dt.date
    records["person_key"] = records["person_key"].astype(object).where(
        records["person_key"].notna(), None)
    return records[_RECORD_COLUMNS]


def months_of(dates: pd.Series) -> pd.Series:
    """The month (first day) of each date; records share their session dates, so each
    distinct date is converted once."""
    month_of = {d: month_start(d) for d in dates.unique()}
    return dates.map(month_of)


def first_trained(records: pd.DataFrame) -> pd.Series:
    """Per roster person (index: user_key), the date of their first attended or completed
    training, whenever it was."""
    took_part = records[records["status"].isin(TOOK_PART_STATUSES)
                        & records["person_key"].notna()]
    # As datetimes: pandas has no fast minimum of date objects (one Python call per person).
    days = pd.to_datetime(took_part["date"]).groupby(took_part["person_key"]).min()
    return days.dt.date.rename("first_trained").rename_axis("person_key")


def _window(month: date) -> tuple[date, date]:
    """First and last day of the 12 months ending with ``month``."""
    return add_months(month_start(month), 1 - WINDOW_MONTHS), last_day_of_month(month)


def _trained_by(keys: pd.Series, first: pd.Series, day: date) -> pd.Series:
    """Whether each person of ``keys`` took part in a training on or before ``day``."""
    return keys.map(first).map(lambda d: _on_or_before(d, day)).astype(bool)


def _on_or_before(value: object, day: date) -> bool:
    """Whether ``value`` is a date on or before ``day`` (a missing value is not)."""
    return isinstance(value, date) and not pd.isna(value) and value <= day


def licensed_in(frame: pd.DataFrame, month: date) -> pd.DataFrame:
    """The licensed person-months of ``month`` (integration accounts left out)."""
    return licensed(frame[frame["month"] == month_start(month)])


def trained_by_department(frame: pd.DataFrame, records: pd.DataFrame, month: date
                          ) -> pd.DataFrame:
    """Licensed and trained people of ``month`` per department (department ``None`` for people
    without one). Columns: department, licensed, trained, share."""
    people = licensed_in(frame, month)[["user_key", "department"]].copy()
    people["trained"] = _trained_by(people["user_key"], first_trained(records),
                                    last_day_of_month(month))
    grouped = people.groupby("department", dropna=False, sort=True).agg(
        licensed=("user_key", "size"), trained=("trained", "sum"))
    out = grouped.reset_index().astype({"licensed": "int64", "trained": "int64"})
    out["share"] = out["trained"] / out["licensed"]
    out["department"] = out["department"].astype(object).where(out["department"].notna(), None)
    return out[["department", "licensed", "trained", "share"]]


def _in_scope(records: pd.DataFrame, people: Collection[str] | None) -> pd.DataFrame:
    return records if people is None else records[records["person_key"].isin(list(people))]


def sessions_by_month(records: pd.DataFrame, month: date,
                      people: Collection[str] | None = None) -> pd.DataFrame:
    """Sessions, invitations and no-shows per month for the 12 months ending with ``month``.

    A session is one distinct (course, date) with at least one participant who attended or
    completed it. With ``people`` (user keys), only what those people took part in or were
    invited to; without, every record, also of learners not in the roster. Every month is
    present, months without a session with 0. Columns: month, sessions, invitations, no_shows.
    """
    first, last = _window(month)
    scoped = _in_scope(records, people)
    scoped = scoped[(scoped["date"] >= first) & (scoped["date"] <= last)]
    scoped = scoped.assign(month=months_of(scoped["date"]))
    took_part = scoped[scoped["status"].isin(TOOK_PART_STATUSES)]
    sessions = took_part.drop_duplicates(["course", "date"]).groupby("month").size()
    invited = scoped[scoped["status"].isin(INVITED_STATUSES)]
    invitations = invited.groupby("month").size()
    no_shows = invited[invited["status"] == "no_show"].groupby("month").size()
    months = month_range(first, month_start(month))
    return pd.DataFrame({
        "month": months,
        "sessions": [int(sessions.get(m, 0)) for m in months],
        "invitations": [int(invitations.get(m, 0)) for m in months],
        "no_shows": [int(no_shows.get(m, 0)) for m in months],
    })


def no_shows_by_course(records: pd.DataFrame, month: date,
                       people: Collection[str] | None = None) -> pd.DataFrame:
    """Invitations and no-shows per course over the 12 months ending with ``month``.

    Invitations: records attended, completed or no-show (``registered`` is not yet due).
    Columns: course, invitations, no_shows, share; most no-shows first.
    """
    first, last = _window(month)
    scoped = _in_scope(records, people)
    invited = scoped[(scoped["date"] >= first) & (scoped["date"] <= last)
                     & scoped["status"].isin(INVITED_STATUSES)]
    out = invited.assign(no_show=invited["status"] == "no_show").groupby("course").agg(
        invitations=("status", "size"), no_shows=("no_show", "sum")).reset_index()
    out = out.astype({"invitations": "int64", "no_shows": "int64"})
    out["share"] = out["no_shows"] / out["invitations"]
    return out.sort_values(["no_shows", "share", "course"], ascending=[False, False, True]
                           ).reset_index(drop=True)


def joiners(frame: pd.DataFrame, records: pd.DataFrame, month: date) -> pd.DataFrame:
    """The joiners as of ``month`` and whether each was onboarded within 30 days.

    Joiners: people of ``frame`` (integration accounts left out) whose start date lies in the
    12 months ending with ``month`` and whose 30 days have passed by its end (start date + 30
    days <= the month's last day); leavers among them count too. Onboarded: attended or
    completed a training on or before start date + 30 days (also before the start).
    ``frame`` must hold the months in which the joiners were licensed (for
    :func:`training_summary`, the 12 months ending with ``month``).
    Columns: user_key, department, start_date, deadline, first_trained, onboarded.
    """
    first, last = _window(month)
    rows = licensed(frame, ["user_key", "department", "start_date"])
    rows = rows[rows["start_date"].notna()]
    start = rows["start_date"]
    rows = rows[(start >= first) & (start <= last - timedelta(days=ONBOARDING_DAYS))]
    out = rows[["user_key", "department", "start_date"]].drop_duplicates("user_key").copy()
    out["deadline"] = out["start_date"] + timedelta(days=ONBOARDING_DAYS)
    out["first_trained"] = out["user_key"].map(first_trained(records))
    out["onboarded"] = [_on_or_before(d, deadline)
                        for d, deadline in zip(out["first_trained"], out["deadline"], strict=True)]
    out["onboarded"] = out["onboarded"].astype(bool)
    return out.sort_values(["start_date", "user_key"]).reset_index(drop=True)


def onboarding_by_department(joined: pd.DataFrame) -> pd.DataFrame:
    """Joiners and onboarded joiners per department (from :func:`joiners`).

    Columns: department, joiners, onboarded, share.
    """
    grouped = joined.groupby("department", dropna=False, sort=True).agg(
        joiners=("user_key", "size"), onboarded=("onboarded", "sum"))
    out = grouped.reset_index().astype({"joiners": "int64", "onboarded": "int64"})
    out["share"] = out["onboarded"] / out["joiners"]
    out["department"] = out["department"].astype(object).where(out["department"].notna(), None)
    return out[["department", "joiners", "onboarded", "share"]]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class TrainingFigures:
    """The headline figures and the tables they are counted from (the page shows both)."""

    summary: TrainingSummary
    sessions: pd.DataFrame  # :func:`sessions_by_month`
    joiners: pd.DataFrame  # :func:`joiners`


def summarise(frame: pd.DataFrame, records: pd.DataFrame, month: date,
              people: Collection[str] | None = None, department: str | None = None
              ) -> TrainingSummary:
    """The headline figures of ``month`` for the people in ``frame``.

    ``people`` limits sessions and no-shows to what those user keys took part in or were
    invited to (``None``: every record); pass it whenever ``frame`` is filtered.
    """
    return training_figures(frame, records, month, people, department).summary


def training_figures(frame: pd.DataFrame, records: pd.DataFrame, month: date,
                     people: Collection[str] | None = None, department: str | None = None
                     ) -> TrainingFigures:
    """:func:`summarise`, with the sessions per month and the joiners it counted."""
    month = month_start(month)
    end = last_day_of_month(month)
    now = licensed_in(frame, month)
    due = records[records["date"] <= end]
    matched = int(due["person_key"].notna().sum())
    unknown = len(due) > 0 and matched == 0  # nobody of the records is on the roster
    trained = int(_trained_by(now["user_key"], first_trained(records), end).sum())
    sessions = sessions_by_month(records, month, people)
    joined = joiners(frame, records, month)
    onboarded = int(joined["onboarded"].sum())
    no_shows, invitations = int(sessions["no_shows"].sum()), int(sessions["invitations"].sum())
    summary = TrainingSummary(
        month=month,
        department=department,
        records=len(due),
        licensed=len(now),
        trained=None if unknown else trained,
        trained_share=None if unknown else _share(trained, len(now)),
        sessions_last_12_months=int(sessions["sessions"].sum()),
        months_with_sessions_last_12=int((sessions["sessions"] > 0).sum()),
        joiners=len(joined),
        onboarded_within_30_days=onboarded,
        onboarded_within_30_days_share=None if unknown else _share(onboarded, len(joined)),
        no_shows_last_12_months=no_shows,
        invitations_last_12_months=invitations,
        no_show_share=_share(no_shows, invitations),
        learners_matched=matched, learners=len(due),
    )
    return TrainingFigures(summary=summary, sessions=sessions, joiners=joined)


def scope_keys(frame: pd.DataFrame) -> set[str]:
    """The people (user keys, integration accounts left out) of a filtered person-month frame:
    the ``people`` argument of the session and no-show figures."""
    return set(licensed(frame, ["user_key"])["user_key"])


def training_summary(
    conn: duckdb.DuckDBPyConnection, month: date, department: str | None = None
) -> TrainingSummary:
    """The training figures of ``month`` (everyone, or one department), as the page shows them.

    Used by the Training page's tiles, the retrospective's evidence and ``crm-dash report``.
    """
    month = month_start(month)
    definition = load_definition(conn).definition
    frame = user_months(conn, definition, add_months(month, 1 - WINDOW_MONTHS), month)
    frame = filter_people(frame, department=department)
    people = None if department is None else scope_keys(frame)
    return summarise(frame, learner_records(conn), month, people, department)


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 4)


def training_report(
    conn: duckdb.DuckDBPyConnection, month: date, department: str | None = None
) -> dict[str, Any]:
    """``{"trained_share", "sessions_last_12_months", "onboarded_within_30_days_share",
    "unknown"}`` of ``month`` for ``crm-dash report``: shares rounded to 4 decimals; ``None``
    when unknown (no records, no learner on the roster, nobody to count), and ``unknown`` says
    why per figure, in English."""
    summary = training_summary(conn, month, department)
    report: dict[str, Any] = {
        "trained_share": _rounded(summary.trained_share),
        "sessions_last_12_months": summary.sessions_last_12_months,
        "onboarded_within_30_days_share": _rounded(summary.onboarded_within_30_days_share),
    }
    unknown: dict[str, str] = {}
    if summary.records == 0:
        unknown = dict.fromkeys(report, "No training records up to this month have been"
                                " uploaded.")
        report = dict.fromkeys(report)
    elif summary.learners_unmatched:
        reason = (f"None of the learners of the {summary.records} training records is on the"
                  " roster (matched by id or e-mail), so who is trained is unknown.")
        unknown = {"trained_share": reason, "onboarded_within_30_days_share": reason}
    else:
        if summary.trained_share is None:
            unknown["trained_share"] = "Nobody is licensed in this group in this month."
        if summary.onboarded_within_30_days_share is None:
            unknown["onboarded_within_30_days_share"] = "Nobody joined in the last 12 months."
    return {**report, "unknown": unknown}


# --- The effect comparison ------------------------------------------------------------------

_BEFORE, _AFTER = (-2, -1), (1, 2)
_WINDOW = range(-2, 3)  # C-2 .. C+2
_EFFECT_COLUMNS = ["metric", "trained_people", "comparison_people", "trained_before",
                   "trained_after", "trained_change", "comparison_before", "comparison_after",
                   "comparison_change", "difference"]


def training_months(records: pd.DataFrame) -> dict[str, frozenset[date]]:
    """Per roster person (user key), the months (first days) with at least one attended or
    completed training: the cohorts of the effect comparison are formed from these."""
    took_part = records[records["status"].isin(TOOK_PART_STATUSES)
                        & records["person_key"].notna()]
    pairs = pd.DataFrame({"key": took_part["person_key"].astype(str),
                          "month": months_of(took_part["date"])}).drop_duplicates()
    found: dict[str, set[date]] = {}
    for key, month in zip(pairs["key"], pairs["month"], strict=True):
        found.setdefault(key, set()).add(month)
    return {key: frozenset(months) for key, months in found.items()}


def effect_window(cohort: date) -> tuple[date, date]:
    """First and last month of a cohort's window C-2 .. C+2: the months in which its
    comparison group has no training and both groups are licensed."""
    cohort = month_start(cohort)
    return add_months(cohort, _WINDOW[0]), add_months(cohort, _WINDOW[-1])


@dataclass(frozen=True)
class _Grid:
    """The licensed person-months of the comparison as person x month arrays: a cohort's
    window is then a slice of columns instead of a filter over every row."""

    keys: np.ndarray  # user key per row
    months: list[date]  # month per column
    present: np.ndarray  # bool: licensed (not an integration account) in the month
    departments: np.ndarray  # department in the month ("" for none)
    metrics: dict[str, np.ndarray]  # each effect metric (NaN where not present)
    took_part: np.ndarray  # bool: an attended or completed training in the month


def _grid(rows: pd.DataFrame, trained_in: dict[str, frozenset[date]], months: list[date]
          ) -> _Grid:
    keys = pd.Index(rows["user_key"].astype(object).unique())
    column_of = {m: i for i, m in enumerate(months)}
    r = keys.get_indexer(rows["user_key"].astype(object))
    c = rows["month"].map(column_of).to_numpy(dtype=int)
    shape = (len(keys), len(months))
    present = np.zeros(shape, dtype=bool)
    present[r, c] = True
    departments = np.full(shape, "", dtype=object)
    departments[r, c] = rows["department"].fillna("").astype(object).to_numpy()
    metrics = {}
    for metric in EFFECT_METRICS:
        values = np.full(shape, np.nan)
        values[r, c] = rows[metric].to_numpy(dtype=float)
        metrics[metric] = values
    took_part = np.zeros(shape, dtype=bool)
    row_of = {key: i for i, key in enumerate(keys)}
    for key, taken in trained_in.items():
        i = row_of.get(key)
        if i is not None:
            took_part[i, [column_of[m] for m in taken if m in column_of]] = True
    return _Grid(keys.to_numpy(dtype=object), months, present, departments, metrics, took_part)


@dataclass(frozen=True)
class _Cohort:
    """Who is compared in one cohort month (masks over the grid's rows)."""

    month: date
    trained: np.ndarray  # trained in C, none in C-2/C-1; department matched
    compared: np.ndarray  # no training in C-2 .. C+2; department matched
    department: np.ndarray  # each person's department in the window's first month
    weights: pd.Series  # trained people per matched department
    unmatched: int  # trained people whose department has nobody to compare with


def _cohort(grid: _Grid, cohort: date) -> _Cohort:
    at = grid.months.index(cohort)
    window = slice(at + _WINDOW[0], at + _WINDOW[-1] + 1)
    # Balanced: only people licensed (not integration) in all five months C-2 .. C+2.
    steady = grid.present[:, window].all(axis=1)
    took_part = grid.took_part
    # Trained: a training in C and none in C-2, C-1 (later ones, in C+1 or C+2, may follow).
    trained = steady & took_part[:, at] & ~took_part[:, at - 2] & ~took_part[:, at - 1]
    # Comparison: no training anywhere in C-2 .. C+2 (one long before or after may exist).
    untrained = steady & ~took_part[:, window].any(axis=1)
    department = grid.departments[:, window.start]
    matched = list(set(department[trained]) & set(department[untrained]))
    in_matched = np.isin(department, matched)
    weights = pd.Series(department[trained & in_matched]).value_counts()
    return _Cohort(month=cohort, trained=trained & in_matched, compared=untrained & in_matched,
                   department=department, weights=weights,
                   unmatched=int(trained.sum() - (trained & in_matched).sum()))


def _group_means(group: _Cohort, members: np.ndarray, means: dict[str, np.ndarray]
                 ) -> dict[str, float]:
    """Per figure of ``means`` (one value per grid row): the mean per department of
    ``members``, weighted by the cohort's trained people per department."""
    departments, code = np.unique(group.department[members], return_inverse=True)
    weights = group.weights.reindex(departments).fillna(0).to_numpy(dtype=float)
    out = {}
    for name, column in means.items():
        values = column[members]
        known = ~np.isnan(values)  # a mean per department skips missing values
        sums = np.bincount(code, weights=np.where(known, values, 0.0), minlength=len(departments))
        counts = np.bincount(code, weights=known, minlength=len(departments))
        with np.errstate(invalid="ignore", divide="ignore"):
            by_department = sums / counts
        out[name] = float(np.nansum(by_department * weights) / weights.sum())
    return out


def _cohort_rows(grid: _Grid, group: _Cohort) -> list[dict[str, Any]]:
    """The comparison of one cohort month, one row per metric (none when nobody matches)."""
    if not group.trained.any():
        return []
    at = grid.months.index(group.month)
    means = {}
    for metric, values in grid.metrics.items():
        means[f"{metric}_before"] = values[:, at + _BEFORE[0]:at + _BEFORE[-1] + 1].mean(axis=1)
        means[f"{metric}_after"] = values[:, at + _AFTER[0]:at + _AFTER[-1] + 1].mean(axis=1)
    trained = _group_means(group, group.trained, means)
    compared = _group_means(group, group.compared, means)
    return [
        {"cohort": group.month, "metric": metric,
         "trained_people": int(group.trained.sum()),
         "comparison_people": int(group.compared.sum()),
         "unmatched": group.unmatched,
         "trained_before": trained[f"{metric}_before"],
         "trained_after": trained[f"{metric}_after"],
         "comparison_before": compared[f"{metric}_before"],
         "comparison_after": compared[f"{metric}_after"]}
        for metric in EFFECT_METRICS
    ]


def _with_changes(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["trained_change"] = out["trained_after"] - out["trained_before"]
    out["comparison_change"] = out["comparison_after"] - out["comparison_before"]
    out["difference"] = out["trained_change"] - out["comparison_change"]
    return out


def training_effect(frame: pd.DataFrame, records: pd.DataFrame, month: date,
                    first_month: date) -> TrainingEffect:
    """Active days and writes of people trained in a month, before and after, next to
    colleagues of the same department without training in those months (observational).

    Cohort month C: every month with an attended or completed training whose months C-2 ..
    C+2 lie within the data (``first_month`` .. ``month``). Trained group: people with a
    training in C and none in C-2 and C-1 (so their "before" months are untrained; a person
    trained at the go-live kick-off long ago and again in C counts, and can be in several
    cohorts over time). Comparison: people of the same department with no training in C-2 ..
    C+2. Both: licensed (not integration accounts) in all five months.
    Before: mean per person-month over C-2 and C-1; after: over C+1 and C+2 (C itself is left
    out). Per department the comparison group's means are taken, then weighted by the trained
    people of each department, so the comparison has the trained group's department mix;
    departments without comparison people are left out (counted in ``unmatched``). Pooled over
    cohorts: means weighted by each cohort's trained people; its group sizes count each person
    once (also one who is in several cohorts).
    """
    first_month, month = month_start(first_month), month_start(month)
    licensed_rows = licensed(frame[(frame["month"] >= first_month) & (frame["month"] <= month)])
    licensed_rows = licensed_rows[["month", "user_key", "department", *EFFECT_METRICS]]
    trained_in = training_months(records)
    taken_months = {m for taken in trained_in.values() for m in taken}
    months = sorted(m for m in taken_months
                    if effect_window(m)[0] >= first_month and effect_window(m)[1] <= month)
    grid = _grid(licensed_rows, trained_in, month_range(first_month, month))
    groups = [_cohort(grid, cohort) for cohort in months]
    rows = [row for group in groups for row in _cohort_rows(grid, group)]
    columns = ["cohort", *_EFFECT_COLUMNS, "unmatched"]
    if not rows:
        return TrainingEffect(pd.DataFrame(columns=columns),
                              pd.DataFrame(columns=_EFFECT_COLUMNS))
    per_cohort = _with_changes(pd.DataFrame(rows))[columns]
    trained = {key for group in groups for key in grid.keys[group.trained]}
    compared = {key for group in groups for key in grid.keys[group.compared]}
    pooled = []
    for metric, cohort_rows in per_cohort.groupby("metric", sort=False):
        weights = cohort_rows["trained_people"]
        pooled.append({
            "metric": metric, "trained_people": len(trained),
            "comparison_people": len(compared),
            **{column: float((cohort_rows[column] * weights).sum() / weights.sum())
               for column in ("trained_before", "trained_after", "comparison_before",
                              "comparison_after")},
        })
    return TrainingEffect(per_cohort.reset_index(drop=True),
                          _with_changes(pd.DataFrame(pooled))[_EFFECT_COLUMNS])


def invitation_list(people: pd.DataFrame) -> pd.DataFrame:
    """Who to invite to a training: licensed people barely or never using the CRM in the month
    and without any attended or completed training by its end.

    ``people`` is the People table of the month (:func:`crm_dash.metrics.people.people_table`,
    pseudonymised by the caller where the privacy setting says so). Columns:
    :data:`INVITATION_COLUMNS`, sorted by department and name.
    """
    chosen = people[people["segment"].isin(IDLE_SEGMENTS) & ~people["trained"].astype(bool)]
    out = chosen[list(INVITATION_COLUMNS)]
    order = out["department"].fillna("").str.lower() + "\x00" + out["name"].fillna("").str.lower()
    return out.loc[order.sort_values().index].reset_index(drop=True)
