"""The adoption segments' names and definitions as the reader's language says them.

Kept out of the package's re-exports: the segment codes come from
:mod:`crm_dash.metrics.definitions`, which itself uses :mod:`crm_dash.i18n`; import from here.
"""

from __future__ import annotations

from crm_dash.i18n.catalog import Language, t
from crm_dash.metrics.definitions import SEGMENTS, VersionedDefinition


def segment_labels(lang: Language) -> dict[str, str]:
    """Display names of the segments (and the extra states charts use)."""
    codes = [*SEGMENTS, "barely_never", "not_licensed"]
    return {code: t(f"adoption.segment.{code}", lang) for code in codes}


def segment_help(segment: str, versioned: VersionedDefinition, lang: Language) -> str:
    """The definition of one segment with the thresholds in force (hover help)."""
    d = versioned.definition
    return t(f"adoption.segment.{segment}_help", lang, days=d.productive_min_active_days,
             writes=d.productive_min_writes, sporadic=d.sporadic_min_active_days,
             grace=d.grace_days)
