"""One error hierarchy: every error a user can cause carries a title and a message for them."""

from __future__ import annotations


class CrmDashError(Exception):
    """An error the user can understand and act on. The UI shows ``title`` and ``message``."""

    title = "Error"

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


class ImportRejected(CrmDashError):
    """An uploaded file cannot be loaded."""

    title = "Import rejected"
