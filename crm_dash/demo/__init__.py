"""The demo company "Beispiel GmbH": 18 months of CRM adoption data, loaded and exported as CSV.

``build_demo`` generates a roster, Salesforce event logs, a pipeline snapshot and an LMS transcript
for a mid-sized German company, loads each file as one import batch and (optionally) writes the
files in the dialects real exports use, so the same data can be uploaded through the importer.

The story the data tells: about 30 % of licensed people use the CRM productively, 20 %
sporadically and 50 % barely or not at all; in ``training_wave_month`` the department
``DEMO_FOCUS_DEPARTMENT`` gets a kick-off and key-user training, and its number of productive users
rises by about 20 % over the following 9 months while the other departments stay flat.

Everything is a function of the arguments: one ``random.Random(seed)`` feeds every generator and
the wall clock is never read, so the same arguments give byte-identical files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from crm_dash.datasets import DatasetKind
from crm_dash.demo.activity import plan_activity
from crm_dash.demo.common import build_calendar
from crm_dash.demo.eventlog import eventlog_csvs, source_action
from crm_dash.demo.pipeline import build_opportunities, pipeline_csv, pipeline_frame
from crm_dash.demo.roster import (
    DEPARTMENTS,
    FOCUS_DEPARTMENT,
    build_company,
    roster_csv,
    roster_frame,
)
from crm_dash.demo.training import build_training, training_csv, training_frame
from crm_dash.demo.usage import API, LOGIN, VIEW, generate_events, usage_frame
from crm_dash.errors import ConfigError
from crm_dash.store import BatchMeta, load_frame, sha256_of

DEMO_FOCUS_DEPARTMENT = FOCUS_DEPARTMENT
MIN_USERS = 30
OPPORTUNITIES_PER_USER = 5

__all__ = ["DEMO_FOCUS_DEPARTMENT", "DEPARTMENTS", "DemoFile", "DemoSummary", "build_demo"]


@dataclass(frozen=True)
class DemoSummary:
    """What ``build_demo`` produced."""

    end_month: date
    first_month: date
    training_wave_month: date
    users: int
    integration_accounts: int
    leavers: int
    joiners: int
    usage_events: int
    opportunities: int
    training_records: int
    files: tuple[Path, ...]


@dataclass(frozen=True)
class DemoFile:
    """One export file of the demo and the canonical rows it stands for."""

    file_name: str
    kind: DatasetKind
    preset: str | None  # the preset the importer detects in this file (None: mapped by synonyms)
    frame: pd.DataFrame
    content: bytes


def _validate(end_month: date, users: int) -> None:
    if end_month.day != 1:
        raise ConfigError.says("error.demo.end_month", date=end_month.isoformat())
    if users < MIN_USERS:
        raise ConfigError.says("error.demo.min_users", min=MIN_USERS, users=users)


def demo_files(*, end_month: date, users: int = 600, seed: int = 2026) -> list[DemoFile]:
    """Generate the demo's export files and canonical frames without touching a database."""
    _validate(end_month, users)
    master = random.Random(seed)
    # One independent stream per generator, drawn in a fixed order from the master stream, so
    # a change in one dataset does not reshuffle the others.
    streams = {
        name: random.Random(master.getrandbits(64))
        for name in ("company", "activity", "events", "eventlog", "pipeline", "training")
    }
    cal = build_calendar(end_month)
    people = build_company(streams["company"], cal, users)
    plan = plan_activity(streams["activity"], cal, people)
    events = generate_events(streams["events"], cal, people, plan)
    logs = eventlog_csvs(streams["eventlog"], events, people)
    opportunities = build_opportunities(
        streams["pipeline"], cal, people, plan, OPPORTUNITIES_PER_USER * users
    )
    records = build_training(streams["training"], cal, people, users)
    files = [
        DemoFile("roster_excel_de.csv", DatasetKind.USERS, None,
                 roster_frame(people), roster_csv(people)),
    ]
    for channel, name in ((LOGIN, "login"), (VIEW, "lightningpageview"), (API, "api")):
        channel_events = [e for e in events if e.channel == channel]
        files.append(DemoFile(f"sf_eventlog_{name}.csv", DatasetKind.USAGE,
                              f"salesforce_eventlog_{name}",
                              usage_frame(channel_events, people, source_action),
                              logs[channel]))
    files.append(DemoFile("opportunities_dataloader.csv", DatasetKind.PIPELINE,
                          "salesforce_opportunity_dataloader", pipeline_frame(opportunities),
                          pipeline_csv(opportunities)))
    files.append(DemoFile("training_lms.csv", DatasetKind.TRAINING, "lms_transcript",
                          training_frame(records), training_csv(records)))
    return files


def build_demo(
    conn: duckdb.DuckDBPyConnection,
    *,
    end_month: date,
    out_dir: Path | None,
    users: int = 600,
    seed: int = 2026,
) -> DemoSummary:
    """Build the demo company into ``conn``: one import batch per export file.

    ``end_month`` is the first day of the last month of data; the data covers the 18 months up
    to and including it. With ``out_dir`` the export files are written there too (the directory
    is created). Batches record the SHA-256 of the file bytes either way, so uploading a written
    file later is recognised as the same file.
    """
    files = demo_files(end_month=end_month, users=users, seed=seed)
    written: list[Path] = []
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for file in files:
            path = out_dir / file.file_name
            path.write_bytes(file.content)
            written.append(path)
    loaded: dict[DatasetKind, int] = dict.fromkeys(DatasetKind, 0)
    for file in files:
        meta = BatchMeta(
            kind=file.kind, file_name=file.file_name, content_sha256=sha256_of(file.content),
            imported_by="demo", source="demo", preset=file.preset,
        )
        loaded[file.kind] += load_frame(conn, file.frame, meta).rows_loaded
    roster = files[0].frame
    humans = roster[~roster["is_integration"]]
    cal = build_calendar(end_month)
    return DemoSummary(
        end_month=end_month,
        first_month=cal.first_month,
        training_wave_month=cal.wave_month,
        users=len(humans),
        integration_accounts=int(roster["is_integration"].sum()),
        leavers=int(humans["end_date"].notna().sum()),
        joiners=int((humans["start_date"] > cal.first_month).sum()),
        usage_events=loaded[DatasetKind.USAGE],
        opportunities=loaded[DatasetKind.PIPELINE],
        training_records=loaded[DatasetKind.TRAINING],
        files=tuple(written),
    )
