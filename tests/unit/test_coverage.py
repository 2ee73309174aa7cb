"""Which months the usage data covers completely (crm_dash.metrics.coverage), by hand.

Every expectation is computed by hand in the comment beside it: the calendar of the month, the
last day with an event, the date the export carries.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.db import transaction
from crm_dash.importing.run import inspect_file, run_import
from crm_dash.importing.sniff import detect_layout, export_stamp, file_name_stamp
from crm_dash.metrics.coverage import (
    BatchSpan,
    answer_question,
    data_coverage,
    decide_coverage,
    set_complete_until,
)
from crm_dash.metrics.definitions import AdoptionDefinition
from crm_dash.metrics.segments import available_months
from crm_dash.settings import set_setting, setting_history
from crm_dash.store import BatchMeta, load_rows
from crm_dash.workdays import easter_sunday, last_working_day, public_holidays

AUG, SEP, OCT, NOV = (date(2026, m, 1) for m in (8, 9, 10, 11))
DEFINITION = AdoptionDefinition()  # Europe/Berlin; events at 09:00 UTC stay on their day


def usage_csv(path: Path, days: list[date], *, preamble: str = "", footer: str = "") -> Path:
    """A generic-template usage file: one update at 09:00 UTC on each of ``days``."""
    path.write_text(
        preamble + "user_id,timestamp,action,object,success\n"
        + "".join(f"U1,{d:%Y-%m-%d}T09:00:00Z,update,Account,true\n" for d in days) + footer,
        encoding="utf-8",
    )
    return path


def load_usage(conn: duckdb.DuckDBPyConnection, path: Path, export_date: date | None = None,
               ) -> None:
    """Load ``path`` as one usage batch carrying ``export_date`` (the importer's job, shortened)."""
    meta = BatchMeta(kind=DatasetKind.USAGE, file_name=path.name, content_sha256=path.name,
                     imported_by="test", source="fixture", preset="generic",
                     export_date=export_date)
    with transaction(conn) as cur:
        cur.execute("CREATE OR REPLACE TEMP TABLE staging AS SELECT * FROM read_csv(?, header ="
                    " true, all_varchar = true)", [str(path)])
        load_rows(cur, "staging", meta)


def decided(conn: duckdb.DuckDBPyConnection, today: date) -> tuple[date, str | None, date | None]:
    """``(latest complete month, reason, open question)`` of the stored usage data."""
    covered = data_coverage(conn, DEFINITION, today)
    assert covered is not None
    return covered.latest_complete, covered.reason, covered.open_question


def days(first: date, last: date) -> list[date]:
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]


# --- the calendar -------------------------------------------------------------------------


def test_easter_and_the_german_holidays_of_2026() -> None:
    # Easter Sunday 2026 is 5 April (calendar); Good Friday 3 Apr, Easter Monday 6 Apr, Ascension
    # = Easter + 39 = 14 May, Whit Monday = Easter + 50 = 25 May.
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2018) == date(2018, 4, 1)
    assert easter_sunday(2025) == date(2025, 4, 20)
    assert public_holidays(2026) == {
        date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 1),
        date(2026, 5, 14), date(2026, 5, 25), date(2026, 10, 3), date(2026, 12, 25),
        date(2026, 12, 26),
    }
    assert public_holidays(2026, "none") == frozenset()


def test_last_working_days() -> None:
    # Oct 2026: 31st is a Saturday -> Friday 30. May 2026: 31st a Sunday -> Friday 29.
    # Dec 2026: 31st is a Thursday, no holiday -> 31. March 2018: 31st Saturday, 30th Good
    # Friday -> Thursday 29 (DE); without holidays Friday 30.
    assert last_working_day(OCT) == date(2026, 10, 30)
    assert last_working_day(date(2026, 5, 1)) == date(2026, 5, 29)
    assert last_working_day(date(2026, 12, 1)) == date(2026, 12, 31)
    assert last_working_day(date(2018, 3, 1)) == date(2018, 3, 29)
    assert last_working_day(date(2018, 3, 1), "none") == date(2018, 3, 30)


# --- the rule on plain values ---------------------------------------------------------------


