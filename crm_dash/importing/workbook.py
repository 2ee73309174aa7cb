"""Excel workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) as import files.

A workbook's sheets are listed with python-calamine (names and visibility, without reading a
sheet), and the chosen sheet is read by fastexcel into Arrow text columns (both are Rust's
calamine: formulas come as their cached values, hidden rows and columns are read). Arrow's CSV
writer puts it as a UTF-8 CSV into the upload work folder; no Python object is made per cell.
From there the CSV pipeline does everything else: title rows and footers, the header,
per-column formats, mapping, rejects, idempotency and the one-transaction load are the same code
for both. What only a workbook knows travels in
:class:`SheetInfo`: the sheet's name, where each written record came from (so a reject reads
``Sheet1!C17``), how many rows Excel hides, and which number columns hold plausible Excel serial
dates.

Before anything is parsed the file is checked: an encrypted workbook, a zip that is no workbook,
a zip bomb (too many uncompressed bytes, an absurd compression ratio) and a sheet whose
dimension exceeds :data:`MAX_CELLS` are refused with an :class:`ImportProblem`; nothing is
written then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
import zipfile
from array import array
from concurrent.futures import Future, InvalidStateError
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from crm_dash.importing.problems import ImportProblem
from crm_dash.markdown import md_escape

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Uncompressed bytes a workbook may hold (all its parts together). A 1-million-row sheet of
#: five columns is about 200 MB of XML.
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
#: A part that unpacks to more than this many times its packed size is a zip bomb (sheet XML
#: packs 5 to 20 times; a bomb a thousand times and more).
MAX_RATIO = 200
_RATIO_FLOOR = 10 * 1024**2  # small parts may pack as well as they like
#: Cells (rows x columns of the sheet's used range) a sheet may have: the reader holds them all.
MAX_CELLS = 30_000_000
#: Excel serial numbers of 1990-01-01 and 2100-12-31: a number column mapped to a date field is
#: read as serial dates only when every number lies between them.
SERIAL_MIN, SERIAL_MAX = 32874, 73415
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row [^>]*hidden="(?:1|true)"')


def is_workbook(path: Path, file_name: str | None = None) -> bool:
    """Whether ``path`` is a workbook, by its first bytes: a zip (.xlsx, .xlsm, .xlsb, .ods) or
    an OLE compound file (.xls, and any workbook saved with a password). The name does not
    decide: Salesforce's "Excel" report export is tab-separated text named .xls, which the CSV
    path reads."""
    with path.open("rb") as handle:
        head = handle.read(8)
    return head.startswith(_ZIP) or head == _OLE


@dataclass
class SheetInfo:
    """What the CSV copy of a sheet does not say by itself."""

    sheet: str
    sheets: tuple[str, ...]  # the visible sheets with data, to choose from
    first_col: int  # 0-based sheet column of the first column (fastexcel's absolute_index)
    #: 1-based Excel row of each record written to the CSV (blank rows are not written).
    record_rows: array[int] = field(default_factory=lambda: array("i"))
    hidden_rows: int = 0

    def cell(self, record: int, column: int) -> str:
        """``Sheet1!C17``: where record ``record`` (0-based, as written) and CSV column
        ``column`` are in the workbook, as Excel names it."""
        row = self.record_rows[record] if 0 <= record < len(self.record_rows) else 0
        return f"{sheet_ref(self.sheet)}!{column_letter(self.first_col + column)}{row}"

    def label(self, *, markdown: bool = False) -> str:
        return md_escape(self.sheet) if markdown else self.sheet


def sheet_ref(name: str) -> str:
    """The sheet as an Excel reference writes it: quoted when it is not a plain word."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _letters_to_index(letters: bytes) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ch - 64
    return value


