"""Walk a view model (dataclasses, pydantic models, frames, downloads) for what it would show.

:func:`texts` gives every text a view holds, workbook downloads unzipped, so a test can check
that no name or e-mail is in it; :func:`group_tables` gives its tables of groups.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pandas as pd
from pydantic import BaseModel

from crm_dash.views.tables import GroupTable


def _children(value: Any) -> Iterator[Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from (getattr(value, f.name) for f in dataclasses.fields(value))
    elif isinstance(value, BaseModel):
        yield from (getattr(value, name) for name in type(value).model_fields)
    elif isinstance(value, dict):
        yield from value.keys()
        yield from value.values()
    elif isinstance(value, list | tuple | set | frozenset):
        yield from value


def _walk(value: Any) -> Iterator[Any]:
    yield value
    for child in _children(value):
        yield from _walk(child)


def _bytes_text(data: bytes) -> str:
    if data.startswith(b"PK"):  # a workbook: its XML parts
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist()
                             if n.endswith(".xml"))
    return data.decode("utf-8", "replace")


def texts(view: Any) -> str:
    """Every text ``view`` holds, one a line: strings, frames (headers and cells) and
    downloads."""
    found: list[str] = []
    for value in _walk(view):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, bytes):
            found.append(_bytes_text(value))
        elif isinstance(value, pd.DataFrame):
            found.append(value.to_csv(index=False))
        elif isinstance(value, pd.Series):
            found.append(value.to_csv())
    return "\n".join(found)


def group_tables(view: Any) -> list[GroupTable]:
    """Every table of groups in ``view``."""
    return [v for v in _walk(view) if isinstance(v, GroupTable)]
