"""Pieces every demo dataset shares: the calendar, Salesforce ids, names to e-mails, CSV bytes.

Everything here is a pure function of its arguments; randomness comes in as a ``random.Random``.
"""

from __future__ import annotations

import csv
import io
import random
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
MONTHS_OF_DATA = 18
#: The focus department's training wave lies this many months before the last month of data.
WAVE_MONTHS_BEFORE_END = 9
#: Horizon of the demo's goals in months: the wave's goal ends the month before the last of data.
GOAL_MONTHS = 9
#: The department without a wave: its goal starts this many months before the last month of data.
CONTRAST_GOAL_MONTHS_BEFORE_END = 3
#: Go-live of the CRM, in months before the first month of data.
GO_LIVE_MONTHS_BEFORE_FIRST = 2

DAY_MS = 86_400_000
_EPOCH = date(1970, 1, 1)
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_SF_SUFFIX = string.ascii_uppercase + "012345"


def add_months(month: date, n: int) -> date:
    """First day of the month ``n`` months after the month of ``month`` (``n`` may be negative)."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def last_day_of_month(month: date) -> date:
    """Last day of the month of ``month``."""
    return add_months(month, 1) - timedelta(days=1)


def epoch_ms(day: date) -> int:
    """Milliseconds from 1970-01-01 (UTC) to midnight UTC of ``day``."""
    return (day - _EPOCH).days * DAY_MS


def berlin_midnight_utc_ms(day: date) -> int:
    """UTC epoch milliseconds of local midnight in Berlin on ``day``.

    The offset is taken at noon. Clocks change on Sunday nights, so on working days the offset is
    the same all day long.
    """
    offset = datetime(day.year, day.month, day.day, 12, tzinfo=BERLIN).utcoffset()
    assert offset is not None
    return epoch_ms(day) - int(offset.total_seconds()) * 1000


def _easter_sunday(year: int) -> date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def german_holidays(year: int) -> frozenset[date]:
    """Nationwide public holidays in Germany, plus Christmas Eve and New Year's Eve."""
    easter = _easter_sunday(year)
    fixed = [(1, 1), (5, 1), (10, 3), (12, 24), (12, 25), (12, 26), (12, 31)]
    moving = [-2, 1, 39, 50]  # Good Friday, Easter Monday, Ascension, Whit Monday
    return frozenset(
        [date(year, m, d) for m, d in fixed] + [easter + timedelta(days=n) for n in moving]
    )


@dataclass(frozen=True)
class DemoCalendar:
    """The months the demo covers and the dates its story hangs on."""

    months: tuple[date, ...]
    go_live: date
    wave_index: int
    _workdays: dict[int, tuple[date, ...]] = field(default_factory=dict, compare=False)

    @property
    def first_month(self) -> date:
        return self.months[0]

    @property
    def end_month(self) -> date:
        return self.months[-1]

    @property
    def last_day(self) -> date:
        return last_day_of_month(self.end_month)

    @property
    def wave_month(self) -> date:
        return self.months[self.wave_index]

    @property
    def snapshot_ms(self) -> int:
        """The pipeline snapshot instant: end of the last day of data, 18:00 UTC."""
        return epoch_ms(self.last_day) + 18 * 3_600_000

    def month_index(self, day: date) -> int:
        """Index of the month of ``day`` in :attr:`months` (may be outside 0..17)."""
        first = self.first_month
        return (day.year - first.year) * 12 + day.month - first.month

    def workdays(self, index: int) -> tuple[date, ...]:
        """Monday to Friday of month ``index``, without public holidays."""
        cached = self._workdays.get(index)
        if cached is None:
            month = add_months(self.first_month, index)
            holidays = german_holidays(month.year)
            day, days = month, []
            while day.month == month.month:
                if day.weekday() < 5 and day not in holidays:
                    days.append(day)
                day += timedelta(days=1)
            cached = self._workdays[index] = tuple(days)
        return cached


def build_calendar(end_month: date) -> DemoCalendar:
    """The 18 months ending with ``end_month`` (first day of a month)."""
    first = add_months(end_month, -(MONTHS_OF_DATA - 1))
    months = tuple(add_months(first, i) for i in range(MONTHS_OF_DATA))
    return DemoCalendar(
        months=months,
        go_live=add_months(first, -GO_LIVE_MONTHS_BEFORE_FIRST),
        wave_index=MONTHS_OF_DATA - 1 - WAVE_MONTHS_BEFORE_END,
    )


def sf_id18(id15: str) -> str:
    """The 18-character form of a 15-character Salesforce id (case-safe checksum suffix)."""
    suffix = ""
    for chunk in (id15[0:5], id15[5:10], id15[10:15]):
        bits = sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")
        suffix += _SF_SUFFIX[bits]
    return id15 + suffix


def new_sf_ids(rng: random.Random, prefix: str, count: int) -> list[str]:
    """``count`` distinct 18-character Salesforce ids with key prefix ``prefix`` (e.g. ``005``).

    The first 15 characters are distinct too: they are what joins the 15- and 18-character forms.
    """
    seen: set[str] = set()
    ids: list[str] = []
    while len(ids) < count:
        id15 = prefix + "7Q000" + "".join(rng.choice(_BASE62) for _ in range(7))
        if id15 not in seen:
            seen.add(id15)
            ids.append(sf_id18(id15))
    return ids


_TRANSLIT = str.maketrans(
    {
        "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss",
        "é": "e", "è": "e", "á": "a", "à": "a", "ó": "o", "ç": "c", "Ç": "C", "ñ": "n",
        "ë": "e", "ï": "i", "í": "i", " ": "",
    }
)


def email_for(first_name: str, last_name: str, domain: str) -> str:
    """``vorname.nachname@domain`` in lower case, umlauts transliterated (ü → ue, ß → ss)."""
    local = f"{first_name.translate(_TRANSLIT)}.{last_name.translate(_TRANSLIT)}".lower()
    return f"{local}@{domain}"


def render_csv(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    quote_all: bool = False,
    line_terminator: str = "\n",
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    """CSV bytes in one export dialect. ``None`` becomes an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
        lineterminator=line_terminator,
    )
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def iso_z(ms: int) -> str:
    """Salesforce API timestamp: ``2026-10-01T08:15:30.000Z``."""
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def utc_naive(ms: int) -> datetime:
    """The UTC instant ``ms`` as a naive datetime (how the store keeps timestamps)."""
    return datetime(1970, 1, 1) + timedelta(milliseconds=ms)
