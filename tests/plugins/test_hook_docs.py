"""Keeping the plugin contract honest: every hook in core/hookspecs.py is documented and tested.

A new hookspec fails here until docs/plugins.md has a "### `<name>`" section for it and some test file under
tests/ defines `test_hook_<name>` (datasette's two checks).
"""

from __future__ import annotations

import re
from pathlib import Path

import pluggy
import pytest

from core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "plugins.md"
TESTS = ROOT / "tests"
SPEC_MARKER = f"{hookspecs.PROJECT}_spec"


def _hook_names() -> list[str]:
    return sorted(name for name, value in vars(hookspecs).items() if callable(value) and hasattr(value, SPEC_MARKER))


def _documented_hooks() -> set[str]:
    return set(re.findall(r"^### `(\w+)`", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE))


def _hook_tests() -> set[str]:
    pattern = re.compile(r"^\s*(?:async\s+)?def\s+test_hook_(\w+)\s*\(", flags=re.MULTILINE)
    return {name for path in TESTS.rglob("test_*.py") for name in pattern.findall(path.read_text(encoding="utf-8"))}


HOOKS = _hook_names()


def test_the_hook_list_is_what_pluggy_sees() -> None:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    registered = sorted(name for name in vars(manager.hook) if not name.startswith("_"))
    assert registered == HOOKS
    assert {"startup", "shutdown", "routes", "schema_extensions"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(hook: str) -> None:
    assert hook in _documented_hooks(), f'docs/plugins.md has no "### `{hook}`" section'


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_tested(hook: str) -> None:
    assert hook in _hook_tests(), f"no test function named test_hook_{hook} under tests/"


def test_every_documented_hook_exists() -> None:
    stale = _documented_hooks() - set(HOOKS)
    assert not stale, f"docs/plugins.md documents hooks core/hookspecs.py does not have: {sorted(stale)}"
