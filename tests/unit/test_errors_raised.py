"""Errors reach the reader in their language: the raises, read from the code (AST).

Outside the command line, an error a user can meet is raised with ``.says(key, ...)``, never with
an English sentence (crm_dash.errors). These tests read the source instead of running it, so an
error path no test happens to run is checked too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_dash.errors import CODE_PATTERN, code_of_key
from crm_dash.i18n import LANGUAGES, catalog

ROOT = Path(__file__).parent.parent.parent
PACKAGE = ROOT / "crm_dash"


def is_cli_module(path: Path) -> bool:
    """The command line, which speaks English: ``crm_dash/cli.py``, ``crm_dash/cli/``, and a
    ``cli.py`` of any area."""
    relative = path.relative_to(ROOT).parts
    return path.name == "cli.py" or relative[:2] == ("crm_dash", "cli")


def source_files() -> list[Path]:
    return sorted([ROOT / "app.py", *ROOT.glob("pages/*.py"), *PACKAGE.rglob("*.py")])


def _parsed(paths: list[Path]) -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in paths}


def _base_names(node: ast.ClassDef) -> set[str]:
    return {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases}


def error_classes(trees: dict[Path, ast.Module]) -> dict[str, ast.ClassDef]:
    """Every class of crm_dash that is a CrmDashError, by name (subclasses of subclasses too)."""
    classes = [n for tree in trees.values() for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    found: dict[str, ast.ClassDef] = {
        c.name: c for c in classes if c.name == "CrmDashError"}
    grew = True
    while grew:
        grew = False
        for cls in classes:
            if cls.name not in found and _base_names(cls) & found.keys():
                found[cls.name] = cls
                grew = True
    return found


def takes_a_message(cls: ast.ClassDef) -> bool:
    """Whether the class is built from a sentence (CrmDashError's own ``__init__``); a class
    with its own ``__init__`` (ImportProblem: a problem code, SetupRefused: a state) words its
    message itself."""
    return not any(isinstance(n, ast.FunctionDef) and n.name == "__init__" for n in cls.body)


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def sentence_errors(trees: dict[Path, ast.Module], classes: dict[str, ast.ClassDef]
                    ) -> Iterator[str]:
    """``path:line: code`` of every error built from a sentence outside the command line.

    Any call of such a class counts, not only in a ``raise``: an error built first and raised
    later speaks English all the same. ``Cls.says(...)`` is a call of ``says``, not of ``Cls``.
    """
    sentence_built = {name for name, cls in classes.items() if takes_a_message(cls)}
    for path, tree in trees.items():
        if is_cli_module(path):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in sentence_built:
                yield f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}"


@pytest.fixture(scope="module")
def trees() -> dict[Path, ast.Module]:
    return _parsed(source_files())


@pytest.fixture(scope="module")
def classes(trees: dict[Path, ast.Module]) -> dict[str, ast.ClassDef]:
    return error_classes(trees)


def test_the_scan_knows_the_hierarchy(classes: dict[str, ast.ClassDef]) -> None:
    assert {"CrmDashError", "ConfigError", "DatabaseError", "DatabaseBusy", "ImportRejected",
            "ImportProblem", "AccountError", "GoalError", "RetroError",
            "SetupRefused"} <= classes.keys()
    assert not takes_a_message(classes["ImportProblem"])
    assert takes_a_message(classes["RetroError"])


def test_the_command_line_is_the_only_place_that_raises_english_sentences(
        trees: dict[Path, ast.Module], classes: dict[str, ast.ClassDef]) -> None:
    found = list(sentence_errors(trees, classes))
    assert not found, (
        "Raise these with .says(key, ...) and German and English texts in crm_dash/locales "
        "(crm_dash/errors.py says how):\n" + "\n".join(found))


@pytest.mark.parametrize("source", [
    'raise ConfigError(f"No file at {path}.")',
    'raise errors.DatabaseError("broken", title="Database")',
    'error = RetroError(message)\nraise error',
    'raise SomethingNew("typed in English")\n\nclass SomethingNew(GoalError):\n    pass',
])
def test_the_scan_finds_a_sentence(tmp_path: Path, source: str,
                                   trees: dict[Path, ast.Module]) -> None:
    """The scan fails on a bad raise (the proof that the test above can fail): a module
    outside the command line with an error built from a sentence."""
    module = PACKAGE / "metrics" / "bad_raise.py"  # parsed from the text, never written
    scanned = {**trees, module: ast.parse(source)}
    found = list(sentence_errors(scanned, error_classes(scanned)))
    assert len(found) == 1 and found[0].startswith("crm_dash/metrics/bad_raise.py:1: "), found


@pytest.mark.parametrize("source", [
    'raise ConfigError.says("error.config.no_database", path=str(path))',
    'raise ImportProblem("empty")',
    'raise SetupRefused(state)',
])
def test_the_scan_lets_worded_errors_pass(source: str, trees: dict[Path, ast.Module]) -> None:
    module = PACKAGE / "metrics" / "good_raise.py"
    scanned = {**trees, module: ast.parse(source)}
    assert not [f for f in sentence_errors(scanned, error_classes(scanned))
                if f.startswith("crm_dash/metrics/good_raise.py")]


@pytest.mark.parametrize(("path", "cli"), [
    ("crm_dash/cli.py", True),
    ("crm_dash/cli/goals.py", True),
    ("crm_dash/goals/cli.py", True),
    ("crm_dash/goals/tracker.py", False),
    ("crm_dash/climate.py", False),
])
def test_what_counts_as_the_command_line(path: str, cli: bool) -> None:
    assert is_cli_module(ROOT / path) is cli


# --- the keys the raises use -------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def says_calls(trees: dict[Path, ast.Module]) -> Iterator[tuple[str, ast.Call]]:
    """``(where, call)`` of every ``X.says(...)``."""
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "says"):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node


def _constant(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def test_every_key_a_raise_says_is_in_both_catalogs_with_the_values_it_is_given(
        trees: dict[Path, ast.Module]) -> None:
    problems: list[str] = []
    calls = list(says_calls(trees))
    assert len(calls) >= 40, "the scan found too few .says calls"
    for where, call in calls:
        key = _constant(call.args[0]) if call.args else None
        if key is None:  # a key made at run time: tested with its values below
            assert isinstance(call.args[0], ast.JoinedStr), where
            continue
        given = {k.arg for k in call.keywords if k.arg not in (None, "title_key")}
        spread = any(k.arg is None for k in call.keywords)  # **values: checked at run time
        for lang in LANGUAGES:
            texts = catalog(lang)
            if key not in texts:
                problems.append(f"{where}: {key!r} is not in the {lang} catalog")
                continue
            if not spread and _placeholders(texts[key]) != given:
                problems.append(f"{where}: {key!r} in {lang} wants {_placeholders(texts[key])},"
                                f" the raise gives {given}")
            title_key = next((_constant(k.value) for k in call.keywords
                              if k.arg == "title_key"), None)
            if title_key is not None and title_key not in texts:
                problems.append(f"{where}: title {title_key!r} is not in the {lang} catalog")
    assert not problems, "\n".join(problems)


def test_every_class_title_is_in_both_catalogs(classes: dict[str, ast.ClassDef]) -> None:
    for name, cls in classes.items():
        for node in cls.body:
            if (isinstance(node, ast.Assign | ast.AnnAssign)
                    and "title_key_default" in ast.unparse(node).split("=")[0]):
                key = _constant(node.value)
                for lang in LANGUAGES:
                    assert key is None or key in catalog(lang), (name, key, lang)


def test_error_codes_are_well_formed_and_name_one_text_each() -> None:
    """Every error text of the catalogs makes a code (crm_dash.errors); no two make the same."""
    keys = [k for k in catalog("en") if "error" in k.split(".")
            and not k.startswith("error.title.") and not k.endswith(".one")]
    codes = [code_of_key(k) for k in keys]
    assert len(keys) >= 70
    assert all(CODE_PATTERN.fullmatch(code) for code in codes), codes
    assert len(set(codes)) == len(codes), sorted(c for c in codes if codes.count(c) > 1)
