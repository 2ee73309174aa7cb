"""How long the first run takes in the browser (issue 19; not run in CI).

Runs the measured journey of tests/e2e/test_first_run_e2e.py (empty database → setup link →
admin → lead → four uploads following the Overview's checklist → a correct Overview) ``--runs``
times in headless Chromium, and prints one table: the person's actions and the seconds at each
step, per run, then the median. The slowest run is named first.

    .venv/bin/python bench/first_run.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parent.parent
RESULT = ROOT / "test-output" / "first-run.json"
TEST = "tests/e2e/test_first_run_e2e.py"


def one_run() -> dict[str, Any]:
    """One journey through pytest (its server, its browser); what the test measured."""
    RESULT.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0 or not RESULT.exists():
        raise SystemExit(f"the journey failed:\n{done.stdout[-3000:]}")
    result: dict[str, Any] = json.loads(RESULT.read_text())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="journeys to time (default 3)")
    args = parser.parse_args()
    runs = [one_run() for _ in range(args.runs)]
    runs.sort(key=lambda r: -float(r["seconds"]))
    steps = [str(s[0]) for s in runs[0]["steps"]]
    print(f"first run, {args.runs} journeys, slowest first (seconds since the setup link "
          f"opened; actions so far)")
    print(f"{'run':>5} " + " ".join(f"{name:>16}" for name in steps) + f" {'total':>8}")
    for i, run in enumerate(runs, start=1):
        cells = [f"{s[2]:>8.1f}s ({s[1]:>2})" for s in run["steps"]]
        print(f"{i:>5} " + " ".join(f"{c:>16}" for c in cells) + f" {run['seconds']:>7}s")
    median = statistics.median(float(r["seconds"]) for r in runs)
    print(f"median {median:.1f} s, {runs[0]['actions']} actions (the test allows 30)")


if __name__ == "__main__":
    main()
