"""CI's schema stability check: the committed schema.graphql against the previous commit's, by graphql-inspector.

    python tools/schema_diff.py [--base REV] [--repo DIR]

A breaking change (a field, type, argument or enum value removed, a type changed, an argument made required...)
fails the check unless
- what was removed had been deprecated first (graphql-inspector's `suppressRemovalOfDeprecatedField` rule: a
  deprecation lands in one commit, the removal in a later one), or
- CHANGELOG.md gains, in the same change, a line naming it in backticks with the reason, e.g.
  "- `Checkout.billingAddress`: now a `PostalAddress`; the two address types were the same fields twice."
  A type's name covers its fields and their arguments (`CheckoutAddress` covers `CheckoutAddress.city`).

The base is `--base`, else $SCHEMA_BASE, else HEAD~1: CI runs on a fresh clone of main after a merge, whose
first parent is the previous commit of main (when several merges land at once, CI sees only the last: check
with SCHEMA_BASE=<main before them> first). With no previous commit, or no schema.graphql in it, there is
nothing to compare and the check passes, saying so. Exit status: 0 passed, 1 breaking change, 2 could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
INSPECTOR = TOOLS / "node_modules" / ".bin" / "graphql-inspector"
REPORTER = TOOLS / "inspector-report.js"
SCHEMA = "schema.graphql"
CHANGELOG = "CHANGELOG.md"
COORDINATE = re.compile(r"`([_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*)*)`")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=check)


def resolve_base(repo: Path, base: str) -> str | None:
    """The base commit's id, or None when HEAD is the first commit (nothing came before it)."""
    found = git(repo, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", check=False)
    if found.returncode != 0 and git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        git(repo, "fetch", "--quiet", "--deepen=1", check=False)  # a shallow clone: fetch the parent
        found = git(repo, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", check=False)
    if found.returncode == 0:
        return found.stdout.strip()
    parents = git(repo, "rev-list", "--parents", "-n", "1", "HEAD").stdout.split()
    if base == "HEAD~1" and len(parents) == 1:
        return None
    raise SystemExit(f"schema-diff: the base {base!r} is not a commit of this repository")


def changelog_coordinates(repo: Path, base: str) -> set[str]:
    """Schema coordinates named on entries CHANGELOG.md gained since `base` (committed or not). Only entries
    count: the preamble before the first `## ` heading and fenced examples (which name coordinates to show the
    form) do not."""
    path = repo / CHANGELOG
    new = _entries(path.read_text(encoding="utf-8")) if path.exists() else []
    old_text = git(repo, "show", f"{base}:{CHANGELOG}", check=False)
    old = _entries(old_text.stdout) if old_text.returncode == 0 else []
    remaining = list(old)
    added = []
    for line in new:
        if line in remaining:
            remaining.remove(line)
        else:
            added.append(line)
    return {match for line in added for match in COORDINATE.findall(line)}


def _entries(text: str) -> list[str]:
    lines, in_entries, fenced = [], False, False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif line.startswith("## "):
            in_entries = True
        elif in_entries and not fenced:
            lines.append(line)
    return lines


def covered(path: str, notes: set[str]) -> bool:
    return any(path == note or path.startswith(note + ".") for note in notes)


def inspector_diff(old: Path, new: Path) -> dict[str, list[dict[str, str]]]:
    if not INSPECTOR.exists():
        raise SystemExit(f"schema-diff: {INSPECTOR} is missing: run `npm ci --prefix tools` (or `make tools`)")
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [str(INSPECTOR), "diff", str(old), str(new), "--rule", "suppressRemovalOfDeprecatedField"]
        command += ["--onComplete", str(REPORTER)]
        env = {**os.environ, "LINI_INSPECTOR_REPORT": str(report)}
        run = subprocess.run(command, capture_output=True, text=True, env=env)
        if run.returncode != 0:
            sys.stderr.write(run.stdout + run.stderr)
            raise SystemExit(f"schema-diff: graphql-inspector failed (exit {run.returncode})")
        if not report.exists():  # identical schemas: the inspector says so and skips the handler
            if "No changes detected" not in run.stdout:
                sys.stderr.write(run.stdout + run.stderr)
                raise SystemExit("schema-diff: graphql-inspector wrote no report")
            return {"breaking": [], "dangerous": [], "safe": []}
        return json.loads(report.read_text(encoding="utf-8"))


def check(repo: Path, base: str) -> int:
    commit = resolve_base(repo, base)
    if commit is None:
        print("schema-diff: HEAD is the first commit: no previous schema to compare with")
        return 0
    old_sdl = git(repo, "show", f"{commit}:{SCHEMA}", check=False)
    if old_sdl.returncode != 0:
        print(f"schema-diff: {base} ({commit[:10]}) has no {SCHEMA}: nothing to compare with")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        old = Path(scratch) / "base.graphql"
        old.write_text(old_sdl.stdout, encoding="utf-8")
        report = inspector_diff(old, repo / SCHEMA)
    # graphql-inspector 7's suppressRemovalOfDeprecatedField also lowers a removed type to "dangerous", though a
    # type cannot be deprecated and a client's `... on RemovedType` fragment stops validating: breaking here.
    removed_types = [c for c in report["dangerous"] if c["type"] == "TYPE_REMOVED"]
    report["dangerous"] = [c for c in report["dangerous"] if c["type"] != "TYPE_REMOVED"]
    report["breaking"] = [*report["breaking"], *removed_types]
    notes = changelog_coordinates(repo, commit)
    for change in report["dangerous"]:
        print(f"  dangerous: {change['message']}")
    breaking = [c for c in report["breaking"] if not covered(c["path"], notes)]
    for change in report["breaking"]:
        state = "noted in CHANGELOG.md" if covered(change["path"], notes) else "BREAKING"
        print(f"  {state}: {change['message']} ({change['path']})")
    counts = {kind: len(changes) for kind, changes in report.items()}
    print(
        f"schema-diff against {base} ({commit[:10]}): {counts['breaking']} breaking, "
        f"{counts['dangerous']} dangerous, {counts['safe']} safe changes"
    )
    if breaking:
        print(
            f"schema-diff: {len(breaking)} breaking change(s) with no CHANGELOG.md note. Deprecate first "
            "(`deprecation_reason=`, removed in a later commit), or add a line to CHANGELOG.md that names each "
            'in backticks and says why, e.g. "- `Type.field`: removed because ..."',
            file=sys.stderr,
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=os.environ.get("SCHEMA_BASE") or "HEAD~1", help="default: HEAD~1")
    parser.add_argument("--repo", type=Path, default=TOOLS.parent, help="the git work tree (default: Lini's)")
    args = parser.parse_args(argv)
    try:
        return check(args.repo.resolve(), args.base)
    except SystemExit as stop:
        print(stop, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
