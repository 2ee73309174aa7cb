"""Lines of any length: a streaming check refuses a too-long line before DuckDB reads the file,
names its line and the limit, holds no more than a chunk in memory, and prints no traceback."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from crm_dash.importing import sniff
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.sniff import LineLengths, scan_file, transcode_to_utf8

LIMIT = 64 * 1024


def _file(path: Path, lines: list[bytes], *, end: bytes = b"\n") -> Path:
    path.write_bytes(b"\n".join(lines) + end)
    return path


def _normal_lines(count: int) -> list[bytes]:
    return [b"user_id,timestamp,action"] + [
        f"u{i},2026-01-{i % 28 + 1:02d}T09:00:00Z,update".encode() for i in range(count)]


def test_a_long_line_in_a_few_megabytes_is_refused_with_its_line_and_the_limit(
    tmp_path: Path,
) -> None:
    lines = _normal_lines(100_000)  # about 3.5 MB
    lines[76_543] = b"u1,2026-01-01T09:00:00Z," + b"x" * (LIMIT + 1)
    path = _file(tmp_path / "long.csv", lines)
    with pytest.raises(ImportProblem) as caught:
        scan_file(path, max_line_bytes=LIMIT)
    problem = caught.value
    assert problem.code == "line_too_long"
    assert problem.values["line"] == 76_544
    assert problem.message.startswith("Line 76544 is longer than 0.0625 MB.")
    assert problem.text("de").startswith("Zeile 76544 ist länger als 0.0625 MB.")
    assert scan_file(path, max_line_bytes=2 * LIMIT).encoding == "utf-8"  # under this limit


def test_the_limit_is_exact_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sniff, "CHUNK", 4096)  # lines cross many chunks
    limit = 10_000
    ok = _file(tmp_path / "ok.csv", [b"a,b", b"1," + b"x" * (limit - 2), b"2,y"])
    assert scan_file(ok, max_line_bytes=limit).encoding == "utf-8"
    over = _file(tmp_path / "over.csv", [b"a,b", b"1,y", b"2," + b"x" * (limit - 1), b"3,z"])
    with pytest.raises(ImportProblem) as caught:
        scan_file(over, max_line_bytes=limit)
    assert caught.value.values["line"] == 3


def test_a_last_line_without_a_newline_counts(tmp_path: Path) -> None:
    path = _file(tmp_path / "tail.csv", [b"a,b", b"1,y", b"2," + b"x" * LIMIT], end=b"")
    with pytest.raises(ImportProblem) as caught:
        scan_file(path, max_line_bytes=LIMIT)
    assert caught.value.values["line"] == 3


def test_the_check_agrees_with_the_longest_line_for_any_chunking(tmp_path: Path) -> None:
    rng = random.Random(14)
    path = tmp_path / "any.csv"
    for _ in range(200):
        data = b"\n".join(b"x" * rng.choice([0, 1, 5, 30, 99, 100, 101, 250])
                          for _ in range(rng.randint(1, 40)))
        longest = max(len(line) for line in data.split(b"\n"))
        path.write_bytes(data)
        lengths, refused, offset = LineLengths(100), False, 0
        try:
            while offset < len(data):
                size = rng.randint(1, 300)
                lengths.feed(data[offset:offset + size], path)
                offset += size
            lengths.finish(path)
        except ImportProblem:
            refused = True
        assert refused == (longest > 100), data


def test_an_endless_line_is_refused_after_reading_little_more_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sniff, "CHUNK", 64 * 1024)
    path = _file(tmp_path / "endless.csv", [b"a,b", b"1," + b"x" * (8 * 1024 * 1024)], end=b"")
    fed: list[int] = []
    feed = LineLengths.feed

    def counted(self: LineLengths, chunk: bytes, p: Path) -> None:
        fed.append(len(chunk))
        feed(self, chunk, p)

    monkeypatch.setattr(LineLengths, "feed", counted)
    with pytest.raises(ImportProblem):
        scan_file(path, max_line_bytes=LIMIT)
    assert max(fed) <= sniff.HEAD_BYTES and sum(fed) <= sniff.HEAD_BYTES + 2 * 64 * 1024


def test_a_utf16_file_is_checked_while_it_is_transcoded(tmp_path: Path) -> None:
    source = tmp_path / "wide.csv"
    source.write_bytes(("a,b\r\n1,y\r\n2," + "ü" * LIMIT + "\r\n").encode("utf-16"))
    assert scan_file(source, max_line_bytes=LIMIT).encoding == "utf-16"
    target = tmp_path / "wide.utf8.csv"
    with pytest.raises(ImportProblem) as caught:
        transcode_to_utf8(source, "utf-16", target, max_line_bytes=LIMIT)
    assert caught.value.values["line"] == 3
    assert not target.exists()


def test_the_cli_says_line_too_long_without_a_traceback(tmp_path: Path) -> None:
    export = tmp_path / "users.csv"
    export.write_text("email,name\nanna@example.com,Anna\nbob@example.com,"
                      + "B" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "crm_dash.cli", "import", str(export), "--kind", "users",
         "--db", str(tmp_path / "crm.duckdb")],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1
    assert "Line 3 is longer than 1 MB." in done.stderr
    assert "Traceback" not in done.stderr
