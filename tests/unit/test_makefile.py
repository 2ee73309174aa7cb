"""`make run` and `make test` explain a Python that cannot build the virtualenv, instead of
failing inside `venv` with a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make_venv(tmp_path: Path, python: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-C", str(PROJECT_ROOT), f"VENV={tmp_path / 'venv'}", f"PYTHON={python}",
         f"{tmp_path / 'venv'}/bin/python"],
        capture_output=True, text=True, check=False, timeout=120,
    )


def _fake_python(tmp_path: Path, refuse: str) -> Path:
    """A python3 that behaves like the real one except when its code mentions ``refuse``."""
    fake = tmp_path / "python3"
    fake.write_text(
        f'#!/bin/sh\ncase "$*" in *{refuse}*) exit 1;; esac\nexec {sys.executable} "$@"\n'
    )
    fake.chmod(0o755)
    return fake


def test_a_python_without_venv_gets_the_apt_line(tmp_path: Path) -> None:
    done = _make_venv(tmp_path, _fake_python(tmp_path, "ensurepip"))
    assert done.returncode != 0
    assert "sudo apt-get install python3-venv" in done.stderr
    assert not (tmp_path / "venv").exists()


def test_an_old_python_is_named(tmp_path: Path) -> None:
    done = _make_venv(tmp_path, _fake_python(tmp_path, "version_info"))
    assert done.returncode != 0
    assert "needs Python 3.11 or newer" in done.stderr
    assert not (tmp_path / "venv").exists()
