"""German and English: every UI text, and every number, date and amount as the reader's language
writes it. The one home of language and formatting:

- :mod:`~crm_dash.i18n.catalog`: the languages, the catalogs (``crm_dash/locales/<lang>/*.json``)
  and :func:`t` with its singular/plural rule.
- :mod:`~crm_dash.i18n.numbers`: whole numbers, decimals, shares, signed changes, money (Babel).
- :mod:`~crm_dash.i18n.dates`: dates, times and months (Babel).
- :mod:`~crm_dash.i18n.tables`: table cells as the language writes them, and how wide text is.
- :mod:`~crm_dash.i18n.labels`: the adoption segments' names and definitions.

The names of the first three are re-exported here (``from crm_dash.i18n import t, fmt_int``);
``tables`` (pandas) and ``labels`` (it reads the segments from ``crm_dash.metrics``, which uses
this package) are imported from their modules. A text for a reader never formats a number or a
date by hand (``f"{x:,}"``, ``strftime``, ``.replace(",", ".")``): it uses a function here, and a
format missing here is added here.
"""

from __future__ import annotations

from crm_dash.i18n.catalog import (
    COUNT_PLACEHOLDERS,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Language,
    as_language,
    babel_locale,
    catalog,
    catalog_files,
    language_from_locale,
    t,
)
from crm_dash.i18n.dates import (
    fmt_date,
    fmt_datetime,
    fmt_month,
    month_label,
    month_long,
    with_month_labels,
)
from crm_dash.i18n.numbers import (
    count_delta,
    currencies_text,
    fmt_decimal,
    fmt_int,
    fmt_money,
    fmt_money_whole,
    fmt_number,
    fmt_percent,
    fmt_signed,
    money_text,
    share_delta,
    share_text,
)

__all__ = [
    "COUNT_PLACEHOLDERS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Language",
    "as_language",
    "babel_locale",
    "catalog",
    "catalog_files",
    "count_delta",
    "currencies_text",
    "fmt_date",
    "fmt_datetime",
    "fmt_decimal",
    "fmt_int",
    "fmt_money",
    "fmt_money_whole",
    "fmt_month",
    "fmt_number",
    "fmt_percent",
    "fmt_signed",
    "language_from_locale",
    "money_text",
    "month_label",
    "month_long",
    "share_delta",
    "share_text",
    "t",
    "with_month_labels",
]
