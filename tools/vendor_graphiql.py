"""Copy the GraphiQL build Lini serves (schema/static/graphiql/) from the npm packages pinned in
tools/package-lock.json, gzipped, with their licences and a manifest of versions and checksums.

    python tools/vendor_graphiql.py          # `make graphiql-assets`, after changing a version in package.json
    python tools/vendor_graphiql.py --check  # exit 1 if the vendored files are not those of the pinned packages

GraphiQL 3 is the last release with a browser (UMD) build that runs without a bundler; it needs React 18's
UMD build, which React 19 no longer ships. All three are MIT-licensed; their licences are kept beside them.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
MODULES = TOOLS / "node_modules"
TARGET = TOOLS.parent / "schema" / "static" / "graphiql"
# served name -> (package, file inside it)
ASSETS = {
    "react.production.min.js": ("react", "umd/react.production.min.js"),
    "react-dom.production.min.js": ("react-dom", "umd/react-dom.production.min.js"),
    "graphiql.min.js": ("graphiql", "graphiql.min.js"),
    "graphiql.min.css": ("graphiql", "graphiql.min.css"),
}


def version(package: str) -> str:
    return json.loads((MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


def wanted() -> dict[str, bytes]:
    """Every file of the vendored directory, as the pinned packages make it."""
    files: dict[str, bytes] = {}
    manifest: dict[str, dict[str, str]] = {}
    for served, (package, path) in ASSETS.items():
        data = (MODULES / package / path).read_bytes()
        # mtime=0: the same input gives the same bytes, so --check can compare
        files[served + ".gz"] = gzip.compress(data, compresslevel=9, mtime=0)
        manifest[served] = {"package": package, "version": version(package), "sha256": hashlib.sha256(data).hexdigest()}
    for package in sorted({package for package, _ in ASSETS.values()}):
        files[f"LICENSE.{package}"] = (MODULES / package / "LICENSE").read_bytes()
    files["manifest.json"] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    if not MODULES.exists():
        print("vendor_graphiql: tools/node_modules is missing: run `make tools`", file=sys.stderr)
        return 2
    files = wanted()
    if args.check:
        stale = [
            name for name, data in files.items() if not (TARGET / name).exists() or (TARGET / name).read_bytes() != data
        ]
        extra = sorted(p.name for p in TARGET.iterdir() if p.name not in files)
        if stale or extra:
            print(
                f"vendor_graphiql: {TARGET} differs from the pinned packages ({stale + extra}): "
                "run `make graphiql-assets`"
            )
            return 1
        print(f"vendor_graphiql: {len(files)} files match the pinned packages")
        return 0
    TARGET.mkdir(parents=True, exist_ok=True)
    for old in TARGET.iterdir():
        if old.name not in files:
            old.unlink()
    for name, data in files.items():
        (TARGET / name).write_bytes(data)
    print(f"vendor_graphiql: wrote {len(files)} files to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
