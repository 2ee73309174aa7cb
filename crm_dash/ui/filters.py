"""Filters of the adoption pages (months, department, team, role), kept in the URL.

What a filter offers depends on the audience (:mod:`crm_dash.audience`): leads combine
department, team and role freely; executives filter by one group at a time, and only by groups
that, like the people outside them, are large enough to show (smaller ones are merged into
"Other"), so that no two allowed selections differ by a handful of people.

Each filter lives in a query parameter (``?months=2025-06&months=2026-10&department=...``), so a
filtered view can be bookmarked or shared: opening the link restores the filters, and parameters
that do not fit the data (a department that no longer exists) are ignored. The group filters
use Streamlit's ``bind="query-params"`` (the default, everyone, leaves the URL clean); the months
are kept as ISO months by hand (see :func:`_month_widget`).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from crm_dash.audience import Audience, GroupOption
from crm_dash.i18n import Language, month_label, t
from crm_dash.metrics.adoption import filter_people, licensed
from crm_dash.views.filters import Filters


def _iso(month: date) -> str:
    return f"{month:%Y-%m}"


def _from_iso(value: str) -> date:
    return date(int(value[:4]), int(value[5:7]), 1)


def group_select(values: list[str], key: str, label: str, everyone: str,
                 help_text: str | None = None) -> str | None:
    """A select box of ``values`` headed by the "everyone" choice; the chosen value or ``None``.

    The choice is kept in the URL under ``key``; "everyone", the default, leaves it out. The
    "everyone" option is its label in the current language: after a language switch it is no
    longer among the options, so Streamlit shows the new label instead of keeping the old one
    (a placeholder value with a translated label stayed in the old language).
    """
    choice = st.selectbox(label, [everyone, *values], key=key, bind="query-params",
                          help=help_text)
    return None if choice in (None, everyone) else str(choice)


def _group_select(frame: pd.DataFrame, column: str, label: str, everyone: str,
                  help_text: str) -> str | None:
    # Groups of licensed people only: a department of integration accounts ("IT") filters
    # down to nobody.
    values = sorted(str(v) for v in licensed(frame, [column])[column].dropna().unique())
    return group_select(values, column, label, everyone, help_text)


def _from_url(param: str, options: list[str], size: int) -> list[str] | None:
    """``size`` valid month values from the URL parameter ``param``, else ``None``."""
    values = st.query_params.get_all(param)
    if len(values) == 1 and size == 2:
        values = values * 2  # one month as a range
    if len(values) != size or any(v not in options for v in values):
        return None
    return sorted(values)


def _to_url(key: str, param: str) -> None:
    """Widget callback: write the chosen month(s) into the URL as ISO months."""
    value = st.session_state[key]
    st.query_params[param] = list(value) if isinstance(value, tuple | list) else value


def _month_widget(options: list[str], lang: Language, *, single: bool,
                  default_months: int) -> tuple[date, date]:
    """The month range (or one month), kept in the URL as ISO months (``?months=2026-10``).

    The months are synced by hand rather than with ``bind``: a bound select slider writes its
    displayed labels ("Okt. 2026") into the URL, which would not survive a change of language.
    """
    key, param = ("filter_month", "month") if single else ("filter_months", "months")
    from_url = _from_url(param, options, 1 if single else 2)

    def label(value: str) -> str:
        return month_label(_from_iso(value), lang)

    if single:
        latest_first = options[::-1]
        picked = st.selectbox(t("filters.month", lang), latest_first,
                              index=latest_first.index(from_url[0]) if from_url else 0, key=key,
                              on_change=_to_url, args=(key, param),
                              help=t("filters.month_help", lang), format_func=label)
        return _from_iso(str(picked)), _from_iso(str(picked))
    if len(options) == 1:
        return _from_iso(options[0]), _from_iso(options[0])
    default = (options[max(0, len(options) - default_months)], options[-1])
    chosen = st.select_slider(t("filters.months", lang), options=options,
                              value=tuple(from_url) if from_url else default, key=key,
                              on_change=_to_url, args=(key, param),
                              help=t("filters.months_help", lang), format_func=label)
    return _from_iso(str(chosen[0])), _from_iso(str(chosen[1]))


_GROUPS = ("department", "team", "role")


def _option_label(option: GroupOption, lang: Language) -> str:
    return t("filters.other", lang) if option.is_other else option.label


def _executive_groups(frame: pd.DataFrame, first: date, last: date, lang: Language,
                      audience: Audience, cols: list[DeltaGenerator]) -> Filters:
    """One group filter at a time, offering only groups the audience may see alone.

    Group sizes are the licensed people of ``last`` (the month the headline figures use);
    the pages also leave out earlier months in which a chosen group, or everyone outside it,
    was too small (:meth:`Audience.hidden_months`).
    """
    now = licensed(frame[frame["month"] == last])
    chosen: dict[str, str | None] = dict.fromkeys(_GROUPS)
    other = None
    for column, col in zip(_GROUPS, cols, strict=True):
        with col:
            if any(chosen.values()) or other is not None:
                st.caption(t("filters.one_group", lang, group=t(f"filters.{column}", lang)))
                continue
            sizes = now[column].dropna().astype(str).value_counts().to_dict()
            options = audience.group_options({str(k): int(v) for k, v in sizes.items()},
                                             len(now))
            labels = {_option_label(o, lang): o for o in options}
            picked = group_select(list(labels), column, t(f"filters.{column}", lang),
                                  t(f"filters.all_{column}s", lang),
                                  t("filters.group_help_executive", lang))
            option = labels.get(picked) if picked is not None else None
            if option is not None and option.is_other:
                other = (column, option.members)
            elif option is not None:
                chosen[column] = option.label
    return Filters(first, last, chosen["department"], chosen["team"], chosen["role"], other)


def adoption_filters(
    frame: pd.DataFrame, months: list[date], lang: Language, audience: Audience, *,
    single_month: bool = False, default_months: int = 12,
) -> Filters:
    """The filter row: a month range (or one month) and department, team, role.

    For leads, the team and role choices follow the chosen department. Executives choose one
    group at a time among those the audience policy allows (see :func:`_executive_groups`).
    The default range is the latest ``default_months`` complete months (at least 12 are shown
    when the data has them).
    """
    options = [_iso(m) for m in months]
    cols = st.columns([3, 2, 2, 2]) if not single_month else st.columns([2, 2, 2, 2])
    with cols[0]:
        first, last = _month_widget(options, lang, single=single_month,
                                    default_months=default_months)
    if audience.aggregates_only:
        return _executive_groups(frame, first, last, lang, audience, list(cols[1:]))
    with cols[1]:
        department = _group_select(frame, "department", t("filters.department", lang),
                                   t("filters.all_departments", lang),
                                   t("filters.department_help", lang))
    scoped = filter_people(frame, department=department)
    with cols[2]:
        team = _group_select(scoped, "team", t("filters.team", lang), t("filters.all_teams", lang),
                             t("filters.team_help", lang))
    with cols[3]:
        role = _group_select(filter_people(scoped, team=team), "role", t("filters.role", lang),
                             t("filters.all_roles", lang), t("filters.role_help", lang))
    return Filters(first, last, department, team, role)
