"""The pipeline's figures: how current the owners keep their opportunities.

- :mod:`.outcomes`: which opportunities are open, won or lost (one rule for every source, and
  the stage mapping setting);
- :mod:`.owners`: the per-owner figures of the latest snapshot as of a reference date (hygiene,
  win rate, owners matched to the roster): :func:`~.owners.pipeline_data`;
- :mod:`.groups`: the same per owner, per owner's adoption segment and per department;
- :mod:`.summary`: the headline figures (:class:`PipelineSummary`) and the ``pipeline`` part of
  ``crm-dash report``.

docs/pipeline.md documents the definitions.
"""

from __future__ import annotations

from crm_dash.metrics.pipeline.summary import (
    PipelineSummary,
    pipeline_report,
    pipeline_summary,
    summarise,
)

__all__ = ["PipelineSummary", "pipeline_report", "pipeline_summary", "summarise"]
