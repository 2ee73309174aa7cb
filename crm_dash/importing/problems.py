"""Why a file cannot be imported, in words the user can act on, in German and English."""

from __future__ import annotations

from crm_dash.errors import ImportRejected
from crm_dash.i18n import Language, t
from crm_dash.markdown import md_values


class ImportProblem(ImportRejected):
    """A file that cannot be imported as it is; nothing was written.

    ``code`` names the text ``import.error.<code>`` in the catalogs; ``values`` fill its
    placeholders. ``message`` is the English text (CLI, logs); the UI shows :meth:`text`.
    """

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        super().__init__(t(f"import.error.{code}", "en", **values), title="Import rejected")
        self.values = values  # after CrmDashError.__init__, which starts with no values

    def text(self, lang: Language, *, markdown: bool = False) -> str:
        """The message in ``lang``; with ``markdown``, its values (headers, lines, a parser's
        detail: text from the file) escaped for a Markdown element."""
        return t(f"import.error.{self.code}", lang,
                 **(md_values(self.values) if markdown else self.values))
