"""bench/soak.py (not run in CI): its options parse and its limits hold, without starting
anything; the files it uploads are new each round and match the roster."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench_scripts import load_bench


def test_help_parses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        load_bench("soak").main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "--minutes" in out and "--browsers" in out and "--clients" in out


@pytest.mark.parametrize("args", [["--minutes", "0"], ["--minutes", "61"],
                                  ["--browsers", "11"], ["--clients", "51"]])
def test_the_load_is_bounded(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        load_bench("soak").main(args)
    assert done.value.code == 2
    assert "bounded" in capsys.readouterr().err


def test_every_round_uploads_a_new_file_of_roster_people(tmp_path: Path) -> None:
    (tmp_path / "roster_ids.txt").write_text("005A1\n005A2")
    (tmp_path / "last_event.txt").write_text("2026-11-30 17:00:00.123000")
    soak = load_bench("soak")
    first = soak.usage_file(tmp_path, 1, 50).read_bytes()
    second = soak.usage_file(tmp_path, 2, 50).read_bytes()
    assert first != second
    lines = first.decode().splitlines()
    assert lines[0] == "user_id,timestamp,action,object,success" and len(lines) == 51
    assert all(line.split(",")[0] in ("005A1", "005A2") for line in lines[1:])
    assert all(line.split(",")[1].startswith("2026-11-") for line in lines[1:])
