"""The audience policy: one object decides what a role may see of people and small groups.

Executives see aggregates only. A figure about fewer people than the minimum group size (a
setting, never below :data:`MIN_GROUP_FLOOR`) is not shown; neither is a group whose
*complement* within its parent is that small, because "everyone" minus the group would then
describe the few people left over. Leads and admins work with named people and see everything.

Pages get the audience from :func:`crm_dash.ui.page.page_setup` and pass it on; no page or
section compares a group size with a number on its own. The comparison is written once, in
:meth:`Audience.too_small`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from crm_dash.pages import LEADS, Role

#: The smallest group an executive may see as its own aggregate; the setting
#: ``privacy.min_group_size`` may raise it, never lower it.
MIN_GROUP_FLOOR = 5
#: The choice in an executive's group filter that stands for all values too small on their own.
OTHER = "\u2026"  # shown translated; this value never names a real group


@dataclass(frozen=True)
class GroupOption:
    """One choice of an executive's group filter: a value, or several merged as "Other"."""

    label: str
    members: tuple[str, ...]

    @property
    def is_other(self) -> bool:
        return self.label == OTHER


@dataclass(frozen=True)
class Audience:
    """Who is looking, and what that allows.

    ``min_group``: the minimum group size in force (the setting, at least the floor);
    ``pseudonyms``: names and e-mails are replaced by pseudonyms in views and exports.
    """

    role: Role
    min_group: int = MIN_GROUP_FLOOR
    pseudonyms: bool = False

    @property
    def aggregates_only(self) -> bool:
        """Whether this audience sees no person-level rows and no small groups (executives)."""
        return self.role not in LEADS

    @property
    def sees_people(self) -> bool:
        """Whether person-level tables (names, per-owner rows, invitation lists) may be shown."""
        return not self.aggregates_only

    @property
    def hidden(self) -> str:
        """What stands in place of a hidden figure, e.g. ``<5``."""
        return f"<{self.min_group}"

    @property
    def words(self) -> dict[str, object]:
        """The values privacy texts name: ``min`` (the minimum) and ``hidden`` (the marker)."""
        return {"min": self.min_group, "hidden": self.hidden}

    def too_small(self, people: int | float | None) -> bool:
        """Whether a figure about ``people`` people is hidden from this audience.

        Zero is not hidden: an empty group describes nobody. Unknown (``None``) is not hidden
        either; it is shown as unknown.
        """
        if not self.aggregates_only or people is None or pd.isna(people):
            return False
        return 0 < people < self.min_group

    def scope_too_small(self, people: int | None) -> bool:
        """Whether a whole selection (a page's scope) of ``people`` is too small to show at all,
        an empty one included: an executive's page then says so instead of drawing figures."""
        return self.aggregates_only and (people or 0) < self.min_group

    def count(self, people: int, shown: str) -> str:
        """``shown`` (the formatted count), or the hidden marker when ``people`` is too small."""
        return self.hidden if self.too_small(people) else shown

    def hidden_groups(self, sizes: pd.Series, total: int | None = None) -> pd.Series:
        """Which of several groups (``sizes``: people per group, the groups side by side within
        one parent of ``total`` people, default their sum) this audience may not see alone.

        Hidden: a group too small, or whose complement (the parent's other people) is too small.
        Then, because the parent's total is known, the hidden groups together must not be a
        small group either ("everyone" minus the shown groups would describe them): the
        smallest shown groups are hidden too until they are not.
        """
        hide = pd.Series(False, index=sizes.index)
        if not self.aggregates_only or sizes.empty:
            return hide
        total = max(int(total or 0), int(sizes.sum()))
        hide = sizes.map(lambda n: bool(self.too_small(n) or self.too_small(total - n)))
        hidden_sum = int(sizes[hide].sum())
        while self.too_small(hidden_sum):
            shown = sizes[~hide & (sizes > 0)]
            if shown.empty:
                break
            smallest = shown.idxmin()
            hide.loc[[smallest]] = True  # type: ignore[list-item]
            hidden_sum += int(shown.min())
        return hide.astype(bool)

    def _hidden_rows(self, frame: pd.DataFrame, size_column: str, group: str | None,
                     within: str | None, total: int | None) -> pd.Series:
        """Per row of ``frame``: whether its group is hidden (see :meth:`hidden_groups`);
        groups are the values of ``group`` (each row its own group without one), compared
        within each value of ``within`` (e.g. per month)."""
        hide = pd.Series(False, index=frame.index)
        if not self.aggregates_only or frame.empty:
            return hide
        parts = frame.groupby(within, sort=False) if within else [(None, frame)]
        for _, part in parts:
            if group is None:
                hide[part.index] = self.hidden_groups(part[size_column], total)
                continue
            sizes = part.drop_duplicates(group).set_index(group)[size_column]
            hidden = self.hidden_groups(sizes, total)
            hide[part.index] = part[group].map(hidden).fillna(False).astype(bool)
        return hide

    def suppress(self, frame: pd.DataFrame, size_column: str, value_columns: Sequence[str], *,
                 group: str | None = None, within: str | None = None,
                 total: int | None = None) -> pd.DataFrame:
        """A copy in which the rows of hidden groups (:meth:`hidden_groups`) show the hidden
        marker instead of ``size_column`` and ``value_columns`` (unchanged for leads).

        The rows must be groups side by side (departments, segments); ``total`` is their
        parent's size when it holds people in no row."""
        if not self.aggregates_only:
            return frame
        small = self._hidden_rows(frame, size_column, group, within, total)
        out = frame.copy().astype({c: "object" for c in [size_column, *value_columns]})
        out.loc[small, [size_column, *value_columns]] = self.hidden
        return out

    def keep(self, frame: pd.DataFrame, size_column: str, *, group: str | None = None,
             within: str | None = None, total: int | None = None) -> pd.DataFrame:
        """Only the rows this audience may see (for charts): for executives, the rows of
        hidden groups (:meth:`hidden_groups`) are left out."""
        if not self.aggregates_only:
            return frame
        return frame[~self._hidden_rows(frame, size_column, group, within, total)]

    def group_options(self, sizes: dict[str, int], total: int) -> list[GroupOption]:
        """The choices an executive's filter may offer for one dimension.

        ``sizes``: licensed people per value; ``total``: licensed people in the parent
        (everyone). Values that may be seen alone (:meth:`hidden_groups`) are offered on their
        own; the others together as one "Other", unless that is everyone.
        """
        if not self.aggregates_only:
            return [GroupOption(v, (v,)) for v in sorted(sizes)]
        series = pd.Series(sizes, dtype="int64")
        hidden = self.hidden_groups(series, total)
        options = [GroupOption(str(v), (str(v),)) for v in sorted(series.index[~hidden])]
        rest = tuple(sorted(str(v) for v in series.index[hidden]))
        rest_size = int(series[hidden].sum())
        if rest and not self.scope_too_small(rest_size) and (
                rest_size < total and not self.too_small(total - rest_size)):
            options.append(GroupOption(OTHER, rest))
        return options

    def hidden_months(self, group: pd.Series, parent: pd.Series) -> list[date]:
        """Months an executive may not see for a selection: those in which the selection or its
        complement within the parent held fewer people than the minimum.

        ``group`` and ``parent``: licensed people per month (indexed by month); a month missing
        from ``group`` holds nobody of the selection.
        """
        if not self.aggregates_only:
            return []
        hidden: list[date] = []
        for month, total in parent.items():
            people = int(group.get(month, 0))
            selected_all = people == total
            if self.scope_too_small(people) or (
                    not selected_all and self.scope_too_small(int(total) - people)):
                hidden.append(month)  # type: ignore[arg-type]
        return sorted(hidden)

    def shows_change(self, people: Iterable[int]) -> bool:
        """Whether month-over-month changes (joiners, leavers, moves) of these counts may be
        shown: not when any of them is a small non-zero group."""
        return not any(self.too_small(n) for n in people)

    def person_label(self, name: str | None, author_role: str) -> str | None:
        """A name typed by a lead (a goal owner, a retrospective participant), as this audience
        may read it: executives read the author's role (``author_role``, already translated)
        instead of the name."""
        if name is None or name == "":
            return name
        return author_role if self.aggregates_only else name


def min_group_size(conn: duckdb.DuckDBPyConnection) -> int:
    """The minimum group size in force: the setting, never below :data:`MIN_GROUP_FLOOR`."""
    from crm_dash.settings import get_setting  # settings depends on the audit log, not on us

    return max(MIN_GROUP_FLOOR, int(get_setting(conn, "privacy.min_group_size")))


def audience_for(conn: duckdb.DuckDBPyConnection, role: Role) -> Audience:
    """The audience policy for ``role`` with this installation's privacy settings."""
    from crm_dash.settings import get_setting

    return Audience(role=role, min_group=min_group_size(conn),
                    pseudonyms=bool(get_setting(conn, "privacy.pseudonymise")))


def published(conn: duckdb.DuckDBPyConnection) -> Audience:
    """The audience of figures every role reads alike (goals, the retrospective's evidence,
    their reports and exports): judged as for executives, with this installation's minimum."""
    return Audience(role=Role.EXECUTIVE, min_group=min_group_size(conn))


#: :func:`published` with the floor, for pure functions called without a database.
PUBLISHED = Audience(role=Role.EXECUTIVE)
