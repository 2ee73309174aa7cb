"""Streamlit's own English, replaced where Streamlit lets us: one style sheet and one tiny script.

Streamlit writes some texts itself, in English, whatever the page's language: the file
uploader's button and its size hint, the hint under a text field ("Press Enter to apply"), the
``lang`` attribute of the page. :func:`replace_streamlit_english` (called once per run from the
page setup) covers them:

- CSS over Streamlit's test ids: the uploader's hint is hidden (the page's own caption says the
  limit and the command line for more), its button and the text fields' hints get our text as
  generated content;
- a script sets ``<html lang>`` to the UI language (screen readers and the browser's spelling
  and hyphenation follow it).

What cannot be replaced is listed in :data:`KEPT_ENGLISH`, each with its reason; the same list
is in ``docs/streamlit-english.md`` and the render test allows exactly that list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import streamlit as st

from crm_dash.i18n import Language, t

#: Marks our script's element so the style sheet can take it out of the layout.
MARKER = "crm-dash-streamlit-language"


@dataclass(frozen=True)
class KeptEnglish:
    """A text Streamlit writes in English that we leave, and why."""

    text: str  # as Streamlit writes it
    where: str  # widget or place
    reason: str


#: Streamlit's English that stays, reviewed: each entry says why it cannot be replaced.
KEPT_ENGLISH: tuple[KeptEnglish, ...] = (
    KeptEnglish("month and weekday names, 'Previous month', 'Next month'", "st.date_input "
                "calendar (Retrospective: date held, due date)",
                "a day is meant, so a month select does not fit; the calendar is Base Web's, its "
                "locale is fixed to English and its texts have no test ids of their own; the "
                "field itself shows and takes the date in the page's format (DD.MM.YYYY)"),
    KeptEnglish("'Search', 'Fullscreen', 'Close fullscreen' (tooltips, aria-labels)",
                "st.dataframe toolbar",
                "the tooltips are drawn on hover into a portal without test ids, and aria-labels "
                "cannot be set from CSS; the export button is switched off in "
                ".streamlit/config.toml"),
    KeptEnglish("'Help for <label>' (aria-label), 'file upload' (aria-label), 'Show password "
                "text' (aria-label)", "help icons, the uploader's input, password fields",
                "accessible names written by Streamlit's React code; CSS cannot change an "
                "attribute and rewriting them from a script would fight every rerun"),
    KeptEnglish("'Showing page 1 of 2', file sizes ('2.1KB')", "st.file_uploader with more "
                "than three files",
                "drawn without test ids of their own beside the file names"),
    KeptEnglish("'Running...', 'Stop', 'Connecting', 'Please wait...'", "status widget, "
                "connection messages",
                "shown by Streamlit's frame before or while our script runs, so no script or "
                "style of ours is on the page yet"),
)

#: Texts Streamlit writes that the style sheet replaces (the render test and the browser test
#: look for them).
REPLACED_ENGLISH: tuple[str, ...] = (
    "Drag and drop file here", "Browse files", "per file •", "Press Enter to apply",
    "Press Enter to submit form", "+Enter to apply", "+Enter to submit form",
)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (JSON's escaping is valid CSS for our catalog texts)."""
    return json.dumps(text, ensure_ascii=False).replace("<", "\\3c ")


def style_sheet(lang: Language) -> str:
    """The CSS that puts our texts over Streamlit's (and hides our script's element)."""
    upload = _css_string(t("streamlit.upload_button", lang))
    apply = _css_string(t("streamlit.enter_to_apply", lang))
    apply_multiline = _css_string(t("streamlit.ctrl_enter_to_apply", lang))
    submit = _css_string(t("streamlit.enter_to_submit", lang))
    submit_multiline = _css_string(t("streamlit.ctrl_enter_to_submit", lang))
    instructions = '[data-testid="InputInstructions"]'
    button = ('[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] '
              '[data-testid="stMarkdownContainer"]')
    return f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] {{display: none}}
{button} p {{display: none}}
{button}::after {{content: {upload}}}
{instructions} > span:first-child {{display: none}}
{instructions}::before {{content: {apply}}}
[data-testid="stTextArea"] {instructions}::before {{content: {apply_multiline}}}
[data-testid="stForm"] {instructions}::before {{content: {submit}}}
[data-testid="stForm"] [data-testid="stTextArea"] {instructions}::before {{
  content: {submit_multiline}}}
[data-testid="stElementContainer"]:has(.{MARKER}) {{display: none}}
</style>"""


def replace_streamlit_english(lang: Language) -> None:
    """Once per run, before the page draws: our texts over Streamlit's, ``<html lang>``."""
    st.html(style_sheet(lang))
    # Takes no space (the style sheet hides its element); runs again when the language changes.
    st.html(f'<span class="{MARKER}" data-lang="{lang}"></span>'
            f"<script>document.documentElement.lang = {json.dumps(lang)};</script>",
            unsafe_allow_javascript=True)