def workbook_digest(path: Path, sheet: str | None) -> Future[str]:
    """SHA-256 of the file (and the sheet, when one is chosen by name), in a thread: the same
    workbook imported twice is found, a second sheet of it is not taken for the first."""
    result: Future[str] = Future()

    def work() -> None:
        try:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(8 << 20):
                    digest.update(chunk)
            if sheet is not None:
                digest.update(b"\x00sheet:" + sheet.encode("utf-8"))
            result.set_result(digest.hexdigest())
        except Exception as exc:
            result.set_exception(exc)

    threading.Thread(target=work, name="crm-dash-sha256", daemon=True).start()
    return result


def _check_zip(path: Path, max_bytes: int) -> zipfile.ZipFile | None:
    """Refuse a zip that is broken, no workbook or a bomb; ``None`` for a non-zip file."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE:
        return None
    if not head.startswith(_ZIP):
        raise ImportProblem("workbook_unreadable")
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportProblem("workbook_corrupt") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names \
            and "content.xml" not in names:
        archive.close()
        raise ImportProblem("workbook_not_a_workbook")
    total = sum(i.file_size for i in infos)
    bomb = any(i.file_size > _RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1)
               for i in infos)
    if total > max_bytes or bomb:
        archive.close()
        raise ImportProblem("workbook_too_big", limit_mb=round(max_bytes / 2**20))
    return archive


def _is_encrypted_ole(path: Path) -> bool:
    """An OLE file carrying an ``EncryptionInfo`` stream: an OOXML workbook saved with
    "Encrypt with password" (the directory names are UTF-16)."""
    marker = "EncryptionInfo".encode("utf-16-le")
    with path.open("rb") as handle:
        data = handle.read(4 << 20)
    return marker in data


def _sheet_xml_facts(
    archive: zipfile.ZipFile, part: str, max_cells: int, scan_hidden: bool
) -> int:
    """Check the sheet's dimension against ``max_cells`` (before the reader allocates it) and
    count its hidden rows (one streaming pass, only with ``scan_hidden``)."""
    hidden = 0
    try:
        with archive.open(part) as xml:
            head = xml.read(64 * 1024)
            match = _DIMENSION.search(head)
            if match and match.group(3):
                first_col = _letters_to_index(match.group(1) or b"A")
                rows = int(match.group(4)) - int(match.group(2) or b"1") + 1
                cols = _letters_to_index(match.group(3)) - first_col + 1
                if rows * cols > max_cells:
                    raise ImportProblem("workbook_sheet_too_big", cells=f"{rows * cols:,}",
                                        limit=f"{max_cells:,}")
            if not scan_hidden:
                return 0
            chunk, tail = head, b""
            while chunk:
                window = tail + chunk
                if b"hidden=" in window:
                    hidden += len(_HIDDEN_ROW.findall(window))
                    # a tag cut by the chunk border is counted in the next window only
                    cut = window.rfind(b"<")
                    tail = window[cut:] if cut >= 0 and b">" not in window[cut:] else b""
                    if tail:
                        hidden -= len(_HIDDEN_ROW.findall(tail))
                else:
                    tail = window[-256:]
                    hidden -= len(_HIDDEN_ROW.findall(tail))
                chunk = xml.read(8 << 20)
    except KeyError:
        return 0
    return max(hidden, 0)


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part in an .xlsx (from workbook.xml and its relationships)."""
    try:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {m.group(1): m.group(2) for m in re.finditer(
        r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels)}
    targets |= {m.group(2): m.group(1) for m in re.finditer(
        r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
    parts: dict[str, str] = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
        attrs = m.group(1)
        name = re.search(r'\bname="([^"]*)"', attrs)
        rid = re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', attrs)
        if not name or not rid:
            continue
        target = targets.get(rid.group(1) or rid.group(2) or "", "")
        target = target.lstrip("/")
        parts[_xml_unescape(name.group(1))] = target if target.startswith("xl/") \
            else "xl/" + target
    return parts


def _xml_unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _open(path: Path):  # type: ignore[no-untyped-def]
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise ImportProblem("workbook_encrypted") from None
    except Exception as exc:  # calamine's errors: a broken part, an unknown format
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ImportProblem("workbook_encrypted") from None
        raise ImportProblem("workbook_corrupt") from None


def visible_sheets(path: Path) -> list[str]:
    """The names of the visible sheets (worksheets, not charts), in workbook order."""
    book = _open(path)
    try:
        return _visible(book)
    finally:
        book.close()


def _visible(book: object) -> list[str]:
    names = []
    for meta in book.sheets_metadata:  # type: ignore[attr-defined]
        if str(meta.visible).endswith("Visible") and "Chart" not in str(meta.typ):
            names.append(meta.name)
    return names


def workbook_to_csv(
    path: Path,
    target: Path,
    *,
    sheet: str | None = None,
    max_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_cells: int = MAX_CELLS,
) -> SheetInfo:
    """Write the chosen sheet of the workbook ``path`` as a UTF-8 CSV to ``target``.

    Without ``sheet`` the first visible sheet with data is taken (Dynamics exports carry a
    hidden metadata sheet before or after the data). Refuses encrypted, broken and oversized
    workbooks and a missing or empty sheet with an :class:`ImportProblem`; then ``target`` is
    not left behind.
    """
    archive = _check_zip(path, max_bytes)
    if archive is None and _is_encrypted_ole(path):
        raise ImportProblem("workbook_encrypted")
    try:
        parts = _xlsx_sheet_parts(archive) if archive is not None else {}
        book = _open(path)
        try:
            visible = _visible(book)
            if sheet is not None and sheet not in book.sheet_names:
                raise ImportProblem("workbook_no_such_sheet", sheet=sheet,
                                    sheets=", ".join(visible))
            candidates = [sheet] if sheet is not None else visible
            with_data = []
            for name in candidates:
                hidden: Future[int] = Future()
                if archive is not None and name in parts:
                    _sheet_xml_facts(archive, parts[name], max_cells, scan_hidden=False)
                    # counted while the reader parses the sheet (zlib releases the GIL)
                    _count_hidden(archive, parts[name], max_cells, hidden)
                else:
                    hidden.set_result(0)
                loaded = _load_sheet(path, name)
                if loaded is not None:
                    with_data.append((name, loaded, hidden))
                    break
                hidden.cancel()
            if not with_data:
                if sheet is not None:
                    raise ImportProblem("workbook_sheet_empty", sheet=sheet)
                raise ImportProblem("workbook_no_data")
            name, (table, first_col), hidden = with_data[0]
            if table.num_rows * table.num_columns > max_cells:
                raise ImportProblem("workbook_sheet_too_big",
                                    cells=f"{table.num_rows * table.num_columns:,}",
                                    limit=f"{max_cells:,}")
            info = SheetInfo(sheet=name, sheets=tuple(visible), first_col=first_col)
            _write_csv(table, target, info)
            try:
                info.hidden_rows = hidden.result()
            except Exception:
                info.hidden_rows = 0
            return info
        finally:
            book.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        if archive is not None:
            archive.close()


def _count_hidden(archive: zipfile.ZipFile, part: str, max_cells: int,
                  result: Future[int]) -> None:
    """Count the hidden rows of ``part`` in a thread of its own, into ``result``."""

    def count() -> None:
        try:
            hidden = _sheet_xml_facts(archive, part, max_cells, True)
        except Exception as exc:  # a broken part: the reader says so; no count then
            with suppress(InvalidStateError):
                result.set_exception(exc)
            return
        with suppress(InvalidStateError):
            result.set_result(hidden)

    threading.Thread(target=count, name="crm-dash-hidden-rows", daemon=True).start()


def _load_sheet(path: Path, name: str) -> tuple[pa.RecordBatch, int] | None:
    """The sheet ``name`` as Arrow text columns, one row per sheet row from row 1 (blank rows
    included, so that a row's index is its Excel row less one), and the 0-based column of its
    first column; ``None`` when the sheet has no cell with a value.

    fastexcel (calamine in Rust) writes every cell as text itself: numbers as Excel shows
    them (``42``, ``1.5``), date cells as ``YYYY-MM-DD HH:MM:SS``, booleans ``true``/``false``,
    error cells empty. No Python object is made per cell.
    """
    import fastexcel

    positions: list[int] = []

    def every_column(column: Any) -> bool:  # notes where the sheet's columns are
        positions.append(int(column.absolute_index))
        return True

    try:
        batch = fastexcel.read_excel(str(path)).load_sheet(
            name, header_row=None, skip_rows=0, dtypes="string", eager=True,
            use_columns=every_column)
    except fastexcel.FastExcelError:
        raise ImportProblem("workbook_corrupt") from None
    if not batch.num_rows or not batch.num_columns:
        return None
    return batch, min(positions, default=0)


_STAMP = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"
_MIDNIGHT = r"^(\d{4}-\d\d-\d\d) 00:00:00$"
_DAY_ZERO = r"^1899-12-3[01] (\d\d:\d\d:\d\d)$"


def _write_csv(batch: pa.RecordBatch, target: Path, info: SheetInfo) -> None:
    """The sheet's rows as CSV records, blank rows left out, with where each came from.

    Whole columns at a time (Arrow compute and Arrow's CSV writer). An empty text cell is an
    empty field. A row is blank when all its cells are; there is none when some column is
    full, which spares the row-by-row test in most exports. A column whose date cells (among
    its first 1,000 values) are all at midnight (``2025-03-02 00:00:00``) is written as dates,
    one whose date cells are all on Excel's day zero (``1899-12-31 13:05:00``) as times: as
    Excel shows them.
    """
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    columns = []
    for column in batch.columns:
        if column.null_count < len(column) and pc.any(pc.equal(column, "")).as_py():
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
        columns.append(column)
    if all(c.null_count for c in columns):
        filled = pc.is_valid(columns[0])
        for column in columns[1:]:
            filled = pc.or_(filled, pc.is_valid(column))
        rows = pc.indices_nonzero(filled).to_numpy().astype(np.int32) + 1
        columns = [c.filter(filled) for c in columns]
    else:
        rows = np.arange(1, batch.num_rows + 1, dtype=np.int32)
    info.record_rows = array("i")
    info.record_rows.frombytes(rows.tobytes())
    for i, column in enumerate(columns):
        head = column.slice(0, 1000).drop_null()
        stamps = head.filter(pc.match_substring_regex(head, _STAMP))
        if not len(stamps):  # no date cell (a header or a title row is no date)
            continue
        if pc.all(pc.ends_with(stamps, " 00:00:00")).as_py():
            columns[i] = pc.replace_substring_regex(column, _MIDNIGHT, r"\1")
        elif pc.all(pc.starts_with(stamps, "1899-12-3")).as_py():
            columns[i] = pc.replace_substring_regex(column, _DAY_ZERO, r"\1")
    table = pa.table(columns, names=[str(i) for i in range(len(columns))])
    pa_csv.write_csv(table, target, pa_csv.WriteOptions(include_header=False))


def serial_date_sql(value_sql: str) -> str:
    """SQL giving a TIMESTAMP from an Excel serial number written as text (days since
    1899-12-30, the fraction the time of day)."""
    number = f"TRY_CAST({value_sql} AS DOUBLE)"
    return (f"CASE WHEN regexp_full_match({value_sql}, '[0-9]+(\\.[0-9]+)?')"
            f" AND {number} BETWEEN {SERIAL_MIN} AND {SERIAL_MAX + 1}"
            f" THEN TIMESTAMP '1899-12-30' + to_microseconds(CAST(round({number} * 86400000000)"
            " AS BIGINT)) END")
