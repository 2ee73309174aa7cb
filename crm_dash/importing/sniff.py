"""What a CSV file looks like: encoding, delimiter, preamble, header, footer.

One streaming pass over the bytes tells the encoding and refuses binary files and lines longer
than :data:`MAX_LINE_BYTES` (before DuckDB, which fails on them with a traceback); the content hash
is computed alongside in a thread of its own (hashlib releases the GIL), so that it costs no time
while DuckDB reads the file. The dialect comes from the first 256 KB and the footer from the last
64 KB. Files that DuckDB cannot read as they are (cp1252, UTF-16, a footer to cut off) are
rewritten as UTF-8 in a streaming way, chunk by chunk, never row by row.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import sys
import threading
from collections import Counter
from concurrent.futures import Future, InvalidStateError
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal

from crm_dash.importing.problems import ImportProblem

Encoding = Literal["utf-8", "utf-8-sig", "cp1252", "utf-16"]

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
HEAD_BYTES = 256 * 1024
TAIL_BYTES = 64 * 1024
CHUNK = 8 * 1024 * 1024
#: The longest line a file may have. No CRM field needs more: a longer line is a broken file (or
#: no CSV at all), and DuckDB's reader fails on it with errors that tell the user nothing.
MAX_LINE_BYTES = 1024 * 1024

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "xlsx"),  # .xlsx, .zip
    (b"\xd0\xcf\x11\xe0", "xls"),  # legacy .xls
    (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
)
# Rows of report exports that are not data (Salesforce: "Grand Totals (38 records)", a
# confidentiality note, a copyright line; German tools: sums, "erstellt am").
_FOOTER = re.compile(
    r"^\s*(grand totals?\b|gesamtsumme|gesamtergebnis|summe\b|total\b|totals\b|"
    r"confidential information|vertrauliche informationen|copyright|\(c\)|©|"
    r"generated (by|on|at)\b|erstellt (am|von|mit)\b|exported (by|on|at)\b|"
    r"exportiert (am|von)\b)",
    re.IGNORECASE,
)
# A sum row of an Excel list: "Summe Lizenzkosten;;;;;;;2.140,00 €" (a label, few cells).
_TOTAL = re.compile(r"^\s*(summe|gesamtsumme|gesamt|total|totals|sum)\b", re.IGNORECASE)
_GRAND_TOTAL = re.compile(r"^\s*(grand totals?\b|gesamtsumme\b|gesamtergebnis\b)", re.IGNORECASE)


@dataclass(frozen=True)
class FileScan:
    """Facts from one pass over the whole file; the content hash may still be on its way."""

    size: int
    encoding: Encoding
    digest: Future[str] = field(repr=False, compare=False)

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file's bytes (waits for the hashing thread)."""
        return self.digest.result()

    @property
    def sha256_ready(self) -> bool:
        """Whether :attr:`sha256` is known without waiting."""
        return self.digest.done()


def hash_in_background(path: Path) -> Future[str]:
    """The SHA-256 of ``path``, computed in a thread of its own while the caller goes on.

    hashlib and file reads release the GIL, so DuckDB (which does too) and the hash share the
    CPUs. Cancelling the future stops the thread at its next chunk.
    """
    digest_future: Future[str] = Future()

    def work() -> None:
        try:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    if digest_future.cancelled():
                        return
                    digest.update(chunk)
        except Exception as exc:  # handed to whoever asks for the hash
            with suppress(InvalidStateError):  # unless the future was cancelled meanwhile
                digest_future.set_exception(exc)
            return
        with suppress(InvalidStateError):
            digest_future.set_result(digest.hexdigest())

    threading.Thread(target=work, name="crm-dash-sha256", daemon=True).start()
    return digest_future


