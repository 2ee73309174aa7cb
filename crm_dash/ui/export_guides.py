"""“How do I get this file?” on the Upload page: per dataset and source, the export guide, and the
generic CSV template to download.

The guides are data (:mod:`crm_dash.guides`); this only draws them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from crm_dash.datasets import DatasetKind, field_label
from crm_dash.guides import ExportGuide, guides_for, template_csv
from crm_dash.i18n import Language, t


def _guide(guide: ExportGuide, lang: Language) -> None:
    st.markdown(f"**{guide.title}**")
    st.markdown(f":material/route: {guide.where}")
    st.warning(f"**{t('guide.retention', lang)}** {guide.retention}", icon=":material/history:")
    st.markdown(f":material/event_repeat: **{t('guide.cadence', lang)}** {guide.cadence}")
    st.dataframe(
        pd.DataFrame([
            {t("guide.col.column", lang): header,
             t("guide.col.feeds", lang): field_label(guide.kind, name, lang) if name else "–"}
            for header, name in guide.columns
        ]),
        hide_index=True, width="stretch",
    )
    for note in guide.notes:
        st.caption(note)


def export_guide(kind: DatasetKind, lang: Language) -> None:
    """The guides for ``kind`` (a source to pick) and the generic template, folded away."""
    guides = guides_for(kind, lang)
    with st.expander(t("guide.title", lang), icon=":material/help:"):
        if guides:
            labels = [f"{g.source_name}: {g.title}" for g in guides]
            picked = st.pills(t("guide.source", lang), list(range(len(guides))),
                              format_func=labels.__getitem__, default=0,
                              key=f"guide_source_{kind.value}")
            _guide(guides[picked if picked is not None else 0], lang)
        st.divider()
        st.markdown(t("guide.template", lang))
        st.download_button(
            t("guide.template_button", lang), template_csv(kind),
            file_name=f"crm-dash-{kind.value}-template.csv", mime="text/csv",
            icon=":material/download:", key=f"guide_template_{kind.value}",
        )
