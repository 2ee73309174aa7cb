"""CSV files whose headers, values and names carry Markdown, HTML and Streamlit directives.

Shared by the AppTest and the browser test of escaping (issue 15): each hostile text points at
``host`` (a loopback listener in the browser test), so a fetched image or a followed link would
show up there. Every text must reach the page as itself, never as an element.
"""

from __future__ import annotations

import csv
from pathlib import Path


def hostile_texts(host: str) -> list[str]:
    """Header names (and values) that would become elements if rendered as Markdown."""
    return [
        f"![x](http://{host}/header.png)",
        f"<img src=http://{host}/img.png>",
        "<b>bold header</b>",
        "<script>window.pwned=1</script>",
        "[click](javascript:alert(1))",
        f"[site](http://{host}/link)",
        ":red[red header]",
        ":material/warning: icon header",
    ]


def hostile_labels(host: str) -> list[str]:
    """Values of the action column the importer does not know: listed in a notice and each
    named in the label of a select box."""
    return [f"![a](http://{host}/label.png)", "<b>act</b>", ":red[act]"]


#: What a header that became Markdown or HTML would leave in the page.
FORBIDDEN_SELECTORS = ("img[src*='{host}']", "a[href*='{host}']", "a[href^='javascript']",
                       "[data-testid=stMarkdownContainer] b", "script:not([src])",
                       ".stMarkdownColoredText")


def hostile_usage_csv(folder: Path, host: str) -> Path:
    """A usage log that loads (user id, timestamp, action), with hostile extra columns, values
    and file name."""
    path = folder / "usage <b>bold [c](javascript:x) :red[f].csv"  # no "/" in a file name
    texts = hostile_texts(host)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["user_id", "timestamp", "action", *texts])
        labels = ["login", "update", *hostile_labels(host)]
        for i, action in enumerate(labels):
            writer.writerow([f"005A0000000010{i}AAA", f"2026-10-0{i + 1}T07:10:00Z", action,
                             *texts])
    return path


def hostile_missing_csv(folder: Path, host: str) -> Path:
    """A file without the required columns: the warning lists its (hostile) headers."""
    path = folder / "missing :smile: <img src=x>.csv"
    texts = hostile_texts(host)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(texts)
        writer.writerow(["a"] * len(texts))
        writer.writerow(["b"] * len(texts))
    return path
