"""One error hierarchy: every error a user can cause carries a title and a message for them."""

from __future__ import annotations

from datetime import date
from typing import Self


class CrmDashError(Exception):
    """An error the user can understand and act on. The UI shows ``title`` and ``message``.

    An error raised with :meth:`says` carries the catalog key of its text and the values to fill
    in, so each reader gets it in their language (:meth:`for_reader`); ``message`` and ``title``
    hold the English text for the command line and the log.
    """

    title = "Error"
    #: The catalog key of ``title`` for :meth:`says` (``None``: ``title`` in every language).
    title_key_default: str | None = None
    #: The command line's exit code for this error (see :func:`crm_dash.cli.main`).
    exit_code = 1

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title
        self.key: str | None = None
        self.title_key: str | None = None
        self.values: dict[str, object] = {}

    @classmethod
    def says(cls, key: str, *, title_key: str | None = None, **values: object) -> Self:
        """The error whose message is the catalog text ``key`` (filled with ``values``; a date
        is a month, written as the reader's language writes months) and whose title is the text
        ``title_key`` (default: the class's own title)."""
        from crm_dash.i18n import t

        title_key = title_key or cls.title_key_default
        error = cls(t(key, "en", **_worded(values, "en")),
                    title=t(title_key, "en") if title_key else None)
        error.key, error.title_key, error.values = key, title_key, values
        return error

    def for_reader(self, lang: str) -> tuple[str, str]:
        """The title and the message in ``lang`` ("de" or "en")."""
        if self.key is None:
            return self.title, self.message
        from crm_dash.i18n import as_language, t

        language = as_language(lang) or "en"
        title = t(self.title_key, language) if self.title_key else self.title
        return title, t(self.key, language, **_worded(self.values, language))


def _worded(values: dict[str, object], lang: str) -> dict[str, object]:
    """``values`` as a text shows them in ``lang``: months and numbers in its format."""
    from crm_dash.i18n import as_language, fmt_decimal, fmt_int, fmt_month

    language = as_language(lang) or "en"
    worded: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, date):
            worded[name] = fmt_month(value, language)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            worded[name] = value
        elif isinstance(value, int):
            worded[name] = fmt_int(value, language)
        else:
            worded[name] = fmt_decimal(value, language, 0 if value.is_integer() else 1)
    return worded


class ConfigError(CrmDashError):
    """A setting or an argument is invalid."""

    title = "Configuration error"


class DatabaseError(CrmDashError):
    """The database cannot be opened or is in an unexpected state."""

    title = "Database error"


#: EX_TEMPFAIL of sysexits.h: a temporary failure, the same command may succeed later.
EXIT_BUSY = 75


class DatabaseBusy(DatabaseError):
    """Another process holds the database file: DuckDB lets one process open it for writing.

    Not a fault of the data or the command: the same command succeeds once the other process
    (the running app, another import) has ended. The CLI exits with :data:`EXIT_BUSY`.
    """

    title = "Database is busy"
    exit_code = EXIT_BUSY


class ImportRejected(CrmDashError):
    """An uploaded file cannot be loaded."""

    title = "Import rejected"
