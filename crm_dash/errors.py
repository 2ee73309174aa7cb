"""One error hierarchy: every error a user can cause carries a title, a message and a code.

The hierarchy (one subclass per area, defined beside the code that raises it)::

    CrmDashError                         error
    ├── ConfigError                      config       a setting, an argument, the environment
    ├── DatabaseError                    database     the file cannot be opened or is odd
    │   └── DatabaseBusy                 database     another process holds the file (exit 75)
    ├── ImportRejected                   import       an uploaded file cannot be loaded
    │   └── importing.problems.ImportProblem          one reason, from ``import.error.*``
    ├── auth.AccountError                account      an account cannot be created or changed
    ├── goals.store.GoalError            goal         a goal cannot be created or changed
    ├── retro.store.RetroError           retro        a retrospective cannot be saved
    └── setup_link.SetupRefused          setup        the one-time setup link does not work

**Text.** An error a browser user can meet is raised with :meth:`CrmDashError.says`: the catalog
key of its message (``crm_dash/locales/{de,en}``), the values to fill in, and optionally the key
of its title. Each reader gets it in their language (:meth:`CrmDashError.for_reader`); ``message``
and ``title`` hold the English text for the command line and the log. Only the command line
(``crm_dash/cli.py``, ``crm_dash/cli/``, ``crm_dash/*/cli.py``) raises with an English sentence;
``tests/unit/test_errors_raised.py`` fails on such a raise anywhere else.

**Codes.** Every error has a stable :attr:`CrmDashError.error_code`, a dotted lower-case name a
user can quote and a script can match (the UI shows it small beside the message, the CLI's JSON
output and the log carry it, see :meth:`CrmDashError.as_json`):

- raised with :meth:`~CrmDashError.says`: its catalog key without the word ``error``
  (``error.goal.unknown_department`` is ``goal.unknown_department``,
  ``import.error.empty`` is ``import.empty``);
- raised otherwise (an English sentence of the command line): its class's
  :attr:`~CrmDashError.default_code`, the area in the tree above (``config``, ``database``, ...);
- :class:`~crm_dash.setup_link.SetupRefused` names the state of the link (``setup.expired``).

A code names one cause for good: a message may be reworded, but its key, and so its code, is
not renamed or reused for another cause; a new cause gets a new key. ``docs/errors.md`` lists
the codes.
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar, Self

#: The shape of every code: dotted lower-case words (``goal.unknown_department``).
CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")


def code_of_key(key: str) -> str:
    """The code of an error whose message is the catalog text ``key``: the key without its
    ``error`` part (``error.goal.missing`` -> ``goal.missing``)."""
    return ".".join(part for part in key.split(".") if part != "error")


class CrmDashError(Exception):
    """An error the user can understand and act on. The UI shows ``title`` and ``message``.

    An error raised with :meth:`says` carries the catalog key of its text and the values to fill
    in, so each reader gets it in their language (:meth:`for_reader`); ``message`` and ``title``
    hold the English text for the command line and the log.
    """

    title = "Error"
    #: The catalog key of ``title`` for :meth:`says` (``None``: ``title`` in every language).
    title_key_default: str | None = "app.error_title"
    #: The code of an error raised without a catalog key (see the module docstring).
    default_code: ClassVar[str] = "error"
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
    def says(cls, key: str, /, *, title_key: str | None = None, **values: object) -> Self:
        """The error whose message is the catalog text ``key`` (filled with ``values``; a date
        is a month, written as the reader's language writes months) and whose title is the text
        ``title_key`` (default: the class's own title). Its code follows from ``key``."""
        from crm_dash.i18n import t

        title_key = title_key or cls.title_key_default
        error = cls(t(key, "en", **worded(values, "en")),
                    title=t(title_key, "en") if title_key else None)
        error.key, error.title_key, error.values = key, title_key, values
        return error

    @property
    def error_code(self) -> str:
        """The stable code of this error (module docstring): from the catalog key, else the
        class's :attr:`default_code`."""
        return code_of_key(self.key) if self.key is not None else self.default_code

    def for_reader(self, lang: str, *, markdown: bool = False) -> tuple[str, str]:
        """The title and the message in ``lang`` ("de" or "en").

        With ``markdown``, both as Streamlit Markdown that shows the values (a file's header, a
        user's name) literally: the values are escaped, the catalog text's own Markdown stays;
        a message without a catalog key is escaped whole.
        """
        from crm_dash.i18n import as_language, t
        from crm_dash.markdown import md_escape, md_values

        if self.key is None:
            return (md_escape(self.title), md_escape(self.message)) if markdown else (
                self.title, self.message)
        language = as_language(lang) or "en"
        title = t(self.title_key, language) if self.title_key else self.title
        values = worded(self.values, language)
        message = t(self.key, language, **(md_values(values) if markdown else values))
        return (md_escape(title) if markdown else title), message

    def as_json(self) -> dict[str, str]:
        """The error for the CLI's JSON output and the log: code, English title and message."""
        return {"code": self.error_code, "title": self.title, "message": self.message}


class Share(float):
    """A share (0.025) that an error's text shows as a percentage in the reader's format
    (``2.50%`` / ``2,50 %``)."""


def worded(values: dict[str, object], lang: str) -> dict[str, object]:
    """``values`` as a text shows them in ``lang``: months, numbers and shares in its format."""
    from crm_dash.i18n import as_language, fmt_decimal, fmt_int, fmt_month, fmt_percent

    language = as_language(lang) or "en"
    shown: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, Share):
            shown[name] = fmt_percent(value, language, 2)
        elif isinstance(value, date):
            shown[name] = fmt_month(value, language)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            shown[name] = value
        elif isinstance(value, int):
            shown[name] = fmt_int(value, language)
        else:
            shown[name] = fmt_decimal(value, language, 0 if value.is_integer() else 1)
    return shown


class ConfigError(CrmDashError):
    """A setting or an argument is invalid."""

    title = "Configuration error"
    title_key_default = "error.title.config"
    default_code = "config"


class DatabaseError(CrmDashError):
    """The database cannot be opened or is in an unexpected state."""

    title = "Database error"
    title_key_default = "error.title.database"
    default_code = "database"


#: EX_TEMPFAIL of sysexits.h: a temporary failure, the same command may succeed later.
EXIT_BUSY = 75


class DatabaseBusy(DatabaseError):
    """Another process holds the database file: DuckDB lets one process open it for writing.

    Not a fault of the data or the command: the same command succeeds once the other process
    (the running app, another import) has ended. The CLI exits with :data:`EXIT_BUSY`.
    """

    title = "Database is busy"
    title_key_default = "error.title.database_busy"
    exit_code = EXIT_BUSY


class ImportRejected(CrmDashError):
    """An uploaded file cannot be loaded."""

    title = "Import rejected"
    title_key_default = "error.title.import_rejected"
    default_code = "import"
