"""CI's breaking-change check (tools/schema_diff.py, `make schema-check`) on small repositories of its own:
a removal fails it unless it was deprecated first or CHANGELOG.md says why; no previous schema passes."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CI

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("schema_diff", ROOT / "tools" / "schema_diff.py")
assert spec and spec.loader
schema_diff = importlib.util.module_from_spec(spec)
spec.loader.exec_module(schema_diff)

if not schema_diff.INSPECTOR.exists():
    if CI:
        raise RuntimeError("CI needs graphql-inspector: .ci/run installs it with `npm ci --prefix tools`")
    pytest.skip("graphql-inspector is not installed (`make tools`)", allow_module_level=True)

V1 = """type Query {
  product(slug: String!): Product
}

type Product {
  name: String!
  price: String!
  oldPrice: String! @deprecated(reason: "Use `price`.")
}
"""


def commit(repo: Path, message: str, **files: str) -> None:
    for name, text in files.items():
        (repo / name.replace("_", ".")).write_text(text, encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message], check=True
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def run(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = schema_diff.main(["--repo", str(repo)])
    out = capsys.readouterr()
    return status, out.out + out.err


def test_first_commit_and_a_base_without_schema_pass(repo, capsys):
    commit(repo, "readme", README_md="Lini\n")
    status, out = run(repo, capsys)
    assert status == 0 and "first commit" in out
    commit(repo, "schema", schema_graphql=V1)
    status, out = run(repo, capsys)
    assert status == 0 and "has no schema.graphql" in out
    commit(repo, "docs", README_md="Lini, headless\n")
    status, out = run(repo, capsys)
    assert status == 0 and "0 breaking, 0 dangerous, 0 safe changes" in out


def test_a_removal_without_a_note_fails_and_names_the_field(repo, capsys):
    commit(repo, "v1", schema_graphql=V1)
    commit(repo, "v2", schema_graphql=V1.replace("  price: String!\n", ""))
    status, out = run(repo, capsys)
    assert status == 1
    assert "BREAKING: Field 'price' was removed from object type 'Product' (Product.price)" in out
    assert "no CHANGELOG.md note" in out


def test_removing_a_type_is_breaking(repo, capsys):
    commit(repo, "v1", schema_graphql=V1 + "\ntype Unused {\n  id: ID!\n}\n")
    commit(repo, "v2", schema_graphql=V1)
    status, out = run(repo, capsys)
    assert status == 1 and "BREAKING: Type 'Unused' was removed (Unused)" in out


def test_a_changelog_note_naming_the_field_or_its_type_lets_it_pass(repo, capsys):
    preamble = "# Changelog\nName it like this:\n```\n- `Product.price`: why\n```\n## Unreleased\n"
    commit(repo, "v1", schema_graphql=V1, CHANGELOG_md=preamble)
    removed = V1.replace("  price: String!\n", "")
    commit(repo, "v2", schema_graphql=removed, CHANGELOG_md=preamble + "- `Product.name`: clarified.\n")
    assert run(repo, capsys)[0] == 1  # a note about another field does not count, nor the preamble's example
    commit(repo, "note", CHANGELOG_md=preamble + "- `Product`: `price` is now `pricing`, with currencies.\n")
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--soft", "HEAD~2"], check=True)
    commit(repo, "v2 with its note")
    status, out = run(repo, capsys)
    assert status == 0 and "noted in CHANGELOG.md" in out


def test_a_new_changelog_counts_its_entries_only(repo, capsys):
    commit(repo, "v1", schema_graphql=V1)
    example = "# Changelog\n```\n- `Product.price`: why\n```\n## Unreleased\n"
    commit(repo, "v2", schema_graphql=V1.replace("  price: String!\n", ""), CHANGELOG_md=example)
    assert run(repo, capsys)[0] == 1
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--soft", "HEAD~1"], check=True)
    commit(repo, "v2 noted", CHANGELOG_md=example + "- `Product.price`: moved to `pricing`.\n")
    assert run(repo, capsys)[0] == 0


def test_removing_what_was_deprecated_first_and_adding_pass(repo, capsys):
    commit(repo, "v1", schema_graphql=V1)
    without_deprecated = V1.replace('  oldPrice: String! @deprecated(reason: "Use `price`.")\n', "")
    commit(
        repo, "v2", schema_graphql=without_deprecated.replace("  name: String!\n", "  name: String!\n  sku: String\n")
    )
    status, out = run(repo, capsys)
    assert status == 0 and "0 breaking" in out