def test_a_month_ending_on_a_holiday() -> None:
    # March 2018 ends Sat 31, Good Friday 30: data to Thursday 29 reaches the last working day.
    feb, mar = date(2018, 2, 1), date(2018, 3, 1)
    covered = decide_coverage(date(2018, 2, 1), date(2018, 3, 29), date(2018, 4, 10))
    assert (covered.latest_complete, covered.reason, covered.open_question) == (
        mar, "last_working_day", None)
    # Without holidays the last working day is Friday 30: not reached. February counts (events
    # after it ended) and March is the question.
    bare = decide_coverage(date(2018, 2, 1), date(2018, 3, 29), date(2018, 4, 10),
                           calendar="none")
    assert (bare.latest_complete, bare.reason, bare.open_question) == (feb, "later_events", mar)


def test_an_export_date_counts_only_for_a_batch_reaching_into_the_month() -> None:
    # Data to Wed 28 Oct (last working day Fri 30). A batch stamped 2 Nov whose events end in
    # September proves nothing about October; one whose events reach 28 Oct does.
    september_only = BatchSpan(date(2026, 11, 2), date(2026, 9, 1), date(2026, 9, 30))
    reaching = BatchSpan(date(2026, 11, 2), date(2026, 10, 1), date(2026, 10, 28))
    today = date(2026, 11, 20)
    assert decide_coverage(SEP, date(2026, 10, 28), today,
                           batches=[september_only]).latest_complete == SEP
    covered = decide_coverage(SEP, date(2026, 10, 28), today, batches=[reaching])
    assert (covered.latest_complete, covered.reason) == (OCT, "export_date")
    # Stamped on 31 Oct, the last day itself: not after the month ended.
    late = BatchSpan(date(2026, 10, 31), date(2026, 10, 1), date(2026, 10, 28))
    assert decide_coverage(SEP, date(2026, 10, 28), today, batches=[late]).latest_complete == SEP


def test_nothing_complete_yet_falls_back_to_the_last_month() -> None:
    # Data 3-15 Oct, today 20 Oct: October has not ended; no month is complete -> October,
    # without a reason and without a question (nothing has ended).
    covered = decide_coverage(date(2026, 10, 3), date(2026, 10, 15), date(2026, 10, 20))
    assert (covered.months, covered.reason, covered.open_question) == ((OCT, OCT, OCT), None, None)
    # On 20 Nov October has ended and nothing decides it: still October, and the question.
    later = decide_coverage(date(2026, 10, 3), date(2026, 10, 15), date(2026, 11, 20))
    assert (later.latest_complete, later.reason, later.open_question) == (OCT, None, OCT)


# --- the rule on the stored data ------------------------------------------------------------


