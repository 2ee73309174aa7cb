"""Work folders of uploads: private, removed when the upload ends, swept when the app starts.

An upload is copied to disk (DuckDB reads files, and big ones must not stay in memory) into a
folder of its browser session. The session removes it when its files are loaded, cancelled or
dropped from the uploader, and when the session itself ends. A process that was killed cannot,
so the app sweeps leftovers older than :data:`SWEEP_AFTER` when it starts.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

UPLOAD_PREFIX = "crm-dash-upload-"
#: Leftover upload folders older than this (seconds since their last change) are swept.
SWEEP_AFTER = 3600.0

log = logging.getLogger("crm_dash.workfolders")


def new_upload_folder() -> Path:
    """A fresh upload work folder in the temp directory, readable by its owner only (0700)."""
    return Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))


def remove_folder(path: Path) -> None:
    """Remove a work folder and everything in it; an already removed one is fine."""
    shutil.rmtree(path, ignore_errors=True)


def sweep_upload_folders(
    temp_dir: Path | None = None, *, older_than: float = SWEEP_AFTER, now: float | None = None
) -> list[Path]:
    """Remove upload folders left behind in ``temp_dir`` (default: the system's temp directory)
    that nothing has changed for ``older_than`` seconds; returns the folders removed.

    A folder of a session that is still uploading changes whenever a file is copied into it, so
    an hour without a change means its process or session is gone.
    """
    base = Path(temp_dir) if temp_dir is not None else Path(tempfile.gettempdir())
    limit = (time.time() if now is None else now) - older_than
    removed: list[Path] = []
    for folder in base.glob(f"{UPLOAD_PREFIX}*"):
        try:
            if not folder.is_dir() or folder.is_symlink() or folder.stat().st_mtime > limit:
                continue
        except OSError:
            continue
        remove_folder(folder)
        removed.append(folder)
    if removed:
        log.info("Removed %d leftover upload folder(s) from %s", len(removed), base)
    return removed
