"""What the Pipeline page shows, computed without Streamlit: :func:`pipeline_view`.

How current the owners keep their opportunities: the headline figures of everyone or of the
chosen departments, the figures per owner's adoption segment and per department, every owner's
hygiene (leads), the owners the roster does not know and the stage mapping (leads).

The audience is applied here, once: an executive's selection of fewer owners than the minimum
shows no figures at all; groups too small (or whose complement is) read the audience's marker
(e.g. ``<5``) in the tables and are left out of the charts; per-owner rows, owner names and the
stage mapping are ``None``; names are pseudonyms when the privacy setting says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from crm_dash.audience import Audience, GroupOption
from crm_dash.csv_export import safe_csv_bytes
from crm_dash.datasets import DatasetKind
from crm_dash.i18n import Language, fmt_int, fmt_month, fmt_percent, t
from crm_dash.i18n.labels import segment_labels
from crm_dash.metrics.definitions import SEGMENTS
from crm_dash.metrics.gaps import FieldGap, field_gaps
from crm_dash.metrics.pipeline import PipelineSummary, summarise
from crm_dash.metrics.pipeline.groups import (
    NO_SEGMENT,
    NOT_IN_ROSTER,
    by_department,
    by_segment,
    main_currency,
    owner_table,
    segments_in,
    unmatched_owners,
)
from crm_dash.metrics.pipeline.outcomes import Outcome, stage_labels, stage_outcomes
from crm_dash.metrics.pipeline.owners import (
    SOURCE_FIELD,
    AsOfSource,
    PipelineData,
    in_department,
)
from crm_dash.privacy import pseudonym_key, pseudonymise
from crm_dash.views.data import adoption_data, pipeline_figures
from crm_dash.views.snapshot import Snapshot, per_version
from crm_dash.views.tables import GroupTable

#: The columns of a group table (:attr:`GroupSection.table`): the group, its owners and the
#: figures, hidden together for a group too small.
GROUP_COLUMNS: tuple[str, ...] = (
    "group", "owners", "open", "open_value", "open_value_by_currency", "hygiene_score",
    "next_step_share", "overdue_share", "stale_share", "missing_amount_share", "win_rate",
    "won_12m", "closed_12m")
#: The columns of the segment charts' data (:attr:`SegmentSection.chart`).
CHART_COLUMNS: tuple[str, ...] = ("group", "owners", "open", "open_value", "hygiene_score",
                                  "win_rate")
#: The owner table's columns, in the order shown and downloaded.
OWNER_COLUMNS: tuple[str, ...] = (
    "name", "department", "segment", "open", "score", "reasons", "next_step", "overdue",
    "stale", "missing_amount", "open_value", "win_rate")


@dataclass(frozen=True)
class AsOf:
    """The page's reference dates: the pipeline's date and why, the opportunities behind it,
    and the month of the owners' adoption segments (``None`` without usage data)."""

    day: date
    source: AsOfSource
    opportunities: int
    segment_month: date | None


@dataclass(frozen=True)
class Tiles:
    """The headline figures, the open value the tile shows (the one currency's sum, else the
    most common currency's) and why figures are unknown: the export's missing fields, and
    ``all_owners_unmatched`` (the owners' number) when no owner is on the roster."""

    summary: PipelineSummary
    open_value: float | None
    currency: str | None
    gaps: tuple[FieldGap, ...]
    all_owners_unmatched: int | None


@dataclass(frozen=True)
class GroupSection:
    """Figures per group (:data:`GROUP_COLUMNS`); ``currency``: the currency of most open
    opportunities (a group without open value shows 0 in it). ``suppressed``: groups too small
    for the audience read its marker and are left out of charts (a note under the table says
    so)."""

    table: GroupTable
    currency: str
    suppressed: bool


@dataclass(frozen=True)
class SegmentSection(GroupSection):
    """Figures per owner's segment in ``month`` (``None`` without usage data), and the
    charts' data: the groups the audience may see (:data:`CHART_COLUMNS`)."""

    month: date | None
    chart: GroupTable
    several_currencies: bool


@dataclass(frozen=True)
class OwnerSection:
    """Every owner's hygiene (leads): ``table`` as the page shows it (:data:`OWNER_COLUMNS`,
    typed values, names through the privacy setting), ``headings`` for its columns,
    ``download`` the same headed in the reader's language with the segment's month, saved as
    ``download_name`` (.csv, .xlsx)."""

    table: pd.DataFrame
    headings: dict[str, str]
    open: int
    download: pd.DataFrame
    download_name: str


@dataclass(frozen=True)
class UnmatchedOwners:
    """Owners the roster does not know: how many (the audience's hidden marker, e.g. ``<5``,
    when they are a small group), their opportunities, and for leads the list (owner as
    exported, opportunities, open; most first)."""

    owners: int | str
    opportunities: int
    table: pd.DataFrame | None