@dataclass(frozen=True)
class Layout:
    """Where the data is in a UTF-8 file and how its rows are separated."""

    delimiter: str
    header_line: int  # 1-based line of the header in the file the user has
    headers: tuple[str, ...]  # unique names, as shown to the user
    duplicate_headers: tuple[str, ...]  # names that occurred more than once
    data_start: int  # byte offset of the header line
    data_end: int  # byte offset where the footer begins (file size without a footer)
    footer_lines: int  # non-blank lines dropped at the end
    # A date the export carries outside its rows (title line, footer, file name): see
    # :func:`export_stamp`. ``None`` when it carries none.
    stamp: date | None = None

    @property
    def preamble_lines(self) -> int:
        return self.header_line - 1

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES[self.delimiter]


def scan_file(path: Path, *, max_line_bytes: int = MAX_LINE_BYTES) -> FileScan:
    """Refuse binary content and lines longer than ``max_line_bytes``, tell the file's
    encoding, and start hashing it.

    UTF-16 and UTF-8 are recognised by their byte order mark; a file without one is UTF-8 when
    all of it decodes as UTF-8, else cp1252 (what German Excel writes). The hash is computed in
    the background (see :func:`hash_in_background`); a refused file stops it. The lines of a
    UTF-16 file are checked when it is transcoded (:func:`transcode_to_utf8`).
    """
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        _refuse_binary(head, path)
        digest = hash_in_background(path)
        try:
            encoding = _encoding(path, handle, head, LineLengths(max_line_bytes))
        except BaseException:
            digest.cancel()
            raise
    return FileScan(size=size, encoding=encoding, digest=digest)


def _encoding(
    path: Path, handle: io.BufferedReader, head: bytes, lengths: LineLengths
) -> Encoding:
    """The encoding of the file that ``handle`` reads (just past ``head``); refuses NUL bytes,
    lines longer than ``lengths`` allows and files without content."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _refuse_empty(head.decode("utf-16", errors="replace"))
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    offset = 0
    chunk = head
    while chunk:
        nul = chunk.find(b"\x00")
        if nul >= 0:
            raise ImportProblem("nul_bytes", line=line_at_offset(path, offset + nul))
        lengths.feed(chunk, path)
        if utf8 and not chunk.isascii():
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        offset += len(chunk)
        chunk = handle.read(CHUNK)
    lengths.finish(path)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    bom = head.startswith(codecs.BOM_UTF8)
    _refuse_empty(head.decode("utf-8" if utf8 else "cp1252", errors="replace"))
    return ("utf-8-sig" if bom else "utf-8") if utf8 else "cp1252"


def _refuse_binary(head: bytes, path: Path) -> None:
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            raise ImportProblem(f"binary_{kind}" if kind in ("xlsx", "xls") else "binary")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    # Text has next to no control characters; a stray NUL in text is reported with its line.
    sample = head[:8192]
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    if sample and control / len(sample) > 0.05:
        raise ImportProblem("binary")


def _refuse_empty(text: str) -> None:
    if not text.replace("\ufeff", "").strip():
        raise ImportProblem("empty")


class LineLengths:
    """A streaming check that no line of a file is longer than ``limit`` bytes.

    Fed the file chunk by chunk, it never holds a line: per window of ``limit`` bytes it asks
    for the last newline in it (``rfind``, as fast as a memory scan), so a normal file costs a
    few calls per chunk and a file with one endless line is refused after ``limit`` bytes.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.offset = 0  # bytes seen so far
        self.line_start = 0  # offset where the current line begins

    def feed(self, chunk: bytes, path: Path) -> None:
        """Check the next chunk of ``path``; a line longer than the limit is refused."""
        base, end = self.offset, self.offset + len(chunk)
        while self.line_start + self.limit < end:  # the current line must end in this chunk
            window = (self.line_start - base, self.line_start + self.limit - base + 1)
            newline = chunk.rfind(b"\n", max(window[0], 0), window[1])
            if newline < 0:
                self._refuse(path)
            self.line_start = base + newline + 1
        newline = chunk.rfind(b"\n", max(self.line_start - base, 0))
        if newline >= 0:
            self.line_start = base + newline + 1
        self.offset = end

    def finish(self, path: Path) -> None:
        """After the last chunk: the last line, without a newline, counts too."""
        if self.offset - self.line_start > self.limit:
            self._refuse(path)

    def _refuse(self, path: Path) -> None:
        raise ImportProblem("line_too_long", line=line_at_offset(path, self.line_start),
                            limit_mb=f"{self.limit / 2**20:g}")


