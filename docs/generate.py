"""Keep the figures the docs quote equal to the code's: write the tables, check the sentences.

The docs restate defaults, settings, environment variables and thresholds that live in the code.
Tables of them are *generated*: each stands between two marker comments,

    <!-- generated:NAME: docs/generate.py writes this table; edit it there -->
    ...
    <!-- end generated:NAME -->

and this script rewrites what is between them from the code. Numbers inside sentences ("at
least 8 active days") cannot be rewritten without making the prose unreadable, so they are
*checked*: each sentence is listed below with the code value it quotes, and a missing one is
reported by the name of that value.

    .venv/bin/python docs/generate.py          # rewrite the tables, report the sentences
    .venv/bin/python docs/generate.py --check  # only report; exit 1 when anything differs

``tests/unit/test_docs_match_code.py`` runs the check, so a default changed in the code without
the docs fails the tests with the name of the item.
"""

from __future__ import annotations

import ast
import difflib
import re
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = ".venv/bin/python docs/generate.py"

_BLOCK = re.compile(
    r"(<!-- generated:(?P<name>[a-z0-9-]+):[^\n]*-->\n)(?P<body>.*?)"
    r"(<!-- end generated:(?P=name) -->)",
    re.S,
)


def _marker(name: str) -> str:
    return f"<!-- generated:{name}: docs/generate.py writes this table; edit it there -->"


# --- how values read in the docs ---------------------------------------------------------------

def number(value: float) -> str:
    """8.0 -> '8', 0.5 -> '0.5'."""
    return str(int(value)) if float(value).is_integer() else str(value)


def percent(share: float) -> str:
    """0.9 -> '90 %'."""
    return f"{number(round(share * 100, 6))} %"


