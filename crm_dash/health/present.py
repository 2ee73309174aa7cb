"""The data-health report in words (German or English): what is wrong, how many, why, what to do.

Streamlit-free, so the page, the Overview line and ``crm-dash check`` say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crm_dash.datasets import DatasetKind
from crm_dash.health.findings import DatasetHealth, Finding, HealthReport
from crm_dash.i18n import Language, fmt_date, fmt_datetime, fmt_int, fmt_month, fmt_percent, t
from crm_dash.markdown import md_escape, md_values
from crm_dash.metrics.gaps import gap_text

#: How each dataset matches people to the roster (the cause texts name it).
_MATCHED_BY = {DatasetKind.USAGE: "usage", DatasetKind.TRAINING: "training",
               DatasetKind.PIPELINE: "pipeline"}
_DATASET_OF = {"usage_not_in_roster": DatasetKind.USAGE,
               "learners_not_in_roster": DatasetKind.TRAINING,
               "owners_not_in_roster": DatasetKind.PIPELINE}


@dataclass(frozen=True)
class FindingText:
    """One finding in words: the headline with its numbers, why (may be empty), examples
    (may be empty) and what to do."""

    title: str
    cause: str
    examples: str
    action: str


def finding_text(finding: Finding, lang: Language, *, markdown: bool = False) -> FindingText:
    """``finding`` in words, numbers and dates formatted for ``lang``; with ``markdown``, the
    values and examples (names, ids, file names from the uploads) escaped for a Markdown
    element (:func:`crm_dash.markdown.md_escape`), the templates left as they are."""
    values = {k: fmt_date(v, lang) if hasattr(v, "isoformat") else
              fmt_int(v, lang) if isinstance(v, int) else v
              for k, v in finding.values.items()}
    if "dataset" in values:
        values["dataset"] = t(f"dataset.{values['dataset']}", lang)
    if markdown:
        values = md_values(values)
    examples = [md_escape(e) if markdown else e for e in finding.examples]
    numbers = {"count": fmt_int(finding.count, lang), "part": fmt_int(finding.part, lang),
               "whole": fmt_int(finding.whole, lang), "share": fmt_percent(finding.share, lang)}
    key = f"health.finding.{finding.code}"
    title = t(f"{key}.title", lang, **numbers, **values)
    action = t(f"{key}.action", lang, **values)
    return FindingText(title=title, cause=cause_text(finding, lang, markdown=markdown),
                       examples=t("health.examples", lang, examples="; ".join(examples))
                       if examples else "",
                       action=action)


def cause_text(finding: Finding, lang: Language, *, markdown: bool = False) -> str:
    """Why the people of ``finding`` were not found in the roster, and what fixes that (with
    ``markdown``, the column and file it names escaped)."""
    if finding.cause is None:
        return ""
    kind = _DATASET_OF.get(finding.code)
    text = t(f"health.cause.{finding.cause}", lang,
             shape=t(f"health.shape.{finding.shape or 'other'}", lang),
             roster_shape=t(f"health.shape.{finding.roster_shape or 'other'}", lang),
             matched=t(f"health.matched.{_MATCHED_BY.get(kind, 'usage') if kind else 'usage'}",
                       lang))
    if finding.gap is not None:
        text += " " + gap_text(finding.gap, lang, markdown=markdown)
    return text


def months_text(dataset: DatasetHealth, lang: Language) -> str:
    """The usage log's complete months ("Jan 2026 – Sept 2026"); "–" for the other datasets."""
    if dataset.first_month is None or dataset.complete_through is None:
        return "–"
    return t("health.months.value", lang, first=fmt_month(dataset.first_month, lang, short=True),
             complete=fmt_month(dataset.complete_through, lang, short=True))


def upload_text(dataset: DatasetHealth, lang: Language) -> str:
    """The latest upload: file, who, when (and the date the export carries)."""
    if dataset.file_name is None:
        return "–"
    text = t("health.upload.value", lang, file=dataset.file_name, who=dataset.uploaded_by or "–",
             when=fmt_datetime(dataset.uploaded_at, lang))
    if dataset.export_date is not None:
        text += " " + t("health.upload.export_date", lang,
                        date=fmt_date(dataset.export_date, lang))
    return text


def dataset_rows(datasets: Sequence[DatasetHealth], lang: Language) -> list[dict[str, str]]:
    """The datasets table: one row per dataset, its columns named in ``lang``."""
    return [{
        t("health.col.dataset", lang): t(f"dataset.{d.kind.value}", lang),
        t("health.col.rows", lang): fmt_int(d.rows, lang),
        t("health.col.period", lang): "–" if d.first is None else t(
            "health.period.value", lang, first=fmt_date(d.first, lang),
            last=fmt_date(d.last, lang)),
        t("health.col.months", lang): months_text(d, lang),
        t("health.col.last_upload", lang): upload_text(d, lang),
    } for d in datasets]


def summary_text(report: HealthReport, lang: Language, *, markdown: bool = False) -> str:
    """One line: all clear, or how many findings need attention and the first of them (with
    ``markdown``, its values escaped)."""
    attention = report.attention
    if not attention:
        return t("health.summary.ok", lang)
    return t("health.summary.attention", lang, n=fmt_int(len(attention), lang),
             first=finding_text(attention[0], lang, markdown=markdown).title)


def report_text(report: HealthReport, lang: Language) -> str:
    """The whole report as plain text (``crm-dash check`` without ``--json``)."""
    lines = [t("health.title", lang)]
    for row in dataset_rows(report.datasets, lang):
        lines.append("  " + " | ".join(row.values()))
    lines.append("")
    if not report.findings:
        lines.append(t("health.all_clear", lang))
    for finding in report.findings:
        text = finding_text(finding, lang)
        lines.append(("! " if finding.attention else "i ") + text.title)
        lines += [f"  {part}" for part in (text.cause, text.examples) if part]
        lines.append(f"  -> {text.action}")
    return "\n".join(lines)