def line_at_offset(path: Path, offset: int) -> int:
    """1-based line of byte ``offset``."""
    newlines = 0
    with path.open("rb") as handle:
        remaining = offset
        while remaining > 0 and (chunk := handle.read(min(CHUNK, remaining))):
            newlines += chunk.count(b"\n")
            remaining -= len(chunk)
    return newlines + 1


def transcode_to_utf8(
    source: Path, encoding: Encoding, target: Path, *, max_line_bytes: int = MAX_LINE_BYTES
) -> None:
    """Rewrite ``source`` as UTF-8 without BOM, chunk by chunk (line breaks stay as they are).

    A UTF-16 file's lines are checked here, as UTF-8 (see :class:`LineLengths`); a refused
    file leaves no copy behind.
    """
    codec = "cp1252" if encoding == "cp1252" else encoding
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    lengths = LineLengths(max_line_bytes)
    try:
        with source.open("rb") as src, target.open("wb") as dst:
            first = True
            while chunk := src.read(CHUNK):
                text = decoder.decode(chunk)
                if first:
                    text = text.removeprefix("\ufeff")
                    first = False
                _write_checked(dst, text.encode("utf-8"), lengths, target)
            _write_checked(dst, decoder.decode(b"", final=True).encode("utf-8"), lengths, target)
            dst.flush()
            lengths.finish(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _write_checked(dst: io.BufferedWriter, data: bytes, lengths: LineLengths, target: Path) -> None:
    """Write ``data`` to ``target`` (open as ``dst``), then check its lines: the line number of
    a refused line is counted in ``target``, whose lines are those of the source."""
    dst.write(data)
    if data:
        dst.flush()
        lengths.feed(data, target)


def detect_layout(path: Path) -> Layout:
    """Delimiter, header line and footer of a UTF-8 file (with or without BOM)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    complete = len(head) >= size
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    if not complete:  # drop the line cut off by the sample
        text = text[: text.rfind("\n") + 1] if "\n" in text else text
    delimiter = _pick_delimiter(text)
    records = _records(text, delimiter)
    width = _modal_width(records)
    header_index = _header_index(records, width)
    if header_index is None:
        raise ImportProblem("no_header")
    header_line, header = records[header_index]
    headers, duplicates = unique_headers(header)
    data_start = _offset_of_line(head, header_line)
    data_end, footer_lines = _footer(path, size, delimiter, data_start)
    preamble = [" ".join(cells) for _, cells in records[:header_index]]
    return Layout(
        delimiter=delimiter, header_line=header_line, headers=headers,
        duplicate_headers=duplicates, data_start=data_start, data_end=data_end,
        footer_lines=footer_lines,
        stamp=export_stamp([*preamble, *_footer_text(path, data_end, footer_lines)]),
    )


def _footer_text(path: Path, data_end: int, footer_lines: int) -> list[str]:
    """The footer's lines (at most the last 64 KB), empty without a footer."""
    if footer_lines == 0:
        return []
    with path.open("rb") as handle:
        handle.seek(data_end)
        tail = handle.read(TAIL_BYTES)
    return tail.decode("utf-8", errors="replace").splitlines()


_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate((
        ("january", "jan", "januar", "jänner", "jän"),
        ("february", "feb", "februar", "feber"),
        ("march", "mar", "märz", "maerz", "mär", "mrz"),
        ("april", "apr"),
        ("may", "mai"),
        ("june", "jun", "juni"),
        ("july", "jul", "juli"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct", "oktober", "okt"),
        ("november", "nov"),
        ("december", "dec", "dezember", "dez"),
    ), start=1)
    for name in names
}
# The date forms of docs FORMATS (a time of day after them, "9:15 AM", does not matter):
_DMY = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")  # 02.11.2026
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")  # 2026-11-02
_US = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")  # 11/2/2026
_DAY_NAME = re.compile(r"(?<!\d)(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})(?!\d)")  # 2. Nov 2026
_NAME_DAY = re.compile(  # November 2, 2026
    r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")
# Only in file names: underscores or dots as separators, and the compact yyyymmdd.
_NAME_ISO = re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)")
_NAME_DMY = re.compile(r"(?<!\d)(\d{1,2})[._-](\d{1,2})[._-](\d{4})(?!\d)")
_NAME_COMPACT = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")


def _dates_in(text: str, *, file_name: bool = False) -> list[date]:
    """Every calendar date written in ``text`` in one of the known forms."""
    found: list[tuple[int, int, int]] = []
    found += [(int(y), int(m), int(d)) for d, m, y in _DMY.findall(text)]
    found += [(int(y), int(m), int(d)) for y, m, d in _ISO.findall(text)]
    for first, second, y in _US.findall(text):
        month, day = int(first), int(second)
        if month > 12:  # 30/10/2026 can only be day first
            month, day = day, month
        found.append((int(y), month, day))
    found += [(int(y), _MONTHS.get(name.lower(), 0), int(d))
              for d, name, y in _DAY_NAME.findall(text)]
    found += [(int(y), _MONTHS.get(name.lower(), 0), int(d))
              for name, d, y in _NAME_DAY.findall(text)]
    if file_name:
        found += [(int(y), int(m), int(d)) for y, m, d in _NAME_ISO.findall(text)]
        found += [(int(y), int(m), int(d)) for d, m, y in _NAME_DMY.findall(text)]
        found += [(int(y), int(m), int(d)) for y, m, d in _NAME_COMPACT.findall(text)]
    dates: list[date] = []
    for year, month, day in found:
        with suppress(ValueError):  # 31.02., month 0 (no month name), ...
            dates.append(date(year, month, day))
    return dates


def _latest_plausible(dates: list[date], today: date | None) -> date | None:
    """The latest of ``dates`` from the year 2000 up to ``today``; ``None`` when none is."""
    limit = today or date.today()
    plausible = [d for d in dates if date(2000, 1, 1) <= d <= limit]
    return max(plausible) if plausible else None


def export_stamp(lines: list[str], today: date | None = None) -> date | None:
    """The date an export carries in its lines outside the data: the preamble above the header
    ("Export erstellt am 02.11.2026", "Exported on 11/2/2026") and the report footer
    ("Generated By: Fabian Rohde 11/2/2026 9:15 AM").

    The latest plausible one (from the year 2000, not after ``today``) wins: a period "01.10.2026
    - 31.10.2026" next to a run date "02.11.2026" gives the run date. The data rows are never
    read for this: an event's date says nothing about when the export was taken.
    """
    return _latest_plausible([d for line in lines for d in _dates_in(line)], today)


def file_name_stamp(file_name: str, today: date | None = None) -> date | None:
    """A date in a file's name ("LoginHistory_2026-11-01.csv", "Audit 02.11.2026.csv",
    "logins_20261101.csv"), the latest plausible one; ``None`` when the name has none."""
    return _latest_plausible(_dates_in(Path(file_name).name, file_name=True), today)


def with_file_name_stamp(layout: Layout, file_name: str, today: date | None = None) -> Layout:
    """``layout`` with its stamp raised to a later date in the file name, if there is one."""
    named = file_name_stamp(file_name, today)
    if named is None or (layout.stamp is not None and layout.stamp >= named):
        return layout
    return replace(layout, stamp=named)


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """``(first line, cells)`` of every non-blank record of ``text``."""
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    out: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                out.append((line, row))
            line = reader.line_num + 1
    except csv.Error:
        pass  # a broken quote in the sample: DuckDB reports it with its line later
    return out


def _modal_width(records: list[tuple[int, list[str]]]) -> int:
    counts = Counter(len(cells) for _, cells in records)
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0] if counts else 1


