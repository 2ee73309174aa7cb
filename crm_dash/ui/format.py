"""What formatting needs Streamlit for: the definition caption, table column configs.

The formats themselves (numbers, dates, months, shares, money, table cells and their widths) are
Streamlit-free in :mod:`crm_dash.i18n`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from crm_dash.i18n import Language, fmt_date, t
from crm_dash.i18n.tables import column_width
from crm_dash.metrics.definitions import (
    VersionedDefinition,
    describe,
    describe_productive,
)


def definition_caption(versioned: VersionedDefinition, lang: Language) -> None:
    """Which definition the figures use, with every threshold one hover away."""
    if versioned.version == 0:
        text = t("adoption.def.caption_default", lang)
    else:
        text = t("adoption.def.caption_version" if versioned.changed_by else
                 "adoption.def.caption_version_since", lang, version=versioned.version,
                 date=fmt_date(versioned.changed_at, lang), who=versioned.changed_by)
    productive = describe_productive(versioned.definition, lang)
    st.caption(
        f":material/rule: {text} · {t('adoption.def.productive_label', lang)}: {productive}",
        help=describe(versioned.definition, lang),
    )


#: How a table's date column is drawn, as :func:`crm_dash.i18n.fmt_date` writes dates (Streamlit's
#: "localized" would follow the browser's language, not the app's).
_DATE_COLUMN_FORMATS: dict[Language, str] = {"de": "DD.MM.YYYY", "en": "D MMM YYYY"}


def fitted_columns(frame: pd.DataFrame, *, maximum: int = 320,
                   maxima: dict[str, int] | None = None) -> dict[str, Any]:
    """``column_config`` giving every column of ``frame`` (headed in the UI language) the width
    its heading and values need, values cut at ``maximum`` (``maxima``: per column)."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        width = column_width(str(column), frame[column].tolist(),
                             maximum=(maxima or {}).get(str(column), maximum))
        config[str(column)] = st.column_config.Column(str(column), width=width)
    return config


def date_column(label: str, lang: Language, **kwargs: Any) -> Any:
    """A table column of dates in the UI language's format (sortable as dates), as wide as its
    heading and a date need unless ``width`` is given."""
    sample = "00.00.0000" if lang == "de" else "00 Sep 0000"
    kwargs.setdefault("width", column_width(label, [sample], help_icon="help" in kwargs))
    return st.column_config.DateColumn(label, format=_DATE_COLUMN_FORMATS[lang], **kwargs)


def pct_format(lang: Language) -> str:
    """The printf format of a number column holding percentages (``30 %`` / ``30%``), as
    :func:`crm_dash.i18n.fmt_percent` writes them."""
    return "%.0f %%" if lang == "de" else "%.0f%%"
