"""What a column's values look like: the value half of the mapping evidence.

A profile is built from the first rows of a file (a sample, never the whole file) and says which
share of the non-empty values are e-mails, CRM ids (Salesforce 15/18 characters, GUIDs, long
integers), dates, numbers or money, yes/no words, person names, currency codes, and which share
are labels of a field's vocabulary (actions, training statuses, won/lost/open, ...).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from crm_dash.importing.labels import NO, YES, resolve_label
from crm_dash.importing.parse import _DATE_PATTERNS

_EMAIL = re.compile(r"[^@\s<>()]+@[^@\s<>()]+\.[a-z]{2,}(\s*\(.*\))?", re.IGNORECASE)
_SFID = re.compile(r"[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?")
_GUID = re.compile(r"\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}\}?")
_INT_ID = re.compile(r"\d{3,}")
_TOKEN_ID = re.compile(r"[A-Za-z]{0,6}[-_ ]?\d{2,}[A-Za-z0-9-]*")  # "U-1042", "MA0042"
_NUMBER = re.compile(
    r"[-+]?\s?(€|\$|£|eur|usd|chf|gbp)?\s?[-+]?(\d{1,3}([.,'’ \u00a0]\d{3})+|\d+)([.,]\d+)?"
    r"\s?(€|\$|£|eur|usd|chf|gbp|%)?", re.IGNORECASE)
_PERSON = re.compile(r"[^\W\d_][\w'’.-]*(,? [^\W\d_][\w'’.-]*){1,3}")
_CURRENCY = re.compile(r"[A-Z]{3}|€|\$|£|euro|eur|(us[- ])?dollars?|swiss francs?|schweizer franken"
                       r"|franken|pounds?( sterling)?|pfund", re.IGNORECASE)
_DATES = tuple(p for key, p in _DATE_PATTERNS if key not in ("epoch_ms", "epoch_s"))
_EPOCH = re.compile(r"\d{9,10}|\d{12,13}")
_YES_NO = YES | NO


@dataclass(frozen=True)
class ValueProfile:
    """Shares of a column's non-empty sample values, by what they look like."""

    rows: int  # sampled rows
    filled: int  # of them with a value
    shares: Mapping[str, float] = field(default_factory=dict)
    distinct: int = 0
    values: tuple[tuple[str, int], ...] = ()  # most frequent values, lower-case, counted

    def share(self, what: str) -> float:
        return self.shares.get(what, 0.0)

    @property
    def fill(self) -> float:
        return self.filled / self.rows if self.rows else 0.0

    @property
    def distinct_ratio(self) -> float:
        return self.distinct / self.filled if self.filled else 0.0

    def label_share(self, labels: Mapping[str, str], *, plain_yes_no: bool = True) -> float:
        """Share of the values (by rows) that are labels of ``labels``; without the plain
        yes/no words when ``plain_yes_no`` is false (they fit every flag alike)."""
        if not self.filled:
            return 0.0
        hits = sum(count for value, count in self.values
                   if (plain_yes_no or value not in _YES_NO) and _is_label(value)
                   and resolve_label(labels, value) is not None)
        return hits / sum(count for _, count in self.values)


def _is_label(value: str) -> bool:
    """A label is short: a sentence ("Lost to a competitor on price") is a note, even when one
    of its words is a label."""
    return len(value) <= 40 and len(value.split()) <= 4


def _kind_of(value: str) -> set[str]:
    """What one value looks like (it can look like several things: ``1`` is a number and a
    yes/no word)."""
    kinds: set[str] = set()
    low = value.lower()
    if _EMAIL.fullmatch(value):
        kinds.add("email")
    if _GUID.fullmatch(value):
        kinds |= {"guid", "id"}
    elif _SFID.fullmatch(value) and any(c.isdigit() for c in value) and any(
            c.isalpha() for c in value):
        kinds |= {"sfid", "id"}
    elif _INT_ID.fullmatch(value) or _TOKEN_ID.fullmatch(value):
        kinds.add("id")
    if any(p.fullmatch(value) for p in _DATES):
        kinds.add("date")
        if re.search(r"\d:\d\d", value):
            kinds.add("time")
    elif _EPOCH.fullmatch(value):
        kinds.add("epoch")
    elif _NUMBER.fullmatch(value):
        kinds.add("number")
        if re.search(r"[.,]\d{1,2}\s?(€|\$|£|eur|usd|chf|gbp)?$|€|\$|£|eur|usd|chf|gbp", low):
            kinds.add("money")  # cents or a currency: an amount, not a code like 4100
        if low.endswith("%"):
            kinds.add("percent")
    if low in _YES_NO:
        kinds.add("yes_no")
    if _CURRENCY.fullmatch(value):
        kinds.add("currency")
    if "@" not in value and _PERSON.fullmatch(value):
        kinds.add("person")
    if not kinds & {"email", "id", "date", "epoch", "number"} and any(c.isalpha() for c in value):
        kinds.add("text")
        if len(value) <= 64 and not any(c.isspace() for c in value):
            kinds.add("token")  # one word: a login name, a short id ("U1"), a first name
    return kinds


def profile(values: Sequence[str | None]) -> ValueProfile:
    """The profile of a column from its sampled values (``None`` or blank: no value)."""
    present = [v.strip() for v in values if v is not None and v.strip()]
    counts = Counter(present)
    kinds: Counter[str] = Counter()
    for value, count in counts.items():
        for kind in _kind_of(value):
            kinds[kind] += count
    total = len(present)
    lowered: Counter[str] = Counter()
    for value, count in counts.items():
        lowered[value.lower()] += count
    return ValueProfile(
        rows=len(values), filled=total,
        shares={k: n / total for k, n in kinds.items()} if total else {},
        distinct=len(counts), values=tuple(lowered.most_common(200)),
    )
