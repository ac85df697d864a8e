"""Every error code in the source is declared, so `UserError.code` (the `ErrorCode` enum) can represent it.

Core's codes live in `core.error_codes`; a built-in plugin's in its `errors.py` (served through the
`error_codes` hook). A code raised by core or a plugin but declared nowhere would make that request fail, so
this scans the source for the codes given to `DomainError` (and to `Problems.add`, `code=` keywords) and checks
each is declared where its module may use it.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import re
from pathlib import Path

import pytest

from core.error_codes import CORE_ERROR_CODES, all_error_codes

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")


def _sources(folder: str) -> list[Path]:
    return [path for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts]


# The callables that take an error code, and its position: `DomainError` and `Problems.add`, and core's helpers
# that pass theirs on (`_whole(problems, value, field, "INVALID_WIDTH", 1, 600)`). Other `code` parameters name
# attribute, voucher or garment codes, not errors. A new helper that takes an error code belongs here.
POSITIONS = {"DomainError": 0, "add": 0, "_error": 0, "_whole": 3, "_metres": 3, "_not_found": 1}


def _codes_in(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        at = POSITIONS.get(name or "")
        candidates = [node.args[at]] if at is not None and len(node.args) > at else []
        candidates += [keyword.value for keyword in node.keywords if keyword.arg == "code"]
        for value in candidates:
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and CODE.match(value.value):
                found.add(value.value)
    return found


@pytest.mark.parametrize("folder", ["core", "schema"])
def test_core_raises_only_declared_codes(folder: str) -> None:
    undeclared = {f"{path.relative_to(ROOT)}: {code}" for path in _sources(folder) for code in _codes_in(path)}
    undeclared = {entry for entry in undeclared if entry.rsplit(": ", 1)[1] not in CORE_ERROR_CODES}
    assert not undeclared, f"declare these in core/error_codes.py: {sorted(undeclared)}"


@pytest.mark.parametrize("plugin", sorted(p.name for p in (ROOT / "plugins").iterdir() if (p / "plugin.py").exists()))
def test_each_builtin_plugin_declares_the_codes_it_raises(plugin: str) -> None:
    try:
        own = importlib.import_module(f"plugins.{plugin}.errors").ERROR_CODES
    except ModuleNotFoundError:
        own = {}
    known = {**CORE_ERROR_CODES, **own}
    raised = {code for path in _sources(f"plugins/{plugin}") for code in _codes_in(path)}
    assert raised <= set(known), f"declare in plugins/{plugin}/errors.py: {sorted(raised - set(known))}"
    assert not set(own) & set(CORE_ERROR_CODES), "a plugin need not redeclare core's codes"


def test_the_codes_of_tailor_checks_are_declared() -> None:
    # built from a table rather than written at the raise, so the scan above cannot see them
    from core.garments.candidates import ASSIGNMENT

    assert set(ASSIGNMENT.values()) <= set(CORE_ERROR_CODES)
    assert {"INVALID_LATITUDE", "INVALID_LONGITUDE"} <= set(CORE_ERROR_CODES)  # core.actors.tailors' f-string


def test_plugins_add_codes_and_reuse_core_ones() -> None:
    codes = all_error_codes([{"NOT_FOUND": "mine", "SEAT_TAKEN": "The seat is taken."}, {"SEAT_TAKEN": "again"}])
    assert codes["NOT_FOUND"] == CORE_ERROR_CODES["NOT_FOUND"]  # core's text stays
    assert codes["SEAT_TAKEN"] == "The seat is taken."  # the first plugin's text stays
    assert list(codes)[: len(CORE_ERROR_CODES)] == list(CORE_ERROR_CODES)


@pytest.mark.parametrize(
    "contribution",
    [{"seat_taken": "lower case"}, {"SEAT-TAKEN": "a dash"}, {"SEAT_TAKEN": ""}, {"SEAT_TAKEN": None}, ["SEAT"]],
)
def test_a_malformed_declaration_stops_the_start(contribution: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        all_error_codes([contribution])  # type: ignore[list-item]


# Anything in the source that reads like an error code, wherever it stands (`add("A" if x else "B", …)`, a
# variable, a table): a safety net under the scan above. What reads like one and is not is named here.
LOOKS_LIKE_A_CODE = re.compile(
    r"^(INVALID_\w+|TOO_\w+|DUPLICATE\w*|UNKNOWN_\w+|\w+_REQUIRED|\w+_TAKEN|\w+_NOT_\w+|\w+_OUT_OF_\w+|NOT_\w+|NO_\w+"
    r"|\w+_EXPIRED|\w+_EXCEEDED|\w+_MISMATCH|\w+_LIMIT)$"
)
NOT_ERROR_CODES = {
    "ACTION_REQUIRED",  # a payment state
    "NOT_MODIFIED",  # a feed fetch's outcome
    "NOT_QUEUED", "NOT_PAID", "NO_CANDIDATE", "NO_FREE_PLACE",  # why a batch left a job unplaced (its own enum)
}  # fmt: skip


@pytest.mark.parametrize("folder", ["core", "plugins"])
def test_nothing_that_reads_like_an_error_code_is_undeclared(folder: str) -> None:
    undeclared = set()
    for path in _sources(folder):
        known = set(CORE_ERROR_CODES)
        if folder == "plugins":
            with contextlib.suppress(ModuleNotFoundError):
                known |= set(importlib.import_module(f"plugins.{path.relative_to(ROOT).parts[1]}.errors").ERROR_CODES)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = getattr(node, "value", None) if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and LOOKS_LIKE_A_CODE.match(value) and value not in known | NOT_ERROR_CODES:
                undeclared.add(f"{path.relative_to(ROOT)}: {value}")
    assert not undeclared, sorted(undeclared)
