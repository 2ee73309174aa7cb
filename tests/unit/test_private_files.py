"""What holds the data is private: the database, its WAL and spill folder; upload work folders
go away when the upload ends and are swept when the app starts."""

from __future__ import annotations

import gc
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_dash import db
from crm_dash.workfolders import UPLOAD_PREFIX, new_upload_folder, sweep_upload_folders


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A permissive umask, as many servers have: the modes must not depend on it."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_database_wal_and_spill_folder_are_private_after_connect_and_a_write(
    tmp_path: Path, open_umask: None
) -> None:
    database = tmp_path / "data" / "crm.duckdb"
    conn = db.connect(database)
    try:
        cur = conn.cursor()
        cur.execute("CREATE TABLE scratch AS SELECT range AS x FROM range(10)")
        cur.execute("CHECKPOINT")  # DuckDB deletes the WAL here and creates it anew below
        cur.execute("INSERT INTO scratch VALUES (11)")
        wal = database.with_name("crm.duckdb.wal")
        spill = database.with_name("crm.duckdb.tmp")
        assert wal.exists()
        assert _mode(database) == 0o600 and _mode(wal) == 0o600
        assert spill.is_dir() and _mode(spill) == 0o700
        setting = cur.execute("SELECT current_setting('temp_directory')").fetchone()
        assert setting == (str(spill.resolve()),)
    finally:
        conn.close()


def test_an_existing_world_readable_database_is_made_private(
    tmp_path: Path, open_umask: None
) -> None:
    database = tmp_path / "crm.duckdb"
    db.connect(database).close()
    database.chmod(0o644)
    database.with_name("crm.duckdb.tmp").chmod(0o755)
    db.connect(database).close()
    assert _mode(database) == 0o600 and _mode(database.with_name("crm.duckdb.tmp")) == 0o700


def test_the_sweep_removes_an_old_upload_folder_and_keeps_a_fresh_one(tmp_path: Path) -> None:
    old = tmp_path / f"{UPLOAD_PREFIX}old"
    (old / "nested").mkdir(parents=True)
    (old / "nested" / "copy.csv").write_text("a,b\n")
    fresh = tmp_path / f"{UPLOAD_PREFIX}fresh"
    fresh.mkdir()
    other = tmp_path / "someone-elses-folder"
    other.mkdir()
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))
    assert sweep_upload_folders(tmp_path) == [old]
    assert not old.exists() and fresh.is_dir() and other.is_dir()


def test_an_upload_folder_is_private_and_goes_with_its_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crm_dash.ui.upload_widgets import SessionFolder

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    assert new_upload_folder().parent == tmp_path
    folder = SessionFolder()
    path = folder.path
    assert path.name.startswith(UPLOAD_PREFIX) and _mode(path) == 0o700
    (path / "upload.csv").write_text("a,b\n")
    session_state = {"folder": folder}
    del folder
    session_state.clear()  # Streamlit drops an ended session's state
    gc.collect()
    assert not path.exists()