def setting_default(value: Any) -> str:
    """A setting's default as the tables show it."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, str):
        return f"`{value}`" if value else 'automatic (`""`)'
    if isinstance(value, list | tuple):
        return ", ".join(f"`{v}`" for v in value) if value else "none (`[]`)"
    if isinstance(value, dict):
        return "none (`{}`)" if not value else f"`{value}`"
    raise TypeError(f"no docs format for {value!r}")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# --- settings (crm_dash/settings.py) -----------------------------------------------------------

#: What each setting means, in the table of the doc that explains it. Every key of
#: crm_dash.settings.DEFAULTS must be in exactly one of these tables.
SETTING_TABLES: dict[str, dict[str, str]] = {
    "metric-settings": {
        "adoption.productive_min_active_days":
            "active days a month for productive (with the writes)",
        "adoption.productive_min_writes": "writes a month for productive (with the active days)",
        "adoption.sporadic_min_active_days":
            "active days a month for sporadic (at most the productive threshold)",
        "adoption.grace_days":
            "days after the start date in which a person counts as new rather than barely or never",
        "adoption.time_zone": "time zone of days and months (events are stored in UTC)",
        "adoption.write_actions": "actions that count as writes",
        "adoption.integration_patterns":
            "texts (case-insensitive) that mark an account as an integration account when its "
            "id, name or e-mail contains one, e.g. `integration@`, `noreply`",
        "pipeline.stage_outcomes":
            "custom stage labels mapped to `open`, `won` or `lost` (stored trimmed and "
            'lower-case), e.g. `{"vertrag unterschrieben": "won"}`; wins over the source\'s own '
            "open/won fields (see [Open, won or lost](pipeline.md#open-won-or-lost)); set on the "
            "Pipeline page",
    },
    "coverage-settings": {
        "coverage.holidays":
            "holiday calendar of working days for complete months: `DE` (German nationwide "
            "holidays) or `none`",
        "coverage.complete_until":
            '"data complete up to" a month (`YYYY-MM`), overriding the rule in both directions; '
            "empty: decided by the data",
        "coverage.answers":
            'leads\' answers to "Does this export cover all of M?", `{"YYYY-MM": true or false}`',
    },
    "privacy-settings": {
        "privacy.pseudonymise":
            "replace names and e-mails with stable pseudonyms such as `Person 4F2A91` in every "
            "view and export",
        "privacy.min_group_size":
            "the smallest group executives see as its own aggregate; never below "
            "{MIN_GROUP_FLOOR} (`MIN_GROUP_FLOOR` in `crm_dash/audience.py`)",
    },
}

#: Where each setting is set and explained (the overview in configuration.md), by key or by the
#: start of its key; the longest match wins.
SETTING_HOMES: dict[str, tuple[str, str]] = {
    "adoption.": ("Metric settings page", "[metrics.md](metrics.md#settings)"),
    "pipeline.": ("Pipeline page (Stage mapping)", "[pipeline.md](pipeline.md#open-won-or-lost)"),
    "coverage.": ("Metric settings page", "[coverage.md](coverage.md#settings)"),
    "coverage.answers": ("the Overview's question (leads and admins)",
                         "[coverage.md](coverage.md#the-question)"),
    "privacy.": ("Administration page", "[Privacy](#privacy) below"),
}


def _home(key: str) -> tuple[str, str] | None:
    matches = [prefix for prefix in SETTING_HOMES if key.startswith(prefix)]
    return SETTING_HOMES[max(matches, key=len)] if matches else None


def _defaults() -> dict[str, Any]:
    from crm_dash.settings import DEFAULTS

    return DEFAULTS


def _setting_table(name: str) -> str:
    from crm_dash.audience import MIN_GROUP_FLOOR

    defaults = _defaults()
    rows = [
        (f"`{key}`", setting_default(defaults[key]),
         meaning.replace("{MIN_GROUP_FLOOR}", str(MIN_GROUP_FLOOR)))
        for key, meaning in SETTING_TABLES[name].items()
    ]
    return _table(("setting", "default", "meaning"), rows)


def _all_settings() -> str:
    rows = []
    for key, value in _defaults().items():
        rows.append((f"`{key}`", setting_default(value), *(_home(key) or ("?", "?"))))
    return _table(("setting", "default", "set on", "explained in"), rows)


# --- environment variables (crm_dash/config.py) ------------------------------------------------

#: Limits that config.py checks with literals rather than constants; the test tries each one.
SESSION_HOURS_MAX = 720
MEMORY_MB_MIN = 128


def _environment_rows() -> dict[str, tuple[str, str, str]]:
    """Default, limits and meaning of each environment variable."""
    from crm_dash import config

    return {
        "CRM_DASH_DB": (
            f"`{config.DEFAULT_DB_PATH.as_posix()}`",
            "–",
            "Path of the DuckDB file; `--db` on the command line wins. Git-ignored.",
        ),
        "CRM_DASH_COOKIE_KEY": (
            "generated on first start into `.cookie_key` beside the database",
            f"at least {config.MIN_COOKIE_KEY_CHARS} characters",
            "Secret that keys the stored hashes of login cookies (a new key ends every "
            "remembered login). The generated file is readable only by its owner and "
            "git-ignored. Set it when several app processes serve one database.",
        ),
        "CRM_DASH_SESSION_HOURS": (
            number(config.DEFAULT_SESSION_HOURS),
            f"more than 0, at most {SESSION_HOURS_MAX}",
            "How long a login lasts at most, in hours, counted from the login.",
        ),
        "CRM_DASH_MEMORY_MB": (
            number(config.DEFAULT_MEMORY_MB),
            f"at least {MEMORY_MB_MIN}",
            "Memory DuckDB may hold, in MB. Beyond it, imports and page queries spill to the "
            "`<database>.tmp` folder instead of growing: a 10-million-row import stays under "
            "1 GB. Raise it on a big machine for speed.",
        ),
    }


def _environment() -> str:
    rows = [(f"`{name}`", *explained) for name, explained in _environment_rows().items()]
    return _table(("variable", "default", "limits", "meaning"), rows)


def environment_variables_read() -> set[str]:
    """The names crm_dash/config.py reads from the environment (os.environ.get, os.getenv,
    os.environ[...])."""
    tree = ast.parse((ROOT / "crm_dash" / "config.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        arg: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args:
            called = ast.unparse(node.func)
            if called in {"os.environ.get", "os.getenv", "environ.get", "getenv"}:
                arg = node.args[0]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in {"os.environ",
                                                                             "environ"}:
            arg = node.slice
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            names.add(arg.value)
    return names


# --- thresholds of the retrospective and the pipeline ------------------------------------------

def _retro_evidence() -> str:
    from crm_dash.metrics.training import ONBOARDING_DAYS, WINDOW_MONTHS
    from crm_dash.retro import evidence as e

    small = _defaults()["privacy.min_group_size"]
    good, step = percent(e.PRODUCTIVE_GOOD_SHARE), number(round(e.TREND_STEP * 100, 6))
    kinds = e.SESSION_KINDS
    rows = [
        ("Trainings take place regularly",
         f"months with at least one session among the {WINDOW_MONTHS} ending with the evidence "
         "month (a session: a distinct course and date someone attended or completed)",
         f"≥ {e.TRAININGS_DONE_MONTHS} / ≥ {e.TRAININGS_IN_PROGRESS_MONTHS}"),
        (f"New employees are onboarded within {ONBOARDING_DAYS} days",
         f"joiners of those {WINDOW_MONTHS} months whose first {ONBOARDING_DAYS} days are over, "
         f"trained within {ONBOARDING_DAYS} days of their start (see [Training](training.md))",
         f"≥ {percent(e.ONBOARDING_DONE_SHARE)} / ≥ {percent(e.ONBOARDING_IN_PROGRESS_SHARE)}"),
        ("Everyone is trained",
         "licensed people with at least one training attended or completed by the month's end",
         f"≥ {percent(e.TRAINED_DONE_SHARE)} / ≥ {percent(e.TRAINED_IN_PROGRESS_SHARE)}"),
        ("A kick-off took place · Key users are trained · Roadshow",
         "a session of kind "
         + " · ".join("/".join(f"`{k}`" for k in kinds[item])
                      for item in ("training.kickoff", "training.key_users",
                                   "integration.roadshow"))
         + " attended by the month's end",
         "done when one was; open when the records give kinds but none of these; nothing when "
         "no record gives a kind"),
        ("A concrete, time-bound goal is set",
         "running goals (started by the month after the evidence month, deadline not before it) "
         "and the best one's status (see [Goals](goals.md))",
         "done when one is achieved or on track; in progress when the best is behind, has no "
         f"complete month yet or covers fewer than {small} people; open when all are at risk or "
         "missed, or none runs"),
        ("The share of productive users is rising or at a good level",
         "productive share in the month and its change against "
         f"{e.TREND_MONTHS} months before",
         f"done at ≥ {good} and not falling by {step} point or more; in progress when rising "
         f"by ≥ {step} point below {good}, or falling from {good} or more; open otherwise. "
         f"Without the earlier month in the data: done at ≥ {good}, else nothing"),
        ("Managers work in the CRM themselves",
         "management accounts that are sporadic or productive in the month",
         f"≥ {percent(e.MANAGEMENT_DONE_SHARE)} / ≥ {percent(e.MANAGEMENT_IN_PROGRESS_SHARE)}"),
        ("Licences are used",
         "licensed people barely or never using the CRM, and their licence cost",
         f"≤ {percent(e.IDLE_DONE_MAX_SHARE)} / ≤ {percent(e.IDLE_IN_PROGRESS_MAX_SHARE)}"),
        ("The pipeline is kept current",
         "hygiene score of the latest pipeline export (see [Pipeline](pipeline.md)), as of its "
         "own date",
         f"≥ {number(e.HYGIENE_DONE_SCORE)} / ≥ {number(e.HYGIENE_IN_PROGRESS_SCORE)}"),
        ("The user roster is complete",
         "licensed people with a department and a start date",
         f"≥ {percent(e.ROSTER_DONE_SHARE)} / ≥ {percent(e.ROSTER_IN_PROGRESS_SHARE)}"),
        ("Integration and API accounts are identified",
         "accounts marked as integration accounts (roster, by hand or by rule)",
         "done when at least one is; with none, nothing (a company may have none)"),
    ]
    return _table(("item", "figure", "suggests done / in progress / else open"), rows)


def _pipeline_figures() -> str:
    from crm_dash.metrics.pipeline.owners import PENALTIES, STALE_DAYS

    as_of = date(2026, 10, 31)
    current = as_of - timedelta(days=STALE_DAYS)
    stale = current - timedelta(days=1)

    def day(d: date) -> str:
        return f"{d.day} {d:%b}"

    penalties = (f"{PENALTIES['no_next_step']} without a next step, {PENALTIES['overdue']} when "
                 f"the close date has passed, {PENALTIES['stale']} when not updated for "
                 f"{STALE_DAYS} days, {PENALTIES['no_amount']} without an amount")
    rows = [
        ("**with next step**", "`next_step` is not blank"),
        ("**close date passed** (overdue)",
         "`close_date` before the reference date (no close date: not overdue)"),
        (f"**not updated for {STALE_DAYS} days** (stale)",
         f"the last touch lies more than {STALE_DAYS} days before the reference date; last "
         "touch = the later of `last_modified_at` and `last_activity_at`, or `created_at` when "
         f"neither is known (none of the three: not stale). As of {day(as_of)}, a record last "
         f"touched on {day(current)} is current, one touched on {day(stale)} is stale"),
        ("**missing amount**", "`amount` empty or 0"),
        ("**hygiene score**",
         f"100 minus {penalties} (so {100 - sum(PENALTIES.values())} to 100)"),
    ]
    return _table(("figure", "definition"), rows)


BLOCKS: dict[str, Callable[[], str]] = {
    "metric-settings": lambda: _setting_table("metric-settings"),
    "coverage-settings": lambda: _setting_table("coverage-settings"),
    "privacy-settings": lambda: _setting_table("privacy-settings"),
    "all-settings": _all_settings,
    "environment": _environment,
    "retro-evidence": _retro_evidence,
    "pipeline-figures": _pipeline_figures,
}

#: Which doc holds which generated tables.
FILES: dict[str, tuple[str, ...]] = {
    "docs/metrics.md": ("metric-settings",),
    "docs/coverage.md": ("coverage-settings",),
    "docs/configuration.md": ("environment", "all-settings", "privacy-settings"),
    "docs/retrospective.md": ("retro-evidence",),
    "docs/pipeline.md": ("pipeline-figures",),
}


# --- sentences that quote the code -------------------------------------------------------------

@dataclass(frozen=True)
class Quote:
    """A sentence of a doc that states a value of the code."""

    path: str
    text: str
    source: str  # the code value it quotes, as "module.NAME = value"


def _source(module: str, name: str, value: Any) -> str:
    return f"{module}.{name} = {value!r}"


def quotes() -> list[Quote]:
    """Every sentence of the docs that states a value of the code, with that value filled in."""
    from crm_dash import config, login_limits
    from crm_dash.audience import MIN_GROUP_FLOOR
    from crm_dash.goals.model import DEFAULT_HORIZON_MONTHS, DEFAULT_TARGET_PCT
    from crm_dash.health.findings import LEAVER_DAYS
    from crm_dash.health.freshness import PIPELINE_MAX_AGE_DAYS, USAGE_GRACE_DAYS
    from crm_dash.importing.evidence import SURE, UNSURE
    from crm_dash.metrics.definitions import AdoptionDefinition
    from crm_dash.metrics.pipeline.owners import WIN_RATE_MONTHS
    from crm_dash.metrics.training import ONBOARDING_DAYS, WINDOW_MONTHS

    d = AdoptionDefinition.model_validate({})  # the defaults
    adoption = "crm_dash.metrics.definitions.AdoptionDefinition()"
    min_group = _defaults()["privacy.min_group_size"]
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    upload_mb = streamlit["server"]["maxUploadSize"]
    window = int(login_limits.FAILED_LOGIN_WINDOW.total_seconds() // 60)
    lockout = int(login_limits.LOCKOUT.total_seconds() // 60)
    client_window = int(login_limits.CLIENT_WINDOW.total_seconds() // 60)
    m, t = "docs/metrics.md", "docs/training.md"
    pmad, pmw = d.productive_min_active_days, d.productive_min_writes
    return [
        Quote(m, f"**productive**: at least {pmad} active days **and** at least {pmw} writes",
              f"{adoption}.productive_min_active_days = {pmad}, .productive_min_writes = {pmw}"),
        Quote(m, f"**sporadic**: at least {d.sporadic_min_active_days} active days, not "
                 "productive", f"{adoption}.sporadic_min_active_days = "
                 f"{d.sporadic_min_active_days}"),
        Quote(m, f"**barely**: fewer than {d.sporadic_min_active_days} active days",
              f"{adoption}.sporadic_min_active_days = {d.sporadic_min_active_days}"),
        Quote(m, f"than the month's last day minus {d.grace_days} days",
              f"{adoption}.grace_days = {d.grace_days}"),
        Quote(m, f"missing days / {pmad} + missing writes / {pmw}",
              f"{adoption}.productive_min_active_days = {pmad}, .productive_min_writes = {pmw}"),
        Quote(m, f"({min_group} unless an admin raises it",
              _source("crm_dash.settings.DEFAULTS", "privacy.min_group_size", min_group)),
        Quote("docs/goals.md", f"({min_group} unless an admin raises it",
              _source("crm_dash.settings.DEFAULTS", "privacy.min_group_size", min_group)),
        Quote("docs/goals.md", f"a horizon in months (default {DEFAULT_HORIZON_MONTHS})",
              _source("crm_dash.goals.model", "DEFAULT_HORIZON_MONTHS", DEFAULT_HORIZON_MONTHS)),
        Quote("docs/goals.md",
              f"a target change in percent (default +{number(DEFAULT_TARGET_PCT)})",
              _source("crm_dash.goals.model", "DEFAULT_TARGET_PCT", DEFAULT_TARGET_PCT)),
        Quote(t, f"**Sessions per month** for the {WINDOW_MONTHS} months ending with M",
              _source("crm_dash.metrics.training", "WINDOW_MONTHS", WINDOW_MONTHS)),
        Quote(t, f"whose first {ONBOARDING_DAYS} days have passed by M's last day (start date "
                 f"+ {ONBOARDING_DAYS} days ≤ M's last day)",
              _source("crm_dash.metrics.training", "ONBOARDING_DAYS", ONBOARDING_DAYS)),
        Quote(t, f"| **Onboarded within {ONBOARDING_DAYS} days** | a joiner with an attended or "
                 f"completed training on or before start date + {ONBOARDING_DAYS} days",
              _source("crm_dash.metrics.training", "ONBOARDING_DAYS", ONBOARDING_DAYS)),
        Quote("docs/pipeline.md", f"**Win rate ({WIN_RATE_MONTHS} months)**: won / (won + lost) "
              f"over the opportunities closed in the {WIN_RATE_MONTHS} months",
              _source("crm_dash.metrics.pipeline.owners", "WIN_RATE_MONTHS", WIN_RATE_MONTHS)),
        Quote("docs/uploading.md", f"Sure matches (≥ {SURE}) are mapped, unsure ones "
              f"({UNSURE}–{SURE}) are mapped and flagged",
              f"crm_dash.importing.evidence.SURE = {SURE}, UNSURE = {UNSURE}"),
        Quote("docs/uploading.md", f"browser takes files up to {upload_mb} MB",
              f".streamlit/config.toml server.maxUploadSize = {upload_mb}"),
        Quote("docs/data-health.md", f"The {LEAVER_DAYS} days of a possible leaver",
              _source("crm_dash.health.findings", "LEAVER_DAYS", LEAVER_DAYS)),
        Quote("docs/getting-started.md", f"that snapshot is more than {PIPELINE_MAX_AGE_DAYS} "
              "days old", _source("crm_dash.health.freshness", "PIPELINE_MAX_AGE_DAYS",
                                  PIPELINE_MAX_AGE_DAYS)),
        Quote("docs/getting-started.md", f"When today is more than {USAGE_GRACE_DAYS} days "
              "after the end of a month M",
              _source("crm_dash.health.freshness", "USAGE_GRACE_DAYS", USAGE_GRACE_DAYS)),
        Quote("docs/security.md", f"never below `MIN_GROUP_FLOOR` = {MIN_GROUP_FLOOR}",
              _source("crm_dash.audience", "MIN_GROUP_FLOOR", MIN_GROUP_FLOOR)),
        Quote("docs/security.md",
              f"| per username | {login_limits.MAX_FAILED_LOGINS} failures in {window} minutes, "
              f"since the last success | that username, {lockout} minutes |",
              f"crm_dash.login_limits.MAX_FAILED_LOGINS = {login_limits.MAX_FAILED_LOGINS}, "
              f"FAILED_LOGIN_WINDOW = {window} min, LOCKOUT = {lockout} min"),
        Quote("docs/security.md",
              f"| per client | {login_limits.MAX_CLIENT_FAILURES} failures in {client_window} "
              "minutes from one IP address",
              f"crm_dash.login_limits.MAX_CLIENT_FAILURES = {login_limits.MAX_CLIENT_FAILURES}, "
              f"CLIENT_WINDOW = {client_window} min"),
        Quote("docs/security.md",
              f"| whole installation | {login_limits.MAX_ATTEMPTS_PER_MINUTE} attempts in one "
              "minute", _source("crm_dash.login_limits", "MAX_ATTEMPTS_PER_MINUTE",
                                login_limits.MAX_ATTEMPTS_PER_MINUTE)),
        Quote("docs/security.md", "`expires_at` is `created_at` plus `CRM_DASH_SESSION_HOURS` "
              f"(default {number(config.DEFAULT_SESSION_HOURS)})",
              _source("crm_dash.config", "DEFAULT_SESSION_HOURS", config.DEFAULT_SESSION_HOURS)),
    ]


# --- putting it together -----------------------------------------------------------------------

def render(text: str, names: tuple[str, ...], path: str = "the doc") -> str:
    """``text`` with the generated tables ``names`` written afresh between their markers."""
    found = {m.group("name") for m in _BLOCK.finditer(text)}
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"{path} has no markers for {missing}: add "
                         + " and ".join(f"{_marker(n)} … <!-- end generated:{n} -->"
                                        for n in missing))

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in names:
            return match.group(0)
        return match.group(1) + BLOCKS[name]() + match.group(4)

    return _BLOCK.sub(fill, text)


def table_differences() -> list[str]:
    """One message per generated table whose text differs from what the code gives."""
    messages = []
    for path, names in FILES.items():
        text = (ROOT / path).read_text(encoding="utf-8")
        want = render(text, names, path)
        if want == text:
            continue
        have_blocks = {m.group("name"): m.group("body") for m in _BLOCK.finditer(text)}
        want_blocks = {m.group("name"): m.group("body") for m in _BLOCK.finditer(want)}
        for name in names:
            if have_blocks[name] == want_blocks[name]:
                continue
            changed = [
                ("  docs: " if line[0] == "-" else "  code: ") + line[2:]
                for line in difflib.ndiff(have_blocks[name].splitlines(),
                                          want_blocks[name].splitlines())
                if line[:1] in "-+"
            ]
            messages.append(f"{path}, table {name!r} differs from the code (run {REGENERATE}):\n"
                            + "\n".join(changed))
    return messages


def settings_without_a_table() -> list[str]:
    """Settings of crm_dash.settings that no table explains, or that two tables explain."""
    placed = [key for table in SETTING_TABLES.values() for key in table]
    messages = [f"setting {key!r} (default {value!r}) is in no table of SETTING_TABLES in "
                "docs/generate.py: add it with its meaning"
                for key, value in _defaults().items() if key not in placed]
    messages += [f"setting {key!r} is in docs/generate.py but not in crm_dash.settings.DEFAULTS"
                 for key in placed if key not in _defaults()]
    messages += [f"setting {key!r} is in two tables of docs/generate.py"
                 for key in sorted({k for k in placed if placed.count(k) > 1})]
    messages += [f"setting {key!r} has no entry in SETTING_HOMES of docs/generate.py (where it "
                 "is set and explained)"
                 for key in _defaults() if _home(key) is None]
    return messages


def environment_without_a_row() -> list[str]:
    """Environment variables crm_dash/config.py reads or declares that the table leaves out."""
    from crm_dash.config import ENV_VARS

    rows = _environment_rows()
    messages = [f"crm_dash/config.py reads {name} but docs/generate.py has no row for it"
                for name in sorted(environment_variables_read() | set(ENV_VARS))
                if name not in rows]
    messages += [f"docs/generate.py documents {name}, which crm_dash/config.py neither reads "
                 "nor declares in ENV_VARS"
                 for name in rows if name not in environment_variables_read() | set(ENV_VARS)]
    return messages


def _words(text: str) -> str:
    """Text with every run of white space as one space, so rewrapping a paragraph is no change."""
    return " ".join(text.split())


def missing_quotes() -> list[str]:
    """One message per sentence a doc no longer says with the code's value."""
    texts: dict[str, str] = {}
    messages = []
    for quote in quotes():
        file = ROOT / quote.path
        if not file.exists():
            messages.append(f"{quote.path} is missing; it should say {quote.text!r} "
                            f"({quote.source})")
            continue
        text = texts.setdefault(quote.path, _words(file.read_text(encoding="utf-8")))
        if _words(quote.text) not in text:
            messages.append(f"{quote.path} does not say {quote.text!r}, which the code gives "
                            f"({quote.source}); fix the sentence or the list in docs/generate.py")
    return messages


def problems() -> list[str]:
    """Everything in which the docs and the code differ."""
    return (settings_without_a_table() + environment_without_a_row() + table_differences()
            + missing_quotes())


def write() -> list[Path]:
    """Rewrite the generated tables; returns the files that changed."""
    texts = {ROOT / path: (ROOT / path).read_text(encoding="utf-8") for path in FILES}
    rendered = {file: render(texts[file], FILES[path], path)  # every file, before writing any
                for path in FILES for file in [ROOT / path]}
    changed = [file for file, text in rendered.items() if text != texts[file]]
    for file in changed:
        file.write_text(rendered[file], encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    if "--check" not in argv:
        for file in write():
            print(f"rewrote the tables of {file.relative_to(ROOT)}")
    found = problems()
    for message in found:
        print(message, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