@dataclass(frozen=True)
class StageMapping:
    """The stage labels of the data with the outcome each gets and why
    (:func:`crm_dash.metrics.pipeline.outcomes.stage_labels`) and the custom mapping in force."""

    labels: pd.DataFrame
    mapping: dict[str, Outcome]


@dataclass(frozen=True)
class PipelineView:
    """Everything the Pipeline page shows.

    ``as_of`` is ``None`` without pipeline data (then nothing else is set). ``too_small``: the
    selection holds fewer owners than the audience may see; only ``as_of`` is set. ``lead``:
    the audience sees people (the wording of notes). ``unmatched`` and ``departments`` are for
    everyone's page only (no department chosen); ``owners`` and ``stages`` for leads only.
    """

    lead: bool
    as_of: AsOf | None = None
    too_small: bool = False
    tiles: Tiles | None = None
    segments: SegmentSection | None = None
    owners: OwnerSection | None = None
    unmatched: UnmatchedOwners | None = None
    departments: GroupSection | None = None
    stages: StageMapping | None = None


def department_options(snap: Snapshot, audience: Audience) -> tuple[GroupOption, ...]:
    """The departments the page's filter offers, in order: for executives only those that,
    like the owners outside them, are large enough to show, smaller ones together as "Other"
    (last); none without pipeline data."""
    data = pipeline_figures(snap)
    if data is None:
        return ()
    sizes = data.owners["department"].dropna().astype(str).value_counts()
    options = audience.group_options({str(k): int(v) for k, v in sizes.items()},
                                     len(data.owners))
    return tuple(sorted(options, key=lambda o: (o.is_other, o.label.lower())))


@per_version(max_entries=16)
def pipeline_view(snap: Snapshot, department: tuple[str, ...] | None, audience: Audience,
                  lang: Language) -> PipelineView:
    """The Pipeline page of ``snap`` for ``audience``: everyone (``department`` ``None``) or
    the owners of the chosen departments (a choice of :func:`department_options`; another is
    too small for an executive). ``lang`` heads the owner table and its download."""
    lead = audience.sees_people
    data = pipeline_figures(snap)
    if data is None:
        return PipelineView(lead=lead)
    summary = summarise(data, department)
    adoption = adoption_data(snap)
    month = adoption.latest_complete if adoption.has_data else None
    as_of = AsOf(summary.as_of, summary.as_of_source, summary.opportunities, month)
    refused = department is not None and not lead and department not in {
        o.members for o in department_options(snap, audience)}  # a choice never offered
    if refused or audience.scope_too_small(summary.owners):
        return PipelineView(lead=lead, as_of=as_of, too_small=True)
    scoped = in_department(data, department)
    segments = segments_in(adoption.frame, month)
    everyone = department is None
    return PipelineView(
        lead=lead, as_of=as_of,
        tiles=_tiles(snap.conn, scoped, summary),
        segments=_segment_section(scoped, segments, month, audience),
        owners=_owner_section(snap.conn, scoped, segments, month, audience, lang) if lead
        else None,
        unmatched=_unmatched(snap.conn, data, audience) if everyone else None,
        departments=GroupSection(_group_table(by_department(data), audience),
                                 main_currency(data), audience.aggregates_only)
        if everyone else None,
        stages=_stage_mapping(snap.conn) if lead else None,
    )


def _tiles(conn: duckdb.DuckDBPyConnection, data: PipelineData,
           summary: PipelineSummary) -> Tiles:
    currency, value = summary.currency, summary.open_value
    if value is None and summary.open_value_by_currency:  # several currencies: the most common
        currency, value = max(summary.open_value_by_currency.items(), key=lambda kv: kv[1])
    gaps = field_gaps(conn, DatasetKind.PIPELINE, [SOURCE_FIELD[f] for f in summary.empty_fields])
    owners = data.owners
    unmatched = len(owners) if len(owners) and owners["user_key"].isna().all() else None
    return Tiles(summary, value, currency, tuple(gaps.values()), unmatched)


def _group_table(frame: pd.DataFrame, audience: Audience) -> GroupTable:
    """The figures of each group, those of groups too small for ``audience`` as its marker."""
    rows = frame.assign(closed_12m=frame["won_12m"] + frame["lost_12m"])[list(GROUP_COLUMNS)]
    values = [c for c in GROUP_COLUMNS if c not in ("group", "owners")]
    return GroupTable(audience.suppress(rows, "owners", values), "owners")


def _segment_section(data: PipelineData, segments: pd.DataFrame, month: date | None,
                     audience: Audience) -> SegmentSection:
    frame = by_segment(data, segments)
    chart = audience.keep(frame, "owners")[list(CHART_COLUMNS)]
    return SegmentSection(_group_table(frame, audience), main_currency(data),
                          audience.aggregates_only, month, GroupTable(chart, "owners"),
                          data.values["currency"].nunique() > 1)


