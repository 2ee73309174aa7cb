"""Training records: go-live kick-off, monthly sessions, onboarding, the focus department's wave.

The export is a Cornerstone-style transcript report (learners identified by e-mail, UTF-8 with
BOM).
Who attends the voluntary sessions leans towards people who already use the CRM, as in real life:
training effects in the app are observational.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd

from crm_dash.demo.common import DemoCalendar, render_csv
from crm_dash.demo.roster import FOCUS_DEPARTMENT, Person, wave_index_of

KIND_LABELS = {
    "kickoff": "Kick-off", "post_golive_kickoff": "Post-Go-Live Kick-off",
    "monthly": "Monthly Session", "webinar": "Webinar", "onboarding": "Onboarding",
    "key_user": "Key User Training", "roadshow": "Roadshow", "other": "Other",
}
STATUS_LABELS = {
    "completed": "Completed", "attended": "Attended", "no_show": "No Show",
    "registered": "Registered",
}
LMS_HEADER = (
    "User ID", "Training Title", "Training Type", "Transcript Status", "Completed Date", "Score",
)
MONTHLY_SESSION = "CRM-Sprechstunde"
WEBINARS = (
    "Pipeline-Pflege kompakt",
    "Berichte & Dashboards selbst bauen",
    "Salesforce Mobile im Außendienst",
    "Leads richtig qualifizieren",
    "Aktivitäten & E-Mails protokollieren",
    "Excel-Listen ablösen: Daten importieren",
    "Dubletten vermeiden",
    "Forecast in 15 Minuten",
)
WAVE_KICKOFF = f"Kick-off {FOCUS_DEPARTMENT}: CRM im Vertriebsalltag"
WAVE_KEY_USER = f"Key-User-Training {FOCUS_DEPARTMENT}"


class TrainingRecord(NamedTuple):
    """One line of the transcript."""

    user: str
    course: str
    date: date
    kind: str
    status: str
    score: int | None


def _score(rng: random.Random, person: Person) -> int:
    return max(0, min(100, round(rng.gauss(70 + 20 * person.propensity, 10))))


def _record(
    rng: random.Random, person: Person, course: str, day: date, kind: str, status: str
) -> TrainingRecord:
    score = _score(rng, person) if status == "completed" else None
    return TrainingRecord(person.lms_email, course, day, kind, status, score)


def _weighted_sample(rng: random.Random, people: list[Person], n: int) -> list[Person]:
    """``n`` people without replacement, leaning towards higher propensity."""
    keyed = sorted(people, key=lambda p: -(rng.random() ** (1.0 / (p.propensity + 0.15))))
    return keyed[:n]


def _workday(cal: DemoCalendar, month: int, nth: int) -> date:
    days = cal.workdays(month)
    return days[min(nth, len(days) - 1)]


def _go_live_sessions(
    rng: random.Random, cal: DemoCalendar, humans: list[Person], out: list[TrainingRecord]
) -> None:
    go_live_month = cal.month_index(cal.go_live)
    departments = sorted({p.department or "" for p in humans})
    for person in humans:
        day = _workday(cal, go_live_month, departments.index(person.department or "") * 2)
        if not person.licensed_on(day) or rng.random() < 0.04:
            continue
        status = "attended" if rng.random() < 0.95 else "no_show"
        out.append(_record(rng, person, "Go-Live Kick-off: CRM mit der Geschäftsführung", day,
                           "kickoff", status))
    follow_up = _workday(cal, go_live_month + 1, 7)
    for person in humans:
        if person.licensed_on(follow_up) and rng.random() < 0.7:
            status = "attended" if rng.random() < 0.9 else "no_show"
            out.append(_record(rng, person, "Post-Go-Live Kick-off: Erste Erfahrungen",
                               follow_up, "post_golive_kickoff", status))
    for i, department in enumerate(departments):
        day = _workday(cal, 1, 3 + 2 * i)
        for person in humans:
            if (person.department == department and person.licensed_on(day)
                    and person.role in ("Bereichsleitung", "Teamleitung")):
                out.append(_record(rng, person, f"CRM-Roadshow {department}", day, "roadshow",
                                   "attended"))


def _monthly_sessions(
    rng: random.Random, cal: DemoCalendar, humans: list[Person], users: int,
    out: list[TrainingRecord],
) -> None:
    scale = users / 600
    for month in range(len(cal.months)):
        if cal.months[month].month == 8:  # summer break
            continue
        sessions = [(MONTHLY_SESSION, "monthly", _workday(cal, month, 7), (10, 40))]
        if month % 2 == 0:
            title = WEBINARS[(month // 2) % len(WEBINARS)]
            sessions.append((title, "webinar", _workday(cal, month, 15), (8, 30)))
        for course, kind, day, (lo, hi) in sessions:
            present = [p for p in humans if p.licensed_on(day)]
            n = max(3, round(rng.randint(lo, hi) * scale))
            for person in _weighted_sample(rng, present, n):
                roll = rng.random()
                status = "completed" if roll < 0.55 else "attended" if roll < 0.85 else "no_show"
                out.append(_record(rng, person, course, day, kind, status))


def _onboarding(
    rng: random.Random, cal: DemoCalendar, humans: list[Person], out: list[TrainingRecord]
) -> None:
    for person in humans:
        if person.start_date <= cal.go_live:
            continue
        roll = rng.random()
        if roll < 0.15:
            continue  # nobody took care of it
        delay = rng.randint(5, 30) if roll < 0.85 else rng.randint(31, 90)
        day = person.start_date + timedelta(days=delay)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        if day > cal.last_day or not person.licensed_on(day):
            continue
        out.append(_record(rng, person, "Onboarding: CRM-Grundlagen mit Key-User", day,
                           "onboarding", "completed"))


def _training_wave(
    rng: random.Random, cal: DemoCalendar, humans: list[Person], out: list[TrainingRecord]
) -> None:
    """The focus department's wave, in two rounds by team: kick-off (with a make-up date for
    those who missed it) and key-user training for team leads and the most engaged members."""
    focus = [p for p in humans if p.department == FOCUS_DEPARTMENT]
    for index in sorted({wave_index_of(cal, p) for p in focus}):
        kickoff = _workday(cal, index, 1)
        make_up = _workday(cal, index, 6)
        key_user_day = _workday(cal, index, 10)
        group = [p for p in focus if wave_index_of(cal, p) == index and p.licensed_on(kickoff)]
        for person in group:
            if rng.random() < 0.06:
                out.append(_record(rng, person, WAVE_KICKOFF, kickoff, "kickoff", "no_show"))
                out.append(_record(rng, person, f"{WAVE_KICKOFF} (Nachholtermin)", make_up,
                                   "kickoff", "attended"))
            else:
                out.append(_record(rng, person, WAVE_KICKOFF, kickoff, "kickoff", "attended"))
        members = sorted((p for p in group if p.role not in ("Teamleitung", "Bereichsleitung")),
                         key=lambda p: (-p.propensity, p.index))
        key_users = ([p for p in group if p.role == "Teamleitung"]
                     + members[: max(2, len(group) // 6)])
        for person in key_users:
            out.append(_record(rng, person, WAVE_KEY_USER, key_user_day, "key_user",
                               "completed"))


def build_training(
    rng: random.Random, cal: DemoCalendar, people: list[Person], users: int
) -> list[TrainingRecord]:
    """Every training record of the demo, sorted by date, course and learner."""
    humans = [p for p in people if not p.is_integration]
    records: list[TrainingRecord] = []
    _go_live_sessions(rng, cal, humans, records)
    _monthly_sessions(rng, cal, humans, users, records)
    _onboarding(rng, cal, humans, records)
    _training_wave(rng, cal, humans, records)
    records.sort(key=lambda r: (r.date, r.course, r.user.lower(), r.status))
    return records


def training_frame(records: list[TrainingRecord]) -> pd.DataFrame:
    """The records with the canonical column names of the ``training`` dataset."""
    return pd.DataFrame(
        {
            "user": [r.user for r in records],
            "course": [r.course for r in records],
            "date": [r.date for r in records],
            "kind": [r.kind for r in records],
            "status": [r.status for r in records],
            "score": pd.Series([r.score for r in records], dtype="float64"),
        }
    )


def training_csv(records: list[TrainingRecord]) -> bytes:
    """A Cornerstone-style transcript export: UTF-8 with BOM, CRLF, ISO dates, display labels."""
    rows = (
        (r.user, r.course, KIND_LABELS[r.kind], STATUS_LABELS[r.status], r.date.isoformat(),
         "" if r.score is None else str(r.score))
        for r in records
    )
    return render_csv(LMS_HEADER, rows, line_terminator="\r\n", bom=True)
