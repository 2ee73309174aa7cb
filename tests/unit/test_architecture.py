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
    configuration = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    section = configuration.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    for name in ENV_VARS:
        assert f"`{name}`" in section, f"{name} is not in docs/configuration.md"


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
    section = readme.split("\n## Pages\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        # page | URL | admin | lead | executive | what it shows; `/` is the start page
        if len(cells) == 6 and cells[1].startswith("`/"):
            rows[cells[1].strip("`/")] = cells[2:5]
    assert set(rows) == {spec.url_path for spec in PAGES}
    for spec in PAGES:
        expected = ["✓" if role in spec.roles else "–"
                    for role in (Role.ADMIN, Role.LEAD, Role.EXECUTIVE)]
        assert rows[spec.url_path] == expected, spec.key
        assert t(spec.title_key, "en") in section


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _modules_loaded_by_name(path: Path) -> set[str]:
    """The modules the imports in ``path`` name, in functions too, relative imports resolved;
    ``from package import submodule`` names the submodule, ``from package import name`` the
    package."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [base])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                names.add(sub if _is_module(sub) else base)
    return names


def _cli_modules_named(path: Path) -> set[str]:
    return {n for n in _modules_loaded_by_name(path) if n == "crm_dash.cli"
            or n.startswith("crm_dash.cli.")}


def test_the_cli_commands_import_only_the_shared_helpers_never_the_package() -> None:
    """``crm_dash/cli/__init__.py`` builds the parser from the command modules; they take what
    they share from ``common`` (which takes nothing from the CLI), never from the package or from
    each other, so no import runs in a circle. ``__main__`` (``python -m crm_dash.cli``) is an
    entry point and calls ``main``."""
    folder = ROOT / "crm_dash" / "cli"
    assert (folder / "__init__.py").is_file() and (folder / "common.py").is_file()
    allowed = {"__init__.py": None, "__main__.py": {"crm_dash.cli"}, "common.py": set()}
    for path in folder.glob("*.py"):
        wanted = allowed.get(path.name, {"crm_dash.cli.common"})
        if wanted is not None:
            named = _cli_modules_named(path)
            assert named <= wanted, f"crm_dash/cli/{path.name} imports {sorted(named - wanted)}"


def test_nothing_outside_the_cli_imports_it_but_the_entry_point() -> None:
    """The product (``crm_dash``, the app, the pages) never imports the CLI: it is the top layer,
    like the pages. Tests and benchmarks may call its entry point ``main`` and test a command's
    module, but take nothing else from the package itself."""
    product = [*(ROOT / "crm_dash").rglob("*.py"), ROOT / "app.py", ROOT / "asgi.py",
               *(ROOT / "pages").glob("*.py")]
    folder = ROOT / "crm_dash" / "cli"
    offenders = [str(p.relative_to(ROOT)) for p in product
                 if folder not in p.parents and _cli_modules_named(p)]
    assert offenders == []
    for path in [*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "crm_dash.cli":
                taken = {a.name for a in node.names}
                assert taken <= {"main"}, f"{path.relative_to(ROOT)} imports {taken}"
            elif isinstance(node, ast.Import):
                assert "crm_dash.cli" not in {a.name for a in node.names}, path


#: What a page script may import from crm_dash: its view (data), the UI (drawing) and the texts.
PAGE_IMPORTS = ("crm_dash.views", "crm_dash.ui", "crm_dash.i18n")
#: Reviewed exceptions: (page, module) and why.
PAGE_IMPORT_EXCEPTIONS = {
    ("pages/upload.py", "crm_dash.db"): "is_demo: the page says a demo refuses uploads before"
                                         " any file is chosen; Upload shows no data of its own",
}


def test_pages_are_thin_and_get_their_data_from_views() -> None:
    """A page reads like a table of contents (set up, filters, view, draw): at most ~40 lines,
    and it imports no metric, store or policy module, so nothing it shows bypasses its view."""
    for path in sorted((ROOT / "pages").glob("*.py")):
        script = f"pages/{path.name}"
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) <= 45, f"{script} has {len(lines)} lines"
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.ImportFrom) and node.module and \
                    node.module.startswith("crm_dash"):
                allowed = node.module.startswith(PAGE_IMPORTS) or \
                    (script, node.module) in PAGE_IMPORT_EXCEPTIONS
                assert allowed, f"{script} imports {node.module}"
