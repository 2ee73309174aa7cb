"""The Pipeline page's stage mapping (leads and admins): which stage labels count as open, won
or lost, by which rule, and a form that maps one label (setting ``pipeline.stage_outcomes``).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from crm_dash.i18n import Language, fmt_int, t
from crm_dash.markdown import md_escape
from crm_dash.metrics.pipeline.outcomes import OUTCOMES, save_stage_outcomes, stage_key
from crm_dash.views.pipeline import StageMapping

_FLASH = "pipeline_flash"
_AUTOMATIC = ""


def stage_table(stages: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """One row per stage label: opportunities, what it counts as and why (several outcomes
    when the source's fields differ between its opportunities)."""
    rows = []
    for key, group in stages.groupby(stages["stage_key"].fillna(""), sort=True):
        outcomes = group.groupby("outcome")["opportunities"].sum().sort_values(ascending=False)
        several = len(outcomes) > 1
        rows.append({
            "stage": str(group["stage"].iloc[0]) if key else t("pipeline.stages.no_stage", lang),
            "opportunities": int(group["opportunities"].sum()),
            "outcome": ", ".join(
                t(f"pipeline.outcome.{o}", lang) + (f" ({fmt_int(int(n), lang)})" if several
                                                    else "")
                for o, n in outcomes.items()),
            "source": ", ".join(dict.fromkeys(
                t(f"pipeline.source.{s}", lang) for s in
                group.sort_values("opportunities", ascending=False)["outcome_source"])),
        })
    return pd.DataFrame(rows, columns=["stage", "opportunities", "outcome", "source"])


def _flash(message: str) -> None:
    st.session_state[_FLASH] = message
    st.rerun()


def stage_mapping(stages: StageMapping, conn: duckdb.DuckDBPyConnection, lang: Language,
                  actor: str) -> None:
    """The stage labels in the data with their outcome and its rule (``stages``), and a form
    that maps one (saved as ``actor`` in ``conn``)."""
    flash = st.session_state.pop(_FLASH, None)
    with st.expander(t("pipeline.stages.title", lang), expanded=flash is not None,
                     icon=":material/tune:", key="stage_mapping"):
        if flash:
            st.success(flash)
        st.caption(t("pipeline.stages.intro", lang))
        table = stage_table(stages.labels, lang)
        st.dataframe(table.rename(columns={
            c: t(f"pipeline.stages.col.{c}", lang) for c in ("stage", "opportunities",
                                                               "outcome", "source")
        }), hide_index=True, width="stretch", height=min(35 * (len(table) + 1) + 3, 600))
        mapping = stages.mapping
        written = {str(k): str(s) for k, s in zip(stages.labels["stage_key"],
                                                   stages.labels["stage"],
                                                   strict=True) if isinstance(k, str) and k}
        labels = sorted({**{k: k for k in mapping}, **written}.items(),
                        key=lambda kv: kv[1].lower())
        if mapping:
            st.caption(t("pipeline.stages.current", lang, mappings=", ".join(
                f"„{md_escape(written.get(k, k))}“ → {t(f'pipeline.outcome.{o}', lang)}"
                if lang == "de" else
                f"\"{md_escape(written.get(k, k))}\" → {t(f'pipeline.outcome.{o}', lang)}"
                for k, o in sorted(mapping.items()))))
        else:
            st.caption(t("pipeline.stages.current_none", lang))
        if not labels:
            return
        shown = dict(labels)
        left, right = st.columns(2)
        label = left.selectbox(t("pipeline.stages.label", lang), [k for k, _ in labels],
                               format_func=lambda k: shown[k], key="stage_label")
        current = mapping.get(label, _AUTOMATIC)
        outcome = right.selectbox(
            t("pipeline.stages.outcome", lang), [_AUTOMATIC, *OUTCOMES],
            index=[_AUTOMATIC, *OUTCOMES].index(current), key=f"stage_outcome_{label}",
            format_func=lambda o: t("pipeline.stages.automatic", lang) if o == _AUTOMATIC
            else t(f"pipeline.outcome.{o}", lang),
        )
        if st.button(t("pipeline.stages.save", lang), type="primary", key="stage_save",
                     icon=":material/save:"):
            new: dict[str, str] = dict(mapping)
            if outcome == _AUTOMATIC:
                new.pop(stage_key(label), None)
            else:
                new[stage_key(label)] = outcome
            if not save_stage_outcomes(conn, new, actor=actor):
                st.info(t("pipeline.stages.unchanged", lang))
                return
            stage = md_escape(shown[label])  # a label from the export, shown in Markdown
            _flash(t("pipeline.stages.removed", lang, stage=stage) if outcome == _AUTOMATIC
                   else t("pipeline.stages.saved", lang, stage=stage,
                          outcome=t(f"pipeline.outcome.{outcome}", lang)))
        st.caption(t("pipeline.stages.history", lang))

