"""Page-wide layout rules: German labels fit at 1280 px, and Overview and Goals read on a phone.

Streamlit offers no setting for these, so they are CSS over its test ids (stable across releases,
unlike its generated class names). Checked by tests/e2e/test_layout_e2e.py, which measures every
page at 1280, 1920 and 390 px and keeps screenshots of each under test-output/screenshots/.
"""

from __future__ import annotations

import streamlit as st

_CSS = """<style>
/* Tiles: a long German label ('Abschluss überfällig', 'Jetzt (November 2026)') wraps onto a
   second line instead of ending in an ellipsis; a value breaks only between words. */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
/* Captions carry definitions and reasons: Streamlit's grey (faded further in some places) on
   white has a contrast of 2.7 to 3.9:1, below the 4.5:1 that WCAG asks of small text. */
.stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] * {
  color: #5f5e5c; opacity: 1;
}
/* Between a laptop and a wide screen, Streamlit's 5rem side margins and 300 px sidebar cost a
   table a column or two ('Kennzahl-Einstellungen', the longest page name, still fits). */
@media (max-width: 1600px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1.5rem; padding-right: 1.5rem; }
}
@media (min-width: 641px) and (max-width: 1400px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1rem; padding-right: 1rem; }
  [data-testid="stSidebar"][data-collapsed="false"] {
    width: 264px !important; min-width: 264px !important;
  }
}
/* A phone: the content uses the width; charts and tables keep inside it. */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {
    padding-left: 0.75rem; padding-right: 0.75rem; padding-top: 3rem;
  }
  h1 { font-size: 1.9rem !important; }
  [data-testid="stMetricValue"] { font-size: 1.6rem !important; }
  /* Tiles two to a row instead of one under the other: a goal's figures fit on one screen.
     Only rows of tiles: a chart or table beside a tile keeps the whole width. */
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]):not(
    :has(.vega-embed, [data-testid="stDataFrame"])) {
    flex-flow: row wrap !important; gap: 0.75rem 1rem !important;
  }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]):not(
    :has(.vega-embed, [data-testid="stDataFrame"])) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important;
    width: calc(50% - 0.5rem) !important;
  }
  [data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"],
  [data-testid="stDataFrame"], [data-testid="stElementContainer"] { max-width: 100%; }
}
</style>"""


def apply_layout() -> None:
    """Add the app's layout rules to this run's page (call once per run, before any content)."""
    st.html(_CSS)
