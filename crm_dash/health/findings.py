"""The data-health report: per dataset what it covers, and the findings that reconcile the
datasets with each other (people in one dataset the roster does not know, possible leavers,
one e-mail under two ids, integration accounts to flag or confirm).

Everything is computed here, without Streamlit, as a :class:`HealthReport`; the page, the
Overview line and ``crm-dash check`` draw the same value (texts in
:mod:`crm_dash.health.present`). Heavy work is SQL with parameters; Python only looks at the
few rows each query returns. Matching reuses the rules of the figures themselves: usage by
``user_key``, learners by id or e-mail (:data:`crm_dash.metrics.training.LEARNER_PERSONS_CTE`),
pipeline owners by id, e-mail or name (:func:`crm_dash.metrics.pipeline.owners.pipeline_data`),
integration accounts as :func:`crm_dash.metrics.integration.integration_accounts` says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal, cast

import duckdb
import pandas as pd

from crm_dash.datasets import DatasetKind
from crm_dash.importing.labels import INTEGRATION_PHRASES
from crm_dash.metrics.activity import activity_span
from crm_dash.metrics.coverage import Coverage, data_coverage
from crm_dash.metrics.definitions import AdoptionDefinition, load_definition
from crm_dash.metrics.gaps import FieldGap, field_gap
from crm_dash.metrics.integration import PEOPLE_CTE, integration_accounts
from crm_dash.metrics.pipeline.owners import pipeline_data
from crm_dash.metrics.training import LEARNER_PERSONS_CTE
from crm_dash.privacy import pseudonym, pseudonym_key, pseudonyms_on
from crm_dash.summary import data_summary

#: Days without any activity before the end of the usage data that make a possible leaver.
LEAVER_DAYS = 90
#: How many examples a finding names.
EXAMPLES = 5

FindingCode = Literal[
    "no_data", "usage_not_in_roster", "learners_not_in_roster", "owners_not_in_roster",
    "possible_leavers", "shared_email", "integration_unflagged", "integration_to_confirm",
]
#: Why people of a dataset are not found in the roster.
Cause = Literal["roster_no_email", "roster_no_name", "names_not_matched", "other_system",
                "not_on_roster"]
#: What the references of a dataset look like.
Shape = Literal["salesforce", "guid", "email", "name", "other"]

_GUID = "[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"


def shape_sql(column: str) -> str:
    """SQL giving the :data:`Shape` of a user reference in ``column`` (a constant name)."""
    value = f"trim(CAST({column} AS VARCHAR))"
    return (
        f"CASE WHEN regexp_full_match({value}, '005[0-9A-Za-z]{{12}}([0-9A-Za-z]{{3}})?')"
        f" THEN 'salesforce' WHEN contains({value}, '@') THEN 'email'"
        f" WHEN regexp_full_match(lower(trim({value}, '{{}}')), '{_GUID}') THEN 'guid'"
        f" WHEN regexp_full_match({value}, '[^0-9@_]+[ ,]+[^0-9@_]+') THEN 'name'"
        f" ELSE 'other' END"
    )


@dataclass(frozen=True)
class DatasetHealth:
    """What one dataset covers and where its latest upload came from.

    ``first``/``last``: the days its rows cover (roster: start dates; usage: events; pipeline:
    creation dates; training: session dates). ``first_month``/``complete_through``: the usage
    log's first and latest complete month (the months rule of
    :func:`crm_dash.metrics.segments.available_months`); ``None`` for the other datasets,
    which are snapshots or follow the usage log's months.
    """

    kind: DatasetKind
    rows: int
    uploads: int
    first: date | None
    last: date | None
    first_month: date | None = None
    complete_through: date | None = None
    last_month: date | None = None
    file_name: str | None = None
    uploaded_by: str | None = None
    uploaded_at: datetime | None = None
    export_date: date | None = None
    #: The usage log's coverage (why its latest complete month counts as complete, or that no
    #: month is proven complete yet: ``reason`` ``None``); what the getting-started checklist
    #: (crm_dash.health.freshness) reads, so states are decided once.
    coverage: Coverage | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "dataset": self.kind.value, "rows": self.rows, "uploads": self.uploads,
            "first": _iso(self.first), "last": _iso(self.last),
            "first_month": _iso(self.first_month),
            "complete_through": _iso(self.complete_through),
            "last_upload": None if self.file_name is None else {
                "file": self.file_name, "by": self.uploaded_by,
                "at": _iso(self.uploaded_at), "export_date": _iso(self.export_date)},
        }


@dataclass(frozen=True)
class Finding:
    """One thing a lead should look at.

    ``count``: how many (ids, learners, owners, people, e-mails, accounts); ``part`` of
    ``whole``: the share it stands for (events, records, opportunities, roster people), ``None``
    where no share applies. ``cause``: why people were not found in the roster, with ``gap``
    (why the roster lacks the field that would match them) and ``shape``/``roster_shape`` (what
    the references and the roster's ids look like). ``values``: details for the texts.
    ``attention``: whether ``crm-dash check`` fails on it (a dataset not uploaded at all is
    attention only for the roster and the usage log, which every figure needs).
    """

    code: FindingCode
    count: int
    part: int | None = None
    whole: int | None = None
    examples: tuple[str, ...] = ()
    cause: Cause | None = None
    shape: Shape | None = None
    roster_shape: Shape | None = None
    gap: FieldGap | None = None
    values: dict[str, Any] = field(default_factory=dict)
    attention: bool = True

    @property
    def share(self) -> float | None:
        """``part`` / ``whole``; ``None`` without a whole (a share of nothing is unknown)."""
        if self.part is None or not self.whole:
            return None
        return self.part / self.whole

    def to_json(self) -> dict[str, Any]:
        gap = self.gap
        return {
            "code": self.code, "attention": self.attention, "count": self.count,
            "part": self.part, "whole": self.whole,
            "share": None if self.share is None else round(self.share, 4),
            "examples": list(self.examples), "cause": self.cause, "shape": self.shape,
            "roster_shape": self.roster_shape,
            "gap": None if gap is None else {
                "dataset": gap.kind.value, "field": gap.field, "state": gap.state,
                "column": gap.column, "file": gap.file_name},
            **{k: _iso(v) if isinstance(v, date | datetime) else v
               for k, v in self.values.items()},
        }


@dataclass(frozen=True)
class HealthReport:
    """The datasets and the findings, as of ``today``."""

    today: date
    datasets: tuple[DatasetHealth, ...]
    findings: tuple[Finding, ...]

    @property
    def attention(self) -> tuple[Finding, ...]:
        """The findings that need attention (``crm-dash check`` exits 1 on any)."""
        return tuple(f for f in self.findings if f.attention)

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention)

    def dataset(self, kind: DatasetKind) -> DatasetHealth:
        return next(d for d in self.datasets if d.kind == kind)

    def finding(self, code: FindingCode) -> Finding | None:
        """The first finding of ``code``, if any."""
        return next((f for f in self.findings if f.code == code), None)

    def to_json(self) -> dict[str, Any]:
        """The ``crm-dash check --json`` payload (texts added by the CLI)."""
        return {
            "today": self.today.isoformat(), "needs_attention": self.needs_attention,
            "datasets": [d.to_json() for d in self.datasets],
            "findings": [f.to_json() for f in self.findings],
        }


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class _Names:
    """People's names, ids and e-mails as examples may show them: pseudonyms when the privacy
    setting asks for them (checked once per report)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._key = pseudonym_key(conn) if pseudonyms_on(conn) else None

    def __call__(self, value: object) -> str:
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        if self._key is None or not text:
            return text
        return pseudonym(text, self._key) or text


def health_report(conn: duckdb.DuckDBPyConnection, today: date) -> HealthReport:
    """Every dataset's coverage and every finding, as of ``today``."""
    definition = load_definition(conn).definition
    names = _Names(conn)
    datasets = dataset_health(conn, definition, today)
    have = {d.kind for d in datasets if d.rows}
    findings: list[Finding] = [
        Finding("no_data", 0, values={"dataset": kind.value},
                attention=kind in (DatasetKind.USERS, DatasetKind.USAGE))
        for kind in DatasetKind if kind not in have
    ]
    if DatasetKind.USERS in have:
        roster_shape = _roster_shape(conn)
        checks = [
            (DatasetKind.USAGE, lambda: usage_not_in_roster(conn, names, roster_shape)),
            (DatasetKind.TRAINING, lambda: learners_not_in_roster(conn, names, roster_shape)),
            (DatasetKind.PIPELINE, lambda: owners_not_in_roster(conn, names, roster_shape)),
            (DatasetKind.USAGE, lambda: possible_leavers(conn, definition, names)),
            (DatasetKind.USERS, lambda: shared_emails(conn, definition, names)),
            (DatasetKind.USERS, lambda: integration_unflagged(conn, definition, names)),
            (DatasetKind.USERS, lambda: integration_to_confirm(conn, definition, names)),
        ]
        for needs, check in checks:
            if needs in have and (found := check()) is not None:
                findings.append(found)
    return HealthReport(today, tuple(datasets), tuple(findings))


_LAST_UPLOAD_SQL = """
SELECT kind, file_name, imported_by, imported_at, export_date FROM import_batches
QUALIFY row_number() OVER (PARTITION BY kind ORDER BY batch_id DESC) = 1
"""


def dataset_health(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, today: date
) -> list[DatasetHealth]:
    """Per dataset: rows, uploads, the days covered, the usage log's complete months and the
    latest upload (file, who, when, the date the export carries)."""
    summary = data_summary(conn)
    latest = {str(r[0]): r[1:] for r in conn.cursor().execute(_LAST_UPLOAD_SQL).fetchall()}
    coverage = data_coverage(conn, definition, today)  # what available_months() reads
    out = []
    for d in summary.datasets:
        upload = latest.get(d.kind.value)
        first_month = complete = last_month = None
        if d.kind == DatasetKind.USAGE and coverage is not None:
            first_month, complete, last_month = coverage.months
        out.append(DatasetHealth(
            kind=d.kind, rows=d.rows, uploads=d.batches, first=d.first, last=d.last,
            first_month=first_month, complete_through=complete, last_month=last_month,
            file_name=None if upload is None else str(upload[0]),
            uploaded_by=None if upload is None else str(upload[1]),
            uploaded_at=None if upload is None else upload[2],
            export_date=None if upload is None else upload[3],
            coverage=coverage if d.kind == DatasetKind.USAGE else None,
        ))
    return out


def _roster_shape(conn: duckdb.DuckDBPyConnection) -> Shape:
    """What most of the roster's ids look like."""
    row = conn.cursor().execute(
        f"SELECT {shape_sql('user_key')} AS shape FROM users"  # noqa: S608 (constant SQL)
        " GROUP BY shape ORDER BY count(*) DESC, shape LIMIT 1"
    ).fetchone()
    return "other" if row is None else row[0]


def _dominant(frame: pd.DataFrame) -> Shape:
    """The shape of most unmatched references (weighted by references, not rows)."""
    counts = frame["shape"].value_counts()
    top = counts[counts == counts.max()].index
    return cast(Shape, sorted(str(s) for s in top)[0])


def unmatched_cause(
    conn: duckdb.DuckDBPyConnection, shape: Shape, roster_shape: Shape, *,
    by_email: bool, by_name: bool,
) -> tuple[Cause, FieldGap | None]:
    """Why references of ``shape`` find nobody in a roster whose ids look like
    ``roster_shape``, for a dataset matched by id and (``by_email``) e-mail and (``by_name``)
    name: the roster lacks the field that would match them (with the reason from
    :func:`crm_dash.metrics.gaps.field_gap`), names are not matched there, the ids come from
    another system, or the people are simply not on the roster."""
    if shape == "email" and by_email:
        gap = field_gap(conn, DatasetKind.USERS, "email")
        return ("roster_no_email", gap) if gap is not None else ("not_on_roster", None)
    if shape == "name":
        if not by_name:
            return "names_not_matched", None
        gap = field_gap(conn, DatasetKind.USERS, "name")
        return ("roster_no_name", gap) if gap is not None else ("not_on_roster", None)
    if shape != roster_shape:
        return "other_system", None
    return "not_on_roster", None


def _unmatched_finding(
    conn: duckdb.DuckDBPyConnection, code: FindingCode, frame: pd.DataFrame, whole: int,
    names: _Names, roster_shape: Shape, *, by_email: bool, by_name: bool,
) -> Finding | None:
    """``frame``: one row per unmatched reference (``ref``, ``n`` rows, ``shape``), most rows
    first."""
    if frame.empty:
        return None
    shape = _dominant(frame)
    cause, gap = unmatched_cause(conn, shape, roster_shape, by_email=by_email, by_name=by_name)
    return Finding(
        code, count=len(frame), part=int(frame["n"].sum()), whole=whole,
        examples=tuple(names(r) for r in frame["ref"].head(EXAMPLES)),
        cause=cause, shape=shape, roster_shape=roster_shape, gap=gap,
    )


def _unmatched_refs(
    conn: duckdb.DuckDBPyConnection, sql: str, table: str
) -> tuple[pd.DataFrame, int]:
    """The unmatched references ``sql`` finds, and the rows of ``table`` (a constant name)."""
    cur = conn.cursor()
    frame = cur.execute(sql).df()
    total = cur.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
    return frame, int(total[0]) if total else 0


_USAGE_UNMATCHED_SQL = f"""
SELECT ref, n, {shape_sql('ref')} AS shape
FROM (SELECT min(e.user_id) AS ref, count(*) AS n
      FROM usage_events e ANTI JOIN users u ON u.user_key = e.user_key
      GROUP BY e.user_key)
ORDER BY n DESC, ref
"""  # noqa: S608 (constant SQL)


def usage_not_in_roster(
    conn: duckdb.DuckDBPyConnection, names: _Names, roster_shape: Shape
) -> Finding | None:
    """Usage user ids that name nobody in the roster: how many ids, and their share of the
    events (usage is matched by ``user_key`` alone)."""
    frame, total = _unmatched_refs(conn, _USAGE_UNMATCHED_SQL, "usage_events")
    return _unmatched_finding(conn, "usage_not_in_roster", frame, total, names, roster_shape,
                              by_email=False, by_name=False)


_LEARNERS_UNMATCHED_SQL = f"""
WITH {LEARNER_PERSONS_CTE}
SELECT ref, n, {shape_sql('ref')} AS shape
FROM (SELECT min(r.user_ref) AS ref, count(*) AS n
      FROM training_records r ANTI JOIN learner_persons p ON p.ref_key = r.user_key
      GROUP BY r.user_key)
ORDER BY n DESC, ref
"""  # noqa: S608 (constant SQL)


def learners_not_in_roster(
    conn: duckdb.DuckDBPyConnection, names: _Names, roster_shape: Shape
) -> Finding | None:
    """Learners of training records that name nobody in the roster (by id or e-mail, as the
    training figures match them), with their share of the records."""
    frame, total = _unmatched_refs(conn, _LEARNERS_UNMATCHED_SQL, "training_records")
    return _unmatched_finding(conn, "learners_not_in_roster", frame, total, names, roster_shape,
                              by_email=True, by_name=False)


def owners_not_in_roster(
    conn: duckdb.DuckDBPyConnection, names: _Names, roster_shape: Shape
) -> Finding | None:
    """Pipeline owners that name nobody in the roster (by id, e-mail or name, as the pipeline
    figures match them), with their share of the opportunities."""
    data = pipeline_data(conn)
    if data is None:
        return None
    owners = data.owners
    unmatched = owners[owners["user_key"].isna()]
    frame = pd.DataFrame({"ref": unmatched["owner"], "n": unmatched["opportunities"]})
    frame = frame.sort_values(["n", "ref"], ascending=[False, True], kind="stable")
    if not frame.empty:
        shapes = conn.cursor().execute(
            f"SELECT {shape_sql('r')} FROM unnest(CAST(? AS VARCHAR[])) AS t(r)",  # noqa: S608
            [[str(r) for r in frame["ref"]]],
        ).fetchall()
        frame["shape"] = [s[0] for s in shapes]
    return _unmatched_finding(conn, "owners_not_in_roster", frame,
                              int(owners["opportunities"].sum()), names, roster_shape,
                              by_email=True, by_name=True)


_LEAVERS_SQL = "WITH " + PEOPLE_CTE + """,
last_active AS (SELECT user_key, max(last_day) AS last_day FROM activity_months GROUP BY ALL)
SELECT coalesce(p.name, p.user_id) AS name, a.last_day
FROM people p LEFT JOIN last_active a USING (user_key)
WHERE NOT p.integration_account AND p.end_date IS NULL
  AND (a.last_day IS NULL OR a.last_day <= CAST($cutoff AS DATE))
  AND (p.start_date IS NULL OR p.start_date <= CAST($cutoff AS DATE))
ORDER BY a.last_day NULLS FIRST, lower(coalesce(p.name, p.user_id))
"""  # noqa: S608 (constant SQL)


def possible_leavers(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, names: _Names
) -> Finding | None:
    """Roster people (no integration accounts) without an end date and without any activity in
    the :data:`LEAVER_DAYS` days up to the last day of the usage data, started before that
    window. ``None`` while the usage data covers less than that window (it cannot tell)."""
    span = activity_span(conn)  # fresh: dataset_health ran available_months
    if span is None:
        return None
    first_day, end_day = span
    cutoff = end_day - timedelta(days=LEAVER_DAYS)
    if first_day > cutoff:
        return None
    patterns = list(definition.integration_patterns)
    cur = conn.cursor()
    frame = cur.execute(_LEAVERS_SQL, {"patterns": patterns, "cutoff": cutoff}).df()
    if frame.empty:
        return None
    people = cur.execute(
        "WITH " + PEOPLE_CTE + " SELECT count(*) FROM people WHERE NOT integration_account",  # noqa: S608
        {"patterns": patterns},
    ).fetchone()
    never = int(frame["last_day"].isna().sum())
    return Finding(
        "possible_leavers", count=len(frame), part=len(frame),
        whole=int(people[0]) if people else 0,
        examples=tuple(names(n) for n in frame["name"].head(EXAMPLES)),
        values={"days": LEAVER_DAYS, "end": end_day, "never": never},
    )


_SHARED_EMAIL_SQL = "WITH " + PEOPLE_CTE + """
SELECT lower(trim(email)) AS email, list(user_id ORDER BY user_id) AS ids
FROM people
WHERE NOT integration_account AND nullif(trim(email), '') IS NOT NULL
GROUP BY ALL HAVING count(*) > 1
ORDER BY len(ids) DESC, email
"""


def shared_emails(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, names: _Names
) -> Finding | None:
    """E-mail addresses (trimmed, lower-case) that two or more roster ids share; integration
    accounts are left out (several of them often share one mailbox)."""
    rows: list[tuple[str, list[str]]] = conn.cursor().execute(
        _SHARED_EMAIL_SQL, {"patterns": list(definition.integration_patterns)}).fetchall()
    if not rows:
        return None
    return Finding(
        "shared_email", count=len(rows), part=sum(len(ids) for _, ids in rows),
        examples=tuple(f"{names(email)}: {', '.join(names(i) for i in ids)}"
                       for email, ids in rows[:EXAMPLES]),
    )


#: Words in an id, name or e-mail that suggest an account is no person.
ACCOUNT_WORDS: tuple[str, ...] = (
    "api", "integration", "interface", "schnittstelle", "noreply", "no-reply", "donotreply",
    "system", "service", "sync", "bot", "automation", "batch", "technical",
)

_UNFLAGGED_SQL = "WITH " + PEOPLE_CTE + """,
looks AS (
    SELECT coalesce(name, user_id) AS name,
           regexp_extract(lower(concat_ws(' ', user_id, name, email)), $words, 2) AS word,
           coalesce(regexp_matches(regexp_replace(lower(concat_ws(' ', role, license_type)),
                                                  '[^a-zäöüß]', '', 'g'), $phrases), false)
               AS by_profile
    FROM people
    WHERE NOT integration_account AND flagged_by_hand IS NULL
)
SELECT name, CASE WHEN by_profile THEN 'profile' ELSE word END AS why
FROM looks WHERE by_profile OR word <> ''
ORDER BY lower(name)
"""  # noqa: S608 (constant SQL)


def integration_unflagged(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, names: _Names
) -> Finding | None:
    """Roster accounts counted as people that look like integrations: a word of
    :data:`ACCOUNT_WORDS` in their id, name or e-mail, or an integration phrase in their role or
    licence. A lead who decided an account is a person (by hand) is not asked again."""
    words = "(^|[^a-z])(" + "|".join(ACCOUNT_WORDS) + ")([^a-z]|$)"
    frame = conn.cursor().execute(_UNFLAGGED_SQL, {
        "patterns": list(definition.integration_patterns), "words": words,
        "phrases": "|".join(INTEGRATION_PHRASES)}).df()
    if frame.empty:
        return None
    return Finding(
        "integration_unflagged", count=len(frame),
        examples=tuple(f"{names(r.name)} ({r.why})" for r in frame.head(EXAMPLES).itertuples()),
    )


def integration_to_confirm(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, names: _Names
) -> Finding | None:
    """Accounts the importer flagged as integrations (by profile, licence or the export's own
    flag) that no lead has confirmed yet (confirm them with
    :func:`crm_dash.importing.history.confirm_integrations`, on the Import history page)."""
    accounts = integration_accounts(conn, definition)
    found = accounts[accounts["reason"].isin(["role", "licence", "roster"])]
    if found.empty:
        return None
    return Finding(
        "integration_to_confirm", count=len(found),
        examples=tuple(names(n) for n in found["name"].head(EXAMPLES)),
    )