def test_a_month_ending_on_a_weekend(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # Events 1 Sep - Fri 30 Oct 2026; 31 Oct is a Saturday, so Friday 30 is October's last
    # working day: on 5 Nov October is complete.
    load_usage(conn, usage_csv(tmp_path / "usage.csv", days(SEP, date(2026, 10, 30))))
    assert decided(conn, date(2026, 11, 5)) == (OCT, "last_working_day", None)
    assert available_months(conn, DEFINITION, date(2026, 11, 5)) == (SEP, OCT, OCT)
    # On 31 Oct itself the month has not ended: September (events after it).
    assert available_months(conn, DEFINITION, date(2026, 10, 31)) == (SEP, SEP, OCT)


def test_an_export_taken_mid_month_and_uploaded_later(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Events 1 Sep - 15 Oct, stamped 15 Oct (its file name), uploaded on 20 Nov: October is not
    # covered (15 Oct is not after 31 Oct, data short of Fri 30); September is, by the events
    # after it. October is the month to ask about.
    load_usage(conn, usage_csv(tmp_path / "usage.csv", days(SEP, date(2026, 10, 15))),
               export_date=date(2026, 10, 15))
    assert decided(conn, date(2026, 11, 20)) == (SEP, "later_events", OCT)


def test_a_title_line_date_completes_the_month(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Events to Wed 28 Oct (short of Fri 30), but the title line says the export was taken on
    # 2 Nov: nothing in October can be missing. Loaded through the importer, as a user would.
    path = usage_csv(tmp_path / "logins.csv", days(SEP, date(2026, 10, 28)),
                     preamble="Export erstellt am 02.11.2026\n\n")
    inspection = inspect_file(conn, path, DatasetKind.USAGE, tmp_path)
    assert inspection.layout.stamp == date(2026, 11, 2)
    assert run_import(conn, inspection, imported_by="test", source="cli").status == "loaded"
    assert decided(conn, date(2026, 11, 20)) == (OCT, "export_date", None)


def test_a_footer_date_and_a_file_name_date(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # A Salesforce report footer: "Generated By: ... 11/2/2026 9:15 AM" is 2 November (m/d/y).
    footer = ('\n"Login History"\n"Confidential Information - Do Not Distribute"\n'
              '"Generated By:  Fabian Rohde  11/2/2026 9:15 AM"\n')
    path = usage_csv(tmp_path / "report.csv", days(OCT, date(2026, 10, 28)), footer=footer)
    assert detect_layout(path).stamp == date(2026, 11, 2)
    # The upload widget hands a temp copy: the user's file name carries the date.
    plain = usage_csv(tmp_path / "tmp1234.csv", days(OCT, date(2026, 10, 28)))
    inspection = inspect_file(conn, plain, DatasetKind.USAGE, tmp_path,
                              file_name="LoginHistory_2026-11-01.csv")
    assert inspection.layout.stamp == date(2026, 11, 1)
    assert inspect_file(conn, plain, DatasetKind.USAGE, tmp_path).layout.stamp is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Export erstellt am 02.11.2026", date(2026, 11, 2)),
        ("Exported on 11/2/2026", date(2026, 11, 2)),
        ("Generated By: Fabian Rohde 11/2/2026 9:15 AM", date(2026, 11, 2)),
        ("Stand: 2026-11-02 08:00", date(2026, 11, 2)),
        ("Erstellt: 2 Nov 2026", date(2026, 11, 2)),
        ("Erstellt am 2. November 2026", date(2026, 11, 2)),
        ("Run on November 2, 2026", date(2026, 11, 2)),
        # A period and a run date: the later one, the run date.
        ("Zeitraum 01.10.2026 - 31.10.2026; erstellt am 02.11.2026", date(2026, 11, 2)),
        # Not plausible: after today (1 Dec 2026 here) or before 2000; no date at all.
        ("Gültig bis 31.12.2099", None),
        ("Copyright (c) 2000-2026 salesforce.com, inc.", None),
        ("Login History Last 30 Days", None),
    ],
)
def test_export_stamp_forms(line: str, expected: date | None) -> None:
    assert export_stamp([line], date(2026, 12, 1)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("LoginHistory_2026-11-01.csv", date(2026, 11, 1)),
        ("Audit 02.11.2026.csv", date(2026, 11, 2)),
        ("logins_20261101.csv", date(2026, 11, 1)),
        ("logins_202611011234.csv", None),  # fourteen digits: no date of ours
        ("usage.csv", None),
    ],
)
def test_file_name_stamp(name: str, expected: date | None) -> None:
    assert file_name_stamp(name, date(2026, 12, 1)) == expected


def test_a_leads_answer(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # Events 1 Sep - 15 Oct; on 20 Nov October is the open question (see above).
    load_usage(conn, usage_csv(tmp_path / "usage.csv", days(SEP, date(2026, 10, 15))))
    today = date(2026, 11, 20)
    # "No": September stays the latest complete month, and October is not asked again.
    assert answer_question(conn, OCT, False, actor="lena")
    assert decided(conn, today) == (SEP, "later_events", None)
    # "Yes" (changed later): October is complete because a lead said so; who and when are kept.
    assert answer_question(conn, OCT, True, actor="lena")
    assert decided(conn, today) == (OCT, "answer", None)
    history = setting_history(conn, "coverage.answers")
    assert [h.value for h in history] == [{"2026-10": True}, {"2026-10": False}]
    assert history[0].changed_by == "lena"


def test_the_manual_setting_overrides_both_ways(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Events 3 Aug - Mon 2 Nov 2026: October is complete by the events after it.
    load_usage(conn, usage_csv(tmp_path / "usage.csv", days(date(2026, 8, 3), date(2026, 11, 2))))
    today = date(2026, 11, 20)
    assert available_months(conn, DEFINITION, today) == (AUG, OCT, NOV)
    # Down: a lead holds the figures at August (the later exports are known to be partial).
    assert set_complete_until(conn, AUG, actor="lena")
    assert decided(conn, today) == (AUG, "setting", None)
    # Up: November (not ended, data to 2 Nov) because the lead says so; December would be
    # capped at the last month with data, November.
    set_complete_until(conn, NOV, actor="lena")
    assert available_months(conn, DEFINITION, today) == (AUG, NOV, NOV)
    set_setting(conn, "coverage.complete_until", "2026-12", actor="lena")
    assert available_months(conn, DEFINITION, today) == (AUG, NOV, NOV)
    # Back to automatic.
    set_complete_until(conn, None, actor="lena")
    assert available_months(conn, DEFINITION, today) == (AUG, OCT, NOV)
