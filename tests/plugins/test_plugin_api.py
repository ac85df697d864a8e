"""Plugins reach Lini only through `lini.plugin`: a stranger's plugin must not need core's or schema's insides.

Every module under plugins/ is parsed (not imported) and each `import`/`from ... import` is checked: `core.*`
and `schema.*` are refused, `lini.plugin` and the plugin's own package are fine, and so is any third-party
library (pydantic, starlette, strawberry, tortoise, ...).
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import lini.plugin
from core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"
INTERNAL = ("core", "schema")


def _modules() -> list[Path]:
    return sorted(path for path in PLUGINS.rglob("*.py") if "migrations" not in path.relative_to(PLUGINS).parts)


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def _internal_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{line}: {name}" for line, name in _imported(tree) if name.split(".")[0] in INTERNAL
    ]


@pytest.mark.parametrize("module", _modules(), ids=lambda path: str(path.relative_to(PLUGINS)))
def test_plugins_import_core_and_schema_only_through_lini_plugin(module: Path) -> None:
    assert _internal_imports(module) == []


def test_the_check_sees_what_it_should(tmp_path: Path) -> None:
    """The walk catches both import forms, nested in functions too, and lets `lini.plugin` through."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import core.money\nfrom lini.plugin import Money\nfrom plugins.x import y\nimport strawberry\n"
        "def f():\n    from schema.relay import decode_id\n",
        encoding="utf-8",
    )
    names = [name for _, name in _imported(ast.parse(sample.read_text(encoding="utf-8")))]
    assert [name for name in names if name.split(".")[0] in INTERNAL] == ["core.money", "schema.relay.decode_id"]


def test_every_exported_name_exists() -> None:
    missing = [name for name in lini.plugin.__all__ if not hasattr(lini.plugin, name)]
    assert missing == []


def test_every_hookspec_parameter_has_a_param_doc() -> None:
    """Each hook says what every argument is (`:param name:`), and none is typed `Any` at the top level."""
    marker = f"{hookspecs.PROJECT}_spec"
    specs = {name: value for name, value in vars(hookspecs).items() if callable(value) and hasattr(value, marker)}
    undocumented = [
        f"{name}({parameter})"
        for name, spec in specs.items()
        for parameter in inspect.signature(spec).parameters
        if f":param {parameter}:" not in (spec.__doc__ or "")
    ]
    loose = [
        f"{name}({parameter})"
        for name, spec in specs.items()
        for parameter, annotation in {**spec.__annotations__}.items()
        if annotation == "Any"
    ]
    assert undocumented == []
    assert loose == []
