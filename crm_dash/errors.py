"""One error hierarchy: every error a user can cause carries a title and a message for them."""

from __future__ import annotations


class CrmDashError(Exception):
    """An error the user can understand and act on. The UI shows ``title`` and ``message``."""

    title = "Error"
    #: The command line's exit code for this error (see :func:`crm_dash.cli.main`).
    exit_code = 1

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title


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
