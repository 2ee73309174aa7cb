"""A small German company whose exports leave fields out or unmapped (tests/fixtures/unknown).

What the four files hold, and so what every page must call unknown rather than 0:

- ``mitarbeiter.csv``: 6 people of "Vertrieb Süd" (p1..p6) with a column
  "Lizenzkosten (EUR/Monat)" that the lead leaves unmapped -> licence costs unknown, and the
  reason names that column.
- ``nutzung.csv``: Anna (p1) and Bruno (p2) log in and update on each of the 10 working days of
  19-30 Oct 2026; p3..p6 log in once on 1 Oct; p1 once on 1 Sep. The log ends on Friday 30
  October 2026 (31 October is a Saturday), so October is complete.
- ``schulungen.csv``: 3 records whose learners are Salesforce ids nobody on the roster has ->
  trained share unknown (not 0 %).
- ``chancen.csv``: 6 opportunities, owners p1..p6. Stages: C1, C6 "Qualifizierung" and C2, C3
  "Angebot" are open (4), C4 won, C5 lost. Open amounts 10,000 + 20,000 + 5,000 + 1,000 =
  36,000. "Abschlussdatum" is left unmapped -> close date passed unknown (the column is named);
  the export has no next step and no last-change column -> next step and not-updated shares
  unknown ("not in the export"), and so the hygiene score.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.importing.run import inspect_file, run_import

FOLDER = Path(__file__).parent / "fixtures" / "unknown"
#: Each file, its dataset, and the fields the lead leaves unmapped.
FILES: tuple[tuple[str, DatasetKind, tuple[str, ...]], ...] = (
    ("mitarbeiter.csv", DatasetKind.USERS, ("license_cost_monthly",)),
    ("nutzung.csv", DatasetKind.USAGE, ()),
    ("schulungen.csv", DatasetKind.TRAINING, ()),
    ("chancen.csv", DatasetKind.PIPELINE, ("close_date",)),
)


#: Instead of ``nutzung.csv``: ``anmeldungen.csv``, a login history of p1..p6 (every working
#: day of Sep and Oct 2026, ending Friday 30 Oct) that records no write at all -> productive
#: and sporadic unknown in both months; barely (1 active day) and never are known (0 people:
#: everyone has 22 active days in each month).
LOGINS_ONLY: tuple[tuple[str, DatasetKind, tuple[str, ...]], ...] = (
    FILES[0], ("anmeldungen.csv", DatasetKind.USAGE, ()),
)


def build(db_path: Path, also_left_out: tuple[str, ...] = (),
          files: tuple[tuple[str, DatasetKind, tuple[str, ...]], ...] = FILES) -> Path:
    """Import ``files`` (default: the four of :data:`FILES`) into a new database at ``db_path``
    as a lead would, leaving their fields to leave out (and ``also_left_out``) unmapped."""
    conn = db.connect(db_path)
    try:
        with tempfile.TemporaryDirectory() as work:
            for name, kind, left_out in files:
                path = FOLDER / name  # a name in the fixture folder, or any absolute path
                inspection = inspect_file(conn, path, kind, Path(work), file_name=path.name)
                mapping = {f: c for f, c in inspection.mapping.items()
                           if f not in left_out + also_left_out}
                report = run_import(conn, inspection, imported_by="lead", source="cli",
                                    mapping=mapping)
                assert report.status == "loaded", (name, report.problem, report.mapping)
    finally:
        conn.close()
    return db_path
