"""Rules of the house that keep the logic usable without Streamlit and every page protected."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from crm_dash.config import ENV_VARS
from crm_dash.pages import PAGES

ROOT = Path(__file__).parent.parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_ui_layer_imports_streamlit() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "crm_dash").rglob("*.py")
        if "streamlit" in _imports(p) and (ROOT / "crm_dash" / "ui") not in p.parents
    ]
    assert offenders == []


def test_every_page_script_is_declared_and_sets_itself_up_first() -> None:
    declared = {spec.script for spec in PAGES}
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert declared == on_disk
    for script in on_disk:
        tree = ast.parse((ROOT / script).read_text(encoding="utf-8"))
        statements = [
            n for n in tree.body
            if not isinstance(n, ast.Import | ast.ImportFrom)
            and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))
        ]
        first = ast.unparse(statements[0])
        assert "page_setup(" in first, f"{script} must call page_setup first, not {first!r}"


def test_pages_never_build_sql() -> None:
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\s", text), path


def test_every_environment_variable_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ENV_VARS:
        assert f"`{name}`" in readme, name


def test_readme_quickstart_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_page_role_matrix_matches_the_page_table() -> None:
    from crm_dash.i18n import t
    from crm_dash.pages import Role

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Pages and roles", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1].startswith("`/"):  # `/` is the start page
            rows[cells[1].strip("`/")] = cells[2:]
    assert set(rows) == {spec.url_path for spec in PAGES}
    for spec in PAGES:
        expected = ["✓" if role in spec.roles else "–"
                    for role in (Role.ADMIN, Role.LEAD, Role.EXECUTIVE)]
        assert rows[spec.url_path] == expected, spec.key
        assert t(spec.title_key, "en") in section
