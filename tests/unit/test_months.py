"""The one reading of a ``YYYY-MM`` month and the month arithmetic around it."""

from __future__ import annotations

from datetime import date

import pytest

from crm_dash.months import parse_month


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-10", date(2026, 10, 1)), ("2026-3", date(2026, 3, 1)), ("2026-03", date(2026, 3, 1)),
     ("1999-12", date(1999, 12, 1)), (" 2026-01 ", date(2026, 1, 1))],
)
def test_a_month_is_its_first_day(text: str, expected: date) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text", ["2026/10", "2026-13", "2026-0", "2026-03-01", "202610", "", "-", "Oct 2026", "x-y",
             "0-01"],
)
def test_anything_else_is_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_month(text)
    assert str(refused.value) == f"expected YYYY-MM, got {text!r}"