def _pick_delimiter(text: str) -> str:
    """The candidate that splits the sample into the most consistent rows of more than one field."""
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in DELIMITERS:
        if delimiter not in text:
            continue
        records = _records(text, delimiter)
        if not records:
            continue
        width = _modal_width(records)
        share = sum(1 for _, cells in records if len(cells) == width) / len(records)
        score = (width > 1, share, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _header_index(records: list[tuple[int, list[str]]], width: int) -> int | None:
    """The first record as wide as the data with most of its cells filled: the header.

    Records above it (a title, "exported on ...", a blank row) are the preamble.
    """
    for index, (_, cells) in enumerate(records):
        filled = sum(1 for cell in cells if cell.strip())
        if len(cells) == width and filled * 2 >= width:
            return index
    return None


def unique_headers(cells: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Header names trimmed, BOM removed, blanks named, repeats numbered ("Name (2)")."""
    seen: Counter[str] = Counter()
    names: list[str] = []
    duplicates: list[str] = []
    taken = {c.replace("\ufeff", "").strip().lower() for c in cells}
    for position, cell in enumerate(cells, start=1):
        name = cell.replace("\ufeff", "").strip() or f"column {position}"
        key = name.lower()
        seen[key] += 1
        if seen[key] > 1:
            if seen[key] == 2:
                duplicates.append(name)
            n = seen[key]
            while f"{name} ({n})".lower() in taken:
                n += 1
            name = f"{name} ({n})"
            taken.add(name.lower())
        names.append(name)
    return tuple(names), tuple(duplicates)


def _offset_of_line(head: bytes, line: int) -> int:
    """Byte offset where 1-based ``line`` begins (within the sampled head)."""
    offset = 0
    for _ in range(line - 1):
        offset = head.index(b"\n", offset) + 1
    return offset


def _footer(path: Path, size: int, delimiter: str, data_start: int) -> tuple[int, int]:
    """Where trailing report rows begin, and how many non-blank ones there are.

    Trailing blank rows alone are harmless and do not count as a footer (no copy is needed).
    """
    start = max(data_start, size - TAIL_BYTES)
    with path.open("rb") as handle:
        handle.seek(start)
        tail = handle.read()
    lines = tail.split(b"\n")
    offsets = []
    position = start
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    first_whole = 0 if start == data_start else 1
    # Walking back from the end: blank rows and one-cell rows (report name, company, "Generated
    # By: ...") make up the footer, provided one of them is a footer marker; a grand total row
    # is one whatever its cells.
    footer_start = size
    candidate_start, candidate_lines, marked = size, 0, False
    text_lines = 0
    for index in range(len(lines) - 1, first_whole, -1):  # never the header itself
        raw = lines[index].decode("utf-8", errors="replace").strip("\r")
        cells = next(csv.reader([raw], delimiter=delimiter, quotechar='"'), [])
        filled = [cell.strip() for cell in cells if cell.strip()]
        if not filled:
            candidate_start = offsets[index]
            if marked:
                footer_start = candidate_start
            continue
        total_row = bool(_TOTAL.match(filled[0])) and len(filled) * 2 <= len(cells)
        if len(filled) == 1 or _GRAND_TOTAL.match(filled[0]) or total_row:
            candidate_start = offsets[index]
            candidate_lines += 1
            marked = marked or bool(_FOOTER.match(filled[0]) or _GRAND_TOTAL.match(filled[0])
                                    or total_row)
            if marked:
                footer_start, text_lines = candidate_start, candidate_lines
            continue
        break
    if text_lines == 0:
        return size, 0
    return footer_start, text_lines
