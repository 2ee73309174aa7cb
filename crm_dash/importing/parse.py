"""Date and number formats, decided per column from a sample, applied as DuckDB casts.

The sample is a few thousand values; deciding the format is configuration-sized work done in
Python. The chosen format becomes one SQL expression that DuckDB applies to every row; a value
that does not parse in the column's format becomes NULL there and is rejected with that format
named in the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from crm_dash.importing.labels import NO, YES


@dataclass(frozen=True)
class ValueFormat:
    """How the values of one column are written, and the SQL that reads them.

    ``sql`` is a template with ``$v`` standing for the trimmed text value; it yields the typed
    value or NULL.
    """

    key: str
    label: str
    sql: str


_HMS = r"(,? \d{1,2}:\d{2}(:\d{2})?)?"  # Salesforce Lightning: "12.10.2026, 08:05"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(
        r"\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?"
        r"\s?(Z|UTC|[+-]\d{2}(:?\d{2})?)?", re.IGNORECASE)),
    ("iso_slash", re.compile(r"\d{4}/\d{1,2}/\d{1,2}" + _HMS)),
    ("de", re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}" + _HMS)),
    ("de_short", re.compile(r"\d{1,2}\.\d{1,2}\.\d{2}" + _HMS)),
    ("us", re.compile(r"\d{1,2}/\d{1,2}/\d{4}(,? \d{1,2}:\d{2}(:\d{2})?( ?[AaPp][Mm])?)?")),
    ("mon", re.compile(r"\d{1,2}[- ](jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[- ]"
                       r"\d{2,4}", re.IGNORECASE)),
    ("sf_compact", re.compile(r"\d{14}(\.\d{1,3})?")),
    ("epoch_ms", re.compile(r"\d{12,13}")),
    ("epoch_s", re.compile(r"\d{9,10}")),
)


def _strptime(*formats: str) -> str:
    listed = ", ".join(f"'{f}'" for f in formats)
    return f"try_strptime($v, [{listed}])"


DATE_FORMATS: dict[str, ValueFormat] = {
    f.key: f
    for f in (
        # ISO: the most common shapes parse fastest with strptime; the rest by cast, where a
        # value with an offset goes through TIMESTAMPTZ (to UTC) and one without a zone or in
        # UTC takes the plain cast (several times faster).
        ValueFormat(
            "iso", "ISO 8601 (yyyy-mm-dd[Thh:mm:ss][Z|±hh:mm])",
            "coalesce(try_strptime($v, ['%Y-%m-%dT%H:%M:%S.%gZ', '%Y-%m-%dT%H:%M:%SZ',"
            " '%Y-%m-%d %H:%M:%S', '%Y-%m-%d']),"
            " CASE WHEN contains(substr($v, 17), '+') OR contains(substr($v, 17), '-')"
            " THEN TRY_CAST(TRY_CAST($v AS TIMESTAMPTZ) AS TIMESTAMP)"
            " ELSE TRY_CAST($v AS TIMESTAMP) END)",
        ),
        ValueFormat("iso_slash", "yyyy/mm/dd [hh:mm]",
                    _strptime("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")),
        ValueFormat("de", "dd.mm.yyyy [hh:mm]",
                    _strptime("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
                              "%d.%m.%Y, %H:%M:%S", "%d.%m.%Y, %H:%M")),
        ValueFormat("de_short", "dd.mm.yy [hh:mm]",
                    _strptime("%d.%m.%y %H:%M:%S", "%d.%m.%y %H:%M", "%d.%m.%y")),
        ValueFormat("us", "m/d/yyyy [h:mm AM/PM]",
                    _strptime("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S",
                              "%m/%d/%Y %H:%M", "%m/%d/%Y", "%m/%d/%Y, %I:%M:%S %p",
                              "%m/%d/%Y, %I:%M %p", "%m/%d/%Y, %H:%M")),
        ValueFormat("uk", "d/m/yyyy [hh:mm]",
                    _strptime("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
                              "%d/%m/%Y, %H:%M:%S", "%d/%m/%Y, %H:%M")),
        ValueFormat("mon", "d-Mon-yyyy",
                    _strptime("%d-%b-%Y", "%d-%b-%y", "%d %b %Y", "%d %B %Y", "%d-%B-%Y")),
        ValueFormat("sf_compact", "yyyyMMddHHmmss.SSS (UTC)",
                    _strptime("%Y%m%d%H%M%S.%g", "%Y%m%d%H%M%S")),
        ValueFormat("epoch_ms", "epoch milliseconds",
                    "CASE WHEN regexp_full_match($v, '[0-9]{12,13}')"
                    " THEN epoch_ms(CAST($v AS BIGINT)) END"),
        ValueFormat("epoch_s", "epoch seconds",
                    "CASE WHEN regexp_full_match($v, '[0-9]{9,10}')"
                    " THEN CAST(to_timestamp(CAST($v AS BIGINT)) AS TIMESTAMP) END"),
    )
}
#: A column without any value in the sample: ISO, the generic template's format.
DEFAULT_DATE_FORMAT = DATE_FORMATS["iso"]


def detect_date_format(sample: Iterable[str]) -> ValueFormat:
    """The date format most values of the sample are written in.

    Slash dates are US (``m/d/yyyy``) unless a first part above 12 shows day-first.
    """
    values = [v.strip() for v in sample if v and v.strip()]
    if not values:
        return DEFAULT_DATE_FORMAT
    scores = {key: sum(1 for v in values if pattern.fullmatch(v)) for key, pattern in
              _DATE_PATTERNS}
    best = max(scores, key=lambda key: scores[key])  # first of equals: patterns are ordered
    if scores[best] == 0:
        return DEFAULT_DATE_FORMAT
    if best == "iso":
        return _iso_in_sample_order(values)
    if best == "us":
        firsts = [int(v.split("/")[0]) for v in values if _DATE_PATTERNS[4][1].fullmatch(v)]
        seconds = [int(v.split("/")[1]) for v in values if _DATE_PATTERNS[4][1].fullmatch(v)]
        if any(f > 12 for f in firsts) and not any(s > 12 for s in seconds):
            return DATE_FORMATS["uk"]
    return DATE_FORMATS[best]


#: The ISO shapes strptime reads, each with the values it takes. A value fits at most one of
#: them (strptime must consume the whole value), so their order changes no result, only the
#: time: each format tried in vain costs about 0.4 µs per value, seconds at 10 million rows.
_ISO_STRPTIME: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("%Y-%m-%dT%H:%M:%S.%gZ", re.compile(r"\d{4}-\d{1,2}-\d{1,2}T\d{1,2}:\d{2}:\d{2}\.\d+Z")),
    ("%Y-%m-%dT%H:%M:%SZ", re.compile(r"\d{4}-\d{1,2}-\d{1,2}T\d{1,2}:\d{2}:\d{2}Z")),
    ("%Y-%m-%d %H:%M:%S", re.compile(r"\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:\d{2}")),
    ("%Y-%m-%d", re.compile(r"\d{4}-\d{1,2}-\d{1,2}")),
)
_ISO_LIST = ", ".join(f"'{fmt}'" for fmt, _ in _ISO_STRPTIME)


def _iso_in_sample_order(values: list[str]) -> ValueFormat:
    """The ISO format with its strptime shapes tried most common first in ``values`` (ties keep
    the usual order): the same values, typed the same, without failed attempts first."""
    counts = [sum(1 for v in values if pattern.fullmatch(v)) for _, pattern in _ISO_STRPTIME]
    order = sorted(range(len(_ISO_STRPTIME)), key=lambda i: -counts[i])
    listed = ", ".join(f"'{_ISO_STRPTIME[i][0]}'" for i in order)
    iso = DATE_FORMATS["iso"]
    return ValueFormat(iso.key, iso.label, iso.sql.replace(_ISO_LIST, listed, 1))


# Numbers: currency signs, spaces and apostrophes (Swiss grouping) are dropped first.
_NUMBER_CLEAN = (
    "regexp_replace($v, '^(?i:eur|usd|chf|gbp|€|\\$|£)\\s*|\\s*(?i:eur|usd|chf|gbp|€|\\$|£|%)$"
    "|[\\s\u00a0''’]', '', 'g')"
)
NUMBER_FORMATS: dict[str, ValueFormat] = {
    "en": ValueFormat(
        "en", "1,234.56",
        "CASE WHEN regexp_full_match($c, '[-+]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)"
        "(\\.[0-9]+)?') THEN TRY_CAST(replace($c, ',', '') AS DECIMAL(18, 2)) END",
    ),
    "de": ValueFormat(
        "de", "1.234,56",
        "CASE WHEN regexp_full_match($c, '[-+]?([0-9]+|[0-9]{1,3}(\\.[0-9]{3})+)"
        "(,[0-9]+)?') THEN TRY_CAST(replace(replace($c, '.', ''), ',', '.')"
        " AS DECIMAL(18, 2)) END",
    ),
}
_CLEAN_PY = re.compile(
    r"^(?i:eur|usd|chf|gbp|€|\$|£)\s*|\s*(?i:eur|usd|chf|gbp|€|\$|£|%)$|[\s\u00a0'’]"
)
_GROUPED_COMMA = re.compile(r"[-+]?\d{1,3}(,\d{3})+")
_GROUPED_DOT = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")


def number_sql(fmt: ValueFormat, value_sql: str) -> str:
    """SQL giving a DECIMAL from the text ``value_sql`` in number format ``fmt``."""
    return fmt.sql.replace("$c", _NUMBER_CLEAN).replace("$v", value_sql)


def detect_number_format(sample: Iterable[str], *, decimal_comma_hint: bool) -> ValueFormat:
    """``1.234,56`` or ``1,234.56``, by what the unambiguous values of the column show.

    ``1.234`` or ``1,234`` alone could be either; when nothing in the column decides, the file
    decides (a ``;``-separated file comes from a German Excel).
    """
    german = english = 0
    for raw in sample:
        value = _CLEAN_PY.sub("", raw.strip())
        if not value:
            continue
        has_comma, has_dot = "," in value, "." in value
        if has_comma and has_dot:
            if value.rfind(",") > value.rfind("."):
                german += 1
            else:
                english += 1
        elif has_comma and not _GROUPED_COMMA.fullmatch(value):
            german += 1
        elif has_dot and not _GROUPED_DOT.fullmatch(value):
            english += 1
    if german != english:
        return NUMBER_FORMATS["de" if german > english else "en"]
    return NUMBER_FORMATS["de" if decimal_comma_hint else "en"]


def is_plain_yes_no(sample: Iterable[str]) -> bool:
    """Whether every value of the sample is a yes/no word (then other values are errors)."""
    values = [v.strip().lower() for v in sample if v and v.strip()]
    return bool(values) and all(v in YES or v in NO for v in values)


def date_sql(fmt: ValueFormat, value_sql: str) -> str:
    """SQL giving a TIMESTAMP from the text ``value_sql`` in date format ``fmt``."""
    return fmt.sql.replace("$v", value_sql)
