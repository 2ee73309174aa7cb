"""Text from files (headers, values, file and sheet names) shown literally in Streamlit Markdown.

Streamlit renders most of what a page writes as Markdown: ``st.markdown``, ``st.caption``, the
alert boxes, headers, metric labels and the labels and help texts of widgets. Its renderer is
react-markdown with GitHub Flavored Markdown (tables, ``~~strike~~``, bare URLs become links),
math between ``$``, Streamlit's directives (``:red[text]``, ``:small[text]``, ``:help[...]``),
Material icons (``:material/warning:``), emoji shortcodes (``:smile:``), the ``:streamlit:`` logo
and typographic arrows (`` -> `` becomes →). A header such as ``![x](http://host/leak.png)``
would therefore make the browser fetch an image, and ``<img src=...>`` or ``[click](javascript:)``
would at least draw a link or tag where a column name belongs.

:func:`md_escape` is the one place that turns such a text into Markdown that reads as the text
itself. It needs no Streamlit, so the logic modules that build sentences for the pages (import
notices, data-health findings, the reasons of unknown figures) can escape the values they put into
a template, and leave the template's own Markdown alone.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

#: CommonMark lets a backslash escape every ASCII punctuation character, and nothing else.
_PUNCTUATION = frozenset(string.punctuation)
#: Invisible, no line break either side: splits a sequence Streamlit rewrites after parsing.
WORD_JOINER = "\u2060"
#: ``:smile:``, ``:+1:``, ``:streamlit:``: replaced in the parsed text, where a backslash escape
#: has already gone; a word joiner after the first colon keeps them apart.
_SHORTCODE = re.compile(r":(?=[\w+-]+:)")
#: Streamlit's arrows and dashes, replaced in the parsed text when whitespace surrounds them.
_LIGATURE = re.compile(r"(?<!\S)(?:<->|->|<-|--|>=|<=|~=)(?!\S)")
#: Bare addresses GFM turns into links in the parsed text: ``http(s)://``, ``www.``, e-mails.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www)(?=\.))|(?<=[-.\w+])(?=@)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def md_escape(text: object) -> str:
    """``text`` as Markdown that Streamlit shows literally: no link, image, HTML tag, emphasis,
    heading, list, table, math, directive, icon or emoji comes out of it.

    Every ASCII punctuation character is backslash-escaped (which also covers ``<``, ``>`` and
    ``&`` of HTML and entities, the ``:`` of ``:red[...]`` and the ``/`` of
    ``:material/...:``); line breaks become spaces (a value is one line: a blank line would
    start a new paragraph, four spaces a code block). Use it on the value that goes into a
    template, never on a whole sentence that has Markdown of its own, and only where the text
    is rendered as Markdown: a table cell or ``st.text`` would show the backslashes.
    """
    value = _LINE_BREAK.sub(" ", str(text))
    value = _SHORTCODE.sub(":" + WORD_JOINER, value)
    value = _LIGATURE.sub(lambda m: WORD_JOINER.join(m.group(0)), value)
    value = _AUTOLINK.sub(WORD_JOINER, value)
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in value)


def md_escape_lines(text: object, line_break: str = "  \n") -> str:
    """``text`` escaped as :func:`md_escape` does, line by line, its line breaks kept as
    ``line_break`` (a Markdown hard break; ``"  \n    "`` inside a list item). For texts a user
    typed on several lines (notes), where one line would run the lines together."""
    return line_break.join(md_escape(line) for line in _LINE_BREAK.split(str(text)))


def md_values(values: Mapping[str, object]) -> dict[str, object]:
    """``values`` for a template with every text escaped (:func:`md_escape`); numbers, dates and
    other values are left for the template to format."""
    return {k: md_escape(v) if isinstance(v, str) else v for k, v in values.items()}


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def md_unescape(markdown: str) -> str:
    """The text a reader sees of :func:`md_escape`'s output: the escapes and word joiners
    gone. For tests, which read the Markdown source of elements, and for the rare place that
    must show a Markdown text as plain text."""
    return _ESCAPE.sub(r"\1", markdown).replace(WORD_JOINER, "")
