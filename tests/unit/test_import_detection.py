"""Detection: encoding, delimiter, preamble, footer, duplicate headers; date and number formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_dash.importing.parse import detect_date_format, detect_number_format
from crm_dash.importing.sniff import detect_layout, scan_file, unique_headers


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("a,b\nMüller,1\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "a,b\nMüller,1\n".encode(), "utf-8-sig"),
        ("a;b\r\nMüller;1\r\n".encode("cp1252"), "cp1252"),
        ("a\tb\r\nMüller\t1\r\n".encode("utf-16"), "utf-16"),  # Excel "Unicode text"
        (b"a,b\n" + b"x,1\n" * 100_000 + "Müller,1\n".encode("cp1252"), "cp1252"),  # late umlaut
    ],
)
def test_encoding(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert scan_file(path).encoding == encoding


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1,5;2;3\n", ";"),  # decimal commas inside a ;-file
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ('"name","note"\n"Müller","x;y;z"\n', ","),  # ; inside quotes
    ],
)
def test_delimiter(tmp_path: Path, text: str, delimiter: str) -> None:
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    assert detect_layout(path).delimiter == delimiter


def test_preamble_and_footer(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text(
        "Opportunity Pipeline Report\n"
        "Generated: 2026-11-01\n"
        "\n"
        '"Opportunity Name","Stage","Amount"\n'  # line 4
        '"Total Solutions - 5 Widgets","Prospecting","1,000.00"\n'  # "Total" but data
        '"Acme","Closed Won","2,000.00"\n'
        "\n"
        '"Grand Totals (2 records)","","3,000.00"\n'
        '""\n'
        '"Confidential Information - Do Not Distribute"\n'
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n',
        encoding="utf-8",
    )
    layout = detect_layout(path)
    assert (layout.header_line, layout.preamble_lines) == (4, 3)
    assert layout.headers == ("Opportunity Name", "Stage", "Amount")
    assert layout.footer_lines == 3
    data = path.read_bytes()[layout.data_start:layout.data_end].decode()
    assert data.splitlines() == [
        '"Opportunity Name","Stage","Amount"',
        '"Total Solutions - 5 Widgets","Prospecting","1,000.00"',
        '"Acme","Closed Won","2,000.00"',
    ]  # the blank line above "Grand Totals" belongs to the footer


def test_a_file_without_footer_is_read_in_place(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n\n\n", encoding="utf-8")
    layout = detect_layout(path)
    assert (layout.data_end, layout.footer_lines) == (path.stat().st_size, 0)


def test_duplicate_and_blank_headers_become_unique() -> None:
    assert unique_headers(["\ufeffAssociated Company", "Name", "Associated Company", "",
                           "associated company"]) == (
        ("Associated Company", "Name", "Associated Company (2)", "column 4",
         "associated company (3)"),
        ("Associated Company",),
    )


@pytest.mark.parametrize(
    ("values", "key"),
    [
        (["2026-10-01", "2026-10-02"], "iso"),
        (["2026-10-01T08:15:30.000Z", "2026-10-01T08:15:30.000+0000"], "iso"),
        (["2026-04-04 11:48"], "iso"),
        (["01.10.2026", "01.10.2026 08:15"], "de"),
        (["1.10.26"], "de_short"),
        (["10/1/2026 3:19 PM", "10/2/2026 11:05 AM"], "us"),
        (["1/2/2026", "13/2/2026"], "uk"),  # a day above 12 first: day-first
        (["20261001081530.655"], "sf_compact"),
        (["1790000000000"], "epoch_ms"),
        (["2026/10/01"], "iso_slash"),
        ([], "iso"),
    ],
)
def test_date_format_per_column(values: list[str], key: str) -> None:
    assert detect_date_format(values).key == key


@pytest.mark.parametrize(
    ("values", "comma_file", "key"),
    [
        (["1.234,56", "500"], False, "de"),
        (["1,234.56", "500"], True, "en"),
        (["500000.0", "12.5"], True, "en"),  # a dot with no group of three: decimal point
        (["12,5"], False, "de"),
        (["1.234"], True, "de"),  # undecided: a ;-file decides (German Excel)
        (["1.234"], False, "en"),
        (["EUR 120,000.00", "€ 5"], False, "en"),
        (["120.000,00 €"], False, "de"),
    ],
)
def test_number_format_per_column(values: list[str], comma_file: bool, key: str) -> None:
    assert detect_number_format(values, decimal_comma_hint=comma_file).key == key
