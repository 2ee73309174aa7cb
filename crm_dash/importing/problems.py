"""Why a file cannot be imported, in words the user can act on, in German and English."""

from __future__ import annotations

from crm_dash.errors import ImportRejected, Share
from crm_dash.i18n import Language, as_language, fmt_percent, t
from crm_dash.markdown import md_escape, md_values

_TITLE_KEY = "error.title.import_rejected"


def _shown(values: dict[str, object], lang: Language) -> dict[str, object]:
    """``values`` as a problem's text quotes them: a :class:`~crm_dash.errors.Share` as a
    percentage in ``lang``'s format; line numbers and counts as an editor shows them (no
    thousands separator), so a reader finds line 76544 by its number."""
    return {name: fmt_percent(value, lang, 2) if isinstance(value, Share) else value
            for name, value in values.items()}


class ImportProblem(ImportRejected):
    """A file that cannot be imported as it is; nothing was written.

    ``code`` names the text ``import.error.<code>`` in the catalogs; ``values`` fill its
    placeholders. ``message`` is the English text (CLI, logs); the UI shows :meth:`text`. Its
    :attr:`error_code` is ``import.<code>`` (crm_dash.errors).
    """

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        super().__init__(t(f"import.error.{code}", "en", **_shown(values, "en")),
                         title=t(_TITLE_KEY, "en"))
        # After CrmDashError.__init__, which starts with none; the key gives the error's code.
        self.key, self.title_key, self.values = f"import.error.{code}", _TITLE_KEY, values

    def for_reader(self, lang: str, *, markdown: bool = False) -> tuple[str, str]:
        """The title and :meth:`text` in ``lang``."""
        language = as_language(lang) or "en"
        title = t(_TITLE_KEY, language)
        return (md_escape(title) if markdown else title), self.text(language, markdown=markdown)

    def text(self, lang: Language, *, markdown: bool = False) -> str:
        """The message in ``lang``; with ``markdown``, its values (headers, lines, a parser's
        detail: text from the file) escaped for a Markdown element."""
        values = _shown(self.values, lang)
        return t(f"import.error.{self.code}", lang, **(md_values(values) if markdown else values))
