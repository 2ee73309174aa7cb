"""What the Adoption page shows: the headline month, segments over time and by department,
lifecycle, movement, breadth and stickiness, for one selection and one audience.

For executives (:class:`crm_dash.audience.Audience`): a selection too small to show gives no
figures at all; months in which the selection, or everyone outside it, was small are left out
of everything month by month; departments too small (or whose rest is) read as the hidden
marker in the table and are left out of the charts, the heatmap judged month by month; lifecycle
bars of a few people are left out; movement cells and the counts of who moved up or slipped
read as the marker when they are a few people. Values are numbers, dates and codes: the UI
(:mod:`crm_dash.ui.adoption_sections`) words and formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.metrics import adoption
from crm_dash.metrics.definitions import SEGMENTS, VersionedDefinition
from crm_dash.metrics.gaps import FieldGap, field_gap
from crm_dash.views.data import adoption_data, definition_shown
from crm_dash.views.filters import Filters
from crm_dash.views.snapshot import Snapshot, per_version
from crm_dash.views.tables import GroupTable

#: The codes of the movement matrix's rows and columns: the segments, then "not licensed".
MOVEMENT_CODES: tuple[str, ...] = (*SEGMENTS, adoption.NOT_LICENSED)


@dataclass(frozen=True)
class Headline:
    """The tiles of the selection's last month."""

    summary: adoption.MonthSummary
    #: The month's log records no writes: its productive share is unknown.
    productive_unknown: bool
    #: Months up to the headline month whose log records no writes (the reason's months).
    no_write_months: tuple[date, ...]


@dataclass(frozen=True)
class NoDepartments:
    """The roster has no departments: why (``None`` when no reason is known)."""

    gap: FieldGap | None


@dataclass(frozen=True)
class Departments:
    """Segments per department.

    ``latest``: the month's segments per department for the stacked bars (columns group,
    segment, people, licensed, share); ``productive``: the productive share per department and
    month for the heatmap (same columns and month), unknown months left out; both without the
    departments the audience may not see (judged month by month). ``table``: the month's
    segments per department side by side (department, licensed, the segments'
    people, productive_share as a fraction), hidden departments reading as the marker;
    with ``unknown`` (the month's log records no writes) productive, sporadic and the share are
    ``None``. ``note``: the table's note on hidden small departments is shown.
    """

    month: date
    latest: GroupTable
    productive: GroupTable
    table: GroupTable
    unknown: bool
    note: bool


@dataclass(frozen=True)
class Lifecycle:
    """People per month and lifecycle state (month, state, people), without the bars the
    audience may not see; ``some_hidden``: at least one bar was left out."""

    counts: GroupTable
    some_hidden: bool


@dataclass(frozen=True)
class Movement:
    """Who moved between segments from the month before to ``month``.

    ``cells``: from_segment, to_segment (codes of :data:`MOVEMENT_CODES`), people: a count, or
    the audience's hidden marker where it describes a few people. ``up`` and ``down``: how many
    moved up or slipped among the four ranked segments, or the marker.
    """

    month: date
    cells: GroupTable
    up: int | str
    down: int | str


@dataclass(frozen=True)
class Breadth:
    """CRM areas per active person."""

    by_month: pd.DataFrame  # month, active_users, avg_breadth
    distribution: pd.DataFrame  # areas, people (of the headline month)


@dataclass(frozen=True)
class AdoptionFigures:
    """The sections of the page for a selection the audience may see."""

    headline: Headline
    #: Months the audience may not see, left out of every month-by-month section.
    hidden_months: tuple[date, ...]
    #: Segment shares per month (month, segment, people, licensed, share); productive and
    #: sporadic without people or share in months whose log records no writes.
    segments: pd.DataFrame
    departments: Departments | NoDepartments
    lifecycle: Lifecycle
    movement: Movement
    #: Without an area column in the usage data: why not, instead of everyone at 0 areas.
    breadth: Breadth | FieldGap
    stickiness: pd.DataFrame  # month, mau, dau, stickiness


@dataclass(frozen=True)
class AdoptionView:
    """The Adoption page for one selection; ``figures`` is ``None`` when the selection is too
    small for the audience: the page then says so instead of showing figures."""

    month: date
    definition: VersionedDefinition
    figures: AdoptionFigures | None

    @property
    def suppressed(self) -> bool:
        return self.figures is None


@per_version(max_entries=16)
def adoption_view(snap: Snapshot, filters: Filters, audience: Audience) -> AdoptionView:
    """Everything the Adoption page shows for ``filters`` and ``audience``."""
    data = adoption_data(snap)
    month = filters.last
    people = filters.apply(data.frame)
    summary = adoption.month_summary(people, month)
    if audience.scope_too_small(summary.licensed):
        return AdoptionView(month, definition_shown(data.definition, audience), None)
    in_range = people[(people["month"] >= filters.first) & (people["month"] <= month)]
    in_range, hidden = hide_small_months(in_range, data.frame, audience)
    unknown = data.no_write_months
    headline = Headline(summary, month in unknown, tuple(sorted(m for m in unknown
                                                                 if m <= month)))
    figures = AdoptionFigures(
        headline=headline,
        hidden_months=tuple(hidden),
        segments=adoption.segment_shares(in_range, unknown_months=unknown),
        departments=_departments(snap, in_range, month, audience, unknown),
        lifecycle=_lifecycle(in_range, audience),
        movement=_movement(people, month, audience),
        breadth=_breadth(snap, in_range, month),
        stickiness=adoption.stickiness_by_month(in_range),
    )
    return AdoptionView(month, definition_shown(data.definition, audience), figures)


