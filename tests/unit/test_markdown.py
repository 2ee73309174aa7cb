"""The one escaping helper: text from files shown literally in Streamlit Markdown (issue 15).

Streamlit's renderer (react-markdown, GFM, math, directives, emoji, icons) is modelled in two
steps: CommonMark syntax on the source, where a backslash escapes any ASCII punctuation, and
Streamlit's rewrites of the parsed text, where the escapes are gone (emoji shortcodes, the logo,
arrows, bare links). The regular expressions below are Streamlit 1.67's own (its frontend
bundle); the browser test tests/e2e/test_escaping_e2e.py checks the real renderer.
"""

from __future__ import annotations

import re
import string

import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.health.findings import Finding
from crm_dash.health.present import finding_text
from crm_dash.importing.evidence import Evidence
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.run import Notice, evidence_text
from crm_dash.markdown import WORD_JOINER, md_escape, md_unescape, md_values
from crm_dash.metrics.gaps import FieldGap, gap_text

NASTY = [
    "![x](http://127.0.0.1:9/leak.png)",
    "<img src=http://127.0.0.1:9/img.png onerror=alert(1)>",
    "<b>bold</b>", "<script>alert(1)</script>", "&lt;b&gt; &amp; &#58;",
    "[click](javascript:alert(1))", "[ref]: http://127.0.0.1:9/ref", "<http://127.0.0.1:9/a>",
    "http://127.0.0.1:9/bare HTTPS://x.y www.example.com WWW.Example.com a.b+c@example.com",
    ":red[x]", ":red-background[x]", ":small[x]", ":help[tip]", ":color[x]{foreground=red}",
    ":material/warning:", ":material/warning: text", "::leaf[x]", ":::container",
    ":smile: :+1: :-1: :streamlit: a:b:c", "a -> b <- c <-> d -- e >= f <= g ~= h",
    "$x^2$", "$$\\int$$", "# heading", "## h2", "- item", "+ item", "* item", "1. one",
    "1) one", "> quote", "---", "===", "| a | b |", "**strong** __strong__ *em* _em_",
    "~~strike~~ ~sub~", "`code` ```fence```", "a\\", "\\*", "x[^1]", "[^1]: note",
    "line one\nline two", "a\n\n    indented code", "a\r\nb\rc", "  leading spaces",
    "Umlaute äöü ß – “quotes” «» ‹›", "user_id", "", "plain words",
]


def _parsed(markdown: str) -> str:
    """The text CommonMark leaves of ``markdown`` when every special character is escaped:
    the escapes resolved, the word joiners kept (Streamlit's rewrites see them)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


#: Streamlit 1.67's rewrites of parsed text (StreamlitMarkdown / remark-emoji chunks).
_REWRITES = {
    "emoji": re.compile(r":\+1:|:-1:|:[\w-]+:"),
    "logo": re.compile(r":streamlit:"),
    "url": re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE),
    "email": re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
    "arrow": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}


@pytest.mark.parametrize("text", NASTY)
def test_every_special_character_is_escaped(text: str) -> None:
    escaped = md_escape(text)
    pairs = re.findall(r"\\.|.", escaped, flags=re.DOTALL)
    for piece in pairs:  # every ASCII punctuation character stands behind a backslash
        assert len(piece) == 2 or piece not in string.punctuation, (text, escaped)
    assert "\n" not in escaped and "\r" not in escaped  # one line: no block can start
    assert ":material/" not in escaped  # Streamlit rewrites this in the source, before parsing


@pytest.mark.parametrize("text", NASTY)
def test_streamlit_rewrites_find_nothing_in_the_parsed_text(text: str) -> None:
    parsed = _parsed(md_escape(text))
    for name, pattern in _REWRITES.items():
        assert not pattern.search(parsed), (name, text, parsed)


@pytest.mark.parametrize("text", NASTY)
def test_the_reader_sees_the_text_itself(text: str) -> None:
    one_line = re.sub(r"\r\n|\r|\n", " ", text)
    assert md_unescape(md_escape(text)) == one_line
    assert _parsed(md_escape(text)).replace(WORD_JOINER, "") == one_line


def test_plain_words_stay_as_they_are() -> None:
    assert md_escape("Vertrieb Süd") == "Vertrieb Süd"
    assert md_escape(42) == "42"
    assert md_values({"column": "a_b", "pct": 60, "when": None}) == {
        "column": "a\\_b", "pct": 60, "when": None}


HEADER = "![x](http://127.0.0.1:9/leak.png)"
FILE = "<b>opps</b> :red[x].csv"


def _inert(markdown: str, *texts: str) -> None:
    for text in texts:
        assert text not in markdown  # it would render
        assert text in md_unescape(markdown)  # and the reader sees it


def test_import_texts_escape_the_values_from_the_file() -> None:
    notice = Notice("candidate", "close_date", {"column": HEADER, "pct": 80})
    _inert(notice.text(DatasetKind.PIPELINE, "en", markdown=True), HEADER)
    assert HEADER in notice.text(DatasetKind.PIPELINE, "en")  # plain for the CLI and JSON
    labels = Notice("unknown_labels", "action", {"labels": "'<b>x</b>' (2)", "n": 1,
                                                 "column": HEADER, "fallback": "other"})
    _inert(labels.text(DatasetKind.USAGE, "de", markdown=True), HEADER, "'<b>x</b>' (2)")
    evidence = Evidence("header", {"column": HEADER})
    _inert(evidence_text(evidence, "en", markdown=True), HEADER)
    problem = ImportProblem("missing_fields", fields="user_id", headers=f"{HEADER}, <b>b</b>")
    _inert(problem.text("en", markdown=True), HEADER, "<b>b</b>")
    assert HEADER in problem.text("en") and HEADER in problem.message


def test_unknown_figure_reasons_escape_the_column_and_the_file() -> None:
    gap = FieldGap(DatasetKind.PIPELINE, "close_date", "unmapped", column=HEADER,
                   confidence=0.9, file_name=FILE)
    _inert(gap_text(gap, "en"), HEADER, FILE)  # Markdown by default: pages are its readers
    _inert(gap_text(gap, "de"), HEADER, FILE)
    assert HEADER in gap_text(gap, "en", markdown=False)


def test_health_findings_escape_names_and_files() -> None:
    gap = FieldGap(DatasetKind.USERS, "email", "unmapped", column=HEADER, confidence=0.9,
                   file_name=FILE)
    finding = Finding("usage_not_in_roster", 2, part=4, whole=9,
                      examples=("<img src=x>", ":red[y]"), cause="roster_no_email",
                      shape="email", roster_shape="other", gap=gap)
    text = finding_text(finding, "en", markdown=True)
    _inert(text.examples, "<img src=x>", ":red[y]")
    _inert(text.cause, HEADER, FILE)
    plain = finding_text(finding, "en")
    assert "<img src=x>" in plain.examples and HEADER in plain.cause  # crm-dash check


def test_escape_lines_keeps_the_lines_of_a_note() -> None:
    from crm_dash.markdown import md_escape_lines

    note = "**first** line\r\nsecond [x](y)\nthird"
    assert md_escape_lines(note) == "\\*\\*first\\*\\* line  \nsecond \\[x\\]\\(y\\)  \nthird"
    assert md_escape_lines(note, "  \n    ").count("\n    ") == 2
    assert md_unescape(md_escape_lines("a_b")) == "a_b"
