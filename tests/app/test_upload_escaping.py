"""Text from a file reaches the Upload and Import history pages as text (issue 15).

The headers, values and names of the hostile files carry Markdown images and links, HTML tags
and Streamlit directives. AppTest sees each element's Markdown source: the hostile text must
never stand in it as it is (it would render), and what the reader sees (the source without its
escapes) must still show it literally. The browser twin is tests/e2e/test_escaping_e2e.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from crm_dash.datasets import DatasetKind
from crm_dash.markdown import md_unescape
from tests.hostile_files import (
    hostile_labels,
    hostile_missing_csv,
    hostile_texts,
    hostile_usage_csv,
)

HOST = "127.0.0.1:9"
#: Elements whose text Streamlit renders as Markdown (labels of widgets included).
_MARKDOWN_ELEMENTS = ("markdown", "caption", "warning", "info", "error", "success", "title",
                      "header", "subheader")
_LABELLED = ("selectbox", "checkbox", "radio", "multiselect", "expander", "metric", "button",
             "text_input")


#: Markdown, HTML and directives of the hostile texts, unescaped (the page's own
#: ``:material/description:`` icon is not among them).
_SYNTAX = re.compile(r"!\[|\]\(|(?<!\\)<(?:b|img|script)\b|:red\[|:material/warning|https?://")


def _markdown_sources(at: AppTest) -> list[str]:
    """The Markdown source of every element and widget label on the page."""
    sources = [str(getattr(e, "value", "")) for kind in _MARKDOWN_ELEMENTS
               for e in at.get(kind)]
    sources += [str(getattr(e, "label", "")) for kind in _LABELLED for e in at.get(kind)]
    return sources


def _assert_inert(sources: Iterable[str], texts: Iterable[str]) -> None:
    sources = list(sources)
    for text in texts:
        raw = [s for s in sources if text in s]
        assert not raw, f"{text!r} reaches Markdown unescaped: {raw[0]!r}"
    for source in sources:  # and no piece of it stays syntax
        assert not _SYNTAX.search(source), source


def test_hostile_headers_values_and_names_show_as_text(
    make_app: Callable[..., AppTest], fixture_db_path: Path, tmp_path: Path
) -> None:
    at = make_app(fixture_db_path, "pages/upload.py").run()
    at.radio(key="upload_kind").set_value(DatasetKind.USAGE).run()
    usage = hostile_usage_csv(tmp_path, HOST)
    missing = hostile_missing_csv(tmp_path, HOST)
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), "text/csv")
                                   for p in (usage, missing)])
    at.run()
    assert not at.exception
    texts = [*hostile_texts(HOST), *hostile_labels(HOST), usage.name, missing.name]
    sources = _markdown_sources(at)
    _assert_inert(sources, texts)
    shown = md_unescape("\n".join(sources))
    for text in texts:  # each hostile text is on the page, literally
        assert text in shown, text
    # The places it is shown: the file's heading, the unused columns, the unsure match, the
    # required fields the other file lacks (its headers listed), the labels to explain.
    assert any(s.startswith("#### :material/description: usage") for s in sources)
    assert "Required fields without a column" in md_unescape(at.warning[-1].value)
    assert [s for s in at.selectbox if "What was done: '<b>act</b>'" in md_unescape(s.label)]

    load = [b for b in at.button if b.key and b.key.startswith("load:")]
    load[0].click().run()
    assert not at.exception
    history = make_app(fixture_db_path, "pages/imports.py").run()
    pick = history.selectbox(key="imports_delete_pick")
    # A select box's options are plain text, not Markdown: the file name stays as it is.
    index = next(i for i, o in enumerate(pick.options) if usage.name in o)
    pick.select_index(index).run()
    assert not history.exception
    sources = _markdown_sources(history)
    _assert_inert(sources, [usage.name])
    assert f"**{usage.name}**" in md_unescape("\n".join(sources))