def hide_small_months(frame: pd.DataFrame, parent: pd.DataFrame, audience: Audience
                      ) -> tuple[pd.DataFrame, list[date]]:
    """``frame`` (a selection of ``parent``'s person-months) without the months the audience
    may not see, and those months (oldest first).

    For executives, who see aggregates only: a scope that is large in the last month may have
    been a handful of people earlier, and every month-by-month chart would show that handful;
    and in a month where everyone *outside* the scope was a handful, "everyone" minus the scope
    would describe them.
    """
    def per_month(people: pd.DataFrame) -> pd.Series:
        return adoption.licensed(people, ["month"])["month"].value_counts()

    months = sorted(frame["month"].unique())
    # A month without licensed people in the parent counts 0 there (and is hidden).
    parent_counts = per_month(parent[parent["month"].isin(months)]).reindex(months, fill_value=0)
    small = audience.hidden_months(per_month(frame), parent_counts)
    return frame[~frame["month"].isin(small)], small


def _departments(snap: Snapshot, frame: pd.DataFrame, month: date, audience: Audience,
                 unknown_months: frozenset[date]) -> Departments | NoDepartments:
    shares = adoption.segment_shares(frame, by="department", unknown_months=unknown_months)
    if shares.empty:
        return NoDepartments(field_gap(snap.conn, DatasetKind.USERS, "department"))
    # A department's month with too few licensed people (or too few outside it) is left out.
    shown = audience.keep(shares, "licensed", group="department", within="month").rename(
        columns={"department": "group"})
    latest = shown[shown["month"] == month]
    # Months whose productive count is unknown are left out of the heatmap.
    productive = shown[(shown["segment"] == "productive") & shown["share"].notna()]
    unknown = month in unknown_months
    return Departments(
        month=month,
        latest=GroupTable(latest, "licensed"),
        productive=GroupTable(productive, "licensed"),
        table=GroupTable(_department_table(shares[shares["month"] == month], audience,
                                           unknown=unknown), "licensed"),
        unknown=unknown,
        note=audience.aggregates_only,
    )


def _department_table(shares: pd.DataFrame, audience: Audience, *, unknown: bool
                      ) -> pd.DataFrame:
    """Segments per department in one month, side by side; with ``unknown`` productive,
    sporadic and the productive share are ``None``, not 0."""
    wide = shares.pivot_table(index=["department", "licensed"], columns="segment",
                              values="people", fill_value=0).reset_index()
    wide = wide.reindex(columns=["department", "licensed", *SEGMENTS], fill_value=0)
    wide = wide.astype({s: "int64" for s in SEGMENTS})
    wide.columns.name = None
    wide["productive_share"] = wide["productive"] / wide["licensed"]
    if unknown:
        unknown_columns = [*adoption.WRITE_SEGMENTS, "productive_share"]
        wide = wide.astype({c: object for c in unknown_columns})
        wide[unknown_columns] = None
    return audience.suppress(wide, "licensed", [*SEGMENTS, "productive_share"])


def _lifecycle(frame: pd.DataFrame, audience: Audience) -> Lifecycle:
    """Lifecycle bars; for executives without the bars of a few people (who joined or left is a
    month-over-month change of individuals)."""
    counts = adoption.lifecycle_by_month(frame)
    small = counts["people"].map(audience.too_small).astype(bool)
    return Lifecycle(GroupTable(counts[~small], "people"), bool(small.any()))


def _movement(frame: pd.DataFrame, month: date, audience: Audience) -> Movement:
    """The movement matrix of ``month``; cells of a few people read as the hidden marker, and
    so do the counts of who moved up and who slipped (their sum would give hidden cells away)."""
    matrix = adoption.movement_matrix(frame, month)
    codes = list(MOVEMENT_CODES)
    cells = matrix[matrix["from_segment"].isin(codes) & matrix["to_segment"].isin(codes)]
    cells = cells.assign(people=pd.Series(
        [_count(int(n), audience) for n in cells["people"]], index=cells.index, dtype=object))
    rank = {s: i for i, s in enumerate(SEGMENTS[:4])}
    ranked = matrix[matrix["from_segment"].isin(rank) & matrix["to_segment"].isin(rank)]
    moved = ranked["to_segment"].map(rank) - ranked["from_segment"].map(rank)
    return Movement(month, GroupTable(cells.reset_index(drop=True), "people"),
                    moved_total(ranked.loc[moved < 0, "people"], audience),
                    moved_total(ranked.loc[moved > 0, "people"], audience))


def moved_total(cells: pd.Series, audience: Audience) -> int | str:
    """The people of several movement cells together, or the hidden marker: when the sum is a
    small group, or when the cells hidden in it are (the sum minus the cells shown would give
    them away: 16 and 8 shown, a total of 25, tell a hidden cell of 1)."""
    total = int(cells.sum())
    hidden = int(cells[cells.map(audience.too_small).astype(bool)].sum())
    return audience.hidden if audience.too_small(total) or audience.too_small(hidden) else total


def _count(people: int, audience: Audience) -> int | str:
    """``people``, or the audience's hidden marker when they are too few to show."""
    return audience.hidden if audience.too_small(people) else people


def _breadth(snap: Snapshot, frame: pd.DataFrame, month: date) -> Breadth | FieldGap:
    """Breadth per month and its distribution in ``month``; without an area column in the
    usage data, why not."""
    gap = field_gap(snap.conn, DatasetKind.USAGE, "object")
    if gap is not None:
        return gap
    return Breadth(adoption.breadth_by_month(frame), adoption.breadth_distribution(frame, month))
