"""How a page shows a figure it cannot compute: "Not in your data", the reason and the fix.

A figure whose input is missing is unknown, never 0 (see :mod:`crm_dash.metrics.gaps`). A tile
(:func:`tile`) shows "–" and "Not in your data"; one note under the tiles says why, per missing
field, in words a project lead understands.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from crm_dash.i18n import Language, fmt_int, month_long, t
from crm_dash.metrics.definitions import AdoptionDefinition
from crm_dash.metrics.gaps import FieldGap, gap_text


def unknown_value(lang: Language) -> str:
    """What an unknown figure reads as in a sentence or a table cell: "Not in your data"."""
    return t("gap.not_in_your_data", lang)


def tile(column: DeltaGenerator, label: str, value: str, *, unknown: bool, lang: Language,
         **kwargs: Any) -> None:
    """A metric tile; an ``unknown`` one shows "–" with "Not in your data" underneath (the
    words fit a quarter of the page, where they would be cut off as the value)."""
    if unknown:
        value = "–"
        kwargs.update(delta=unknown_value(lang), delta_color="off", delta_arrow="off")
    column.metric(label, value, **kwargs)


def explain(reasons: Iterable[str], lang: Language) -> None:
    """One note with the reasons (already in words) why figures on this page are unknown."""
    lines = list(dict.fromkeys(reasons))
    if lines:
        body = "\n".join(f"- {line}" for line in lines)
        st.warning(f"**{t('gap.why_unknown', lang)}**\n\n{body}", icon=":material/help:")


def explain_gaps(gaps: Iterable[FieldGap], lang: Language) -> None:
    """:func:`explain` for missing fields."""
    explain((gap_text(gap, lang) for gap in gaps), lang)


def no_writes_reason(months: Iterable[date], definition: AdoptionDefinition,
                     lang: Language) -> str:
    """Why productive and sporadic are unknown in ``months``: the log records no writes."""
    shown = sorted(months)
    named = ", ".join(month_long(m, lang) for m in shown[-3:])
    if len(shown) > 3:
        named = t("gap.no_writes.more", lang, n=fmt_int(len(shown) - 3, lang), months=named)
    actions = ", ".join(t(f"adoption.action.{a}", lang) for a in definition.write_actions)
    return t("gap.no_writes", lang, months=named, actions=actions,
             writes=fmt_int(definition.productive_min_writes, lang))