def _names(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, columns: list[str],
           audience: Audience) -> pd.DataFrame:
    """``frame`` with the people in ``columns`` as ``audience`` may read them (pseudonyms)."""
    return pseudonymise(frame, columns, pseudonym_key(conn)) if audience.pseudonyms else frame


def group_labels(lang: Language) -> dict[str, str]:
    """Display names of the segment groups (the segments, no segment, not in the roster)."""
    segments = segment_labels(lang)
    return {**{s: segments[s] for s in SEGMENTS},
            NO_SEGMENT: t("pipeline.group.no_segment", lang),
            NOT_IN_ROSTER: t("pipeline.group.not_in_roster", lang)}


def reasons_text(codes: list[str], lang: Language) -> str:
    """Ranked hygiene reasons as readable text."""
    return "; ".join(t(f"pipeline.reason.{c}", lang) for c in codes)


def win_rate_text(rate: float | None, won: int, closed: int, lang: Language) -> str:
    """``60% (3 of 5)``: the win rate with the closed opportunities behind it."""
    if rate is None or pd.isna(rate):
        return "–"
    return t("pipeline.win_rate_text", lang, rate=fmt_percent(rate, lang),
             won=fmt_int(int(won), lang), closed=fmt_int(int(closed), lang))


def _pct(share: float | None) -> float | None:
    return None if share is None or pd.isna(share) else round(float(share) * 100, 1)


def owner_frame(table: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """The per-owner table (:func:`crm_dash.metrics.pipeline.groups.owner_table`) as the page
    shows it: :data:`OWNER_COLUMNS`, segments and reasons in words, shares in percent."""
    labels = group_labels(lang)
    return pd.DataFrame({
        "name": table["name"],
        "department": table["department"].fillna(""),
        "segment": table["segment"].map(labels),
        "open": table["open"].astype("int64"),
        "open_value": table["open_value"].astype("float64"),
        "next_step": table["next_step_share"].map(_pct),
        "overdue": table["overdue_share"].map(_pct),
        "stale": table["stale_share"].map(_pct),
        "missing_amount": table["missing_amount_share"].map(_pct),
        "score": table["hygiene_score"].map(lambda v: None if pd.isna(v) else round(v, 1)),
        "reasons": table["reasons"].map(lambda r: reasons_text(r, lang)),
        "win_rate": table["win_rate"].map(_pct),
    })[list(OWNER_COLUMNS)]


def owner_headings(month: date | None, currency: str, lang: Language) -> dict[str, str]:
    """Column headings of the owner table; a download names the segment's month (it leaves
    the page's caption behind), the page states it once and passes ``None``."""
    headings = {c: t(f"pipeline.col.{c}", lang) for c in OWNER_COLUMNS}
    if month:
        headings["segment"] += f" ({fmt_month(month, lang)})"
    if currency:
        headings["open_value"] = f"{headings['open_value']} ({currency})"
    return headings


def owners_export(frame: pd.DataFrame, month: date | None, currency: str,
                  lang: Language) -> pd.DataFrame:
    """The owner table as the downloads carry it: headed in ``lang``, values typed."""
    return frame[list(OWNER_COLUMNS)].rename(columns=owner_headings(month, currency, lang))


def owners_csv(frame: pd.DataFrame, month: date | None, currency: str, lang: Language) -> bytes:
    """The owner table as a CSV safe for spreadsheets (``;`` for German)."""
    return safe_csv_bytes(owners_export(frame, month, currency, lang), lang=lang)


def _owner_section(conn: duckdb.DuckDBPyConnection, data: PipelineData,
                   segments: pd.DataFrame, month: date | None, audience: Audience,
                   lang: Language) -> OwnerSection:
    table = owner_frame(_names(conn, owner_table(data, segments), ["name", "email", "owner"],
                               audience), lang)
    currency = main_currency(data)
    return OwnerSection(table, owner_headings(None, currency, lang), int(table["open"].sum()),
                        owners_export(table, month, currency, lang),
                        f"crm-dash-pipeline-owners-{data.as_of:%Y-%m-%d}")


def _unmatched(conn: duckdb.DuckDBPyConnection, data: PipelineData,
               audience: Audience) -> UnmatchedOwners:
    owners = unmatched_owners(data)
    table = _names(conn, owners, ["owner"], audience) if audience.sees_people else None
    count = audience.hidden if audience.too_small(len(owners)) else len(owners)
    return UnmatchedOwners(count, int(owners["opportunities"].sum()), table)


def _stage_mapping(conn: duckdb.DuckDBPyConnection) -> StageMapping:
    mapping = stage_outcomes(conn)
    return StageMapping(stage_labels(conn, mapping), mapping)
