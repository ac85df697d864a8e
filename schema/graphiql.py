"""GraphiQL served by Lini itself (development only): the page strawberry would serve loads React and GraphiQL
from a CDN, which offline is a blank "Loading…". Here the pinned build vendored in schema/static/graphiql/
(`tools/vendor_graphiql.py`) is served from /graphiql/, and the page opens with the example documents of
docs/examples/ as tabs and the first demo brand's `Lini-Storefront` header filled in."""

from __future__ import annotations

import gzip
import html
import json
import os
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.demo import BRANDS, slugify
from core.garments.demo import DEMO_PASSWORD_ENV
from core.garments.demo import STAGES as DEMO_STAGES
from schema.view import http_error_response

ASSETS = Path(__file__).resolve().parent / "static" / "graphiql"
EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
MOUNT = "/graphiql"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

# Variables that make each example run as it is on the demo data (`make run`).
_SEKAR = BRANDS[0]
EXAMPLE_VARIABLES: dict[str, dict[str, object]] = {
    "catalog-page": {"first": 12, "currency": "IDR"},
    "product-page": {"slug": slugify(f"{_SEKAR.lines[0].name} {_SEKAR.fabrics[0][1]}"), "currency": "IDR"},
    "made-to-measure-quote": {"slug": "gamis-made-to-measure-aisyah", "currency": "IDR"},
    "checkout": {"input": {"email": "tamu@example.id", "lines": []}},
    # the demo customer's orders are numbered in the order of their stages; the last one has shipped
    "order-tracking": {
        "email": "siti@demo.lini.id",
        "password": "<printed by seed-demo>",
        "number": DEMO_STAGES.index("SHIPPED") + 1,
    },
}


def storefront_headers() -> dict[str, str]:
    """The first demo brand's storefront, which `make run` seeds."""
    return {"Lini-Storefront": _SEKAR.slug}


def example_tabs(examples: Path = EXAMPLES) -> list[dict[str, str]]:
    """One tab per document of docs/examples/, in name order; none when Lini runs without its docs (a wheel)."""
    headers = json.dumps(storefront_headers(), indent=2)
    return [
        {
            "query": path.read_text(encoding="utf-8"),
            "variables": json.dumps(_variables(path.stem), indent=2),
            "headers": headers,
        }
        for path in sorted(examples.glob("*.graphql"))
    ]


def _variables(example: str) -> dict[str, object]:
    variables = dict(EXAMPLE_VARIABLES.get(example, {}))
    if "password" in variables and os.environ.get(DEMO_PASSWORD_ENV):
        variables["password"] = os.environ[DEMO_PASSWORD_ENV]  # the password seed-demo was given
    return variables


def page(title: str = "Lini GraphiQL") -> str:
    tabs = example_tabs() or [{"query": "{ storefront { name } }", "variables": "{}", "headers": "{}"}]
    # `</` cannot end the script early once escaped; the JSON stays valid JavaScript
    config = json.dumps({"tabs": tabs, "headers": storefront_headers()}).replace("</", "<\\/")
    return _PAGE.replace("{title}", html.escape(title)).replace("{config}", config)


_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>{title}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="graphiql/graphiql.min.css" />
    <style>
      body { margin: 0; height: 100vh; overflow: hidden; }
      #graphiql { height: 100vh; }
    </style>
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script src="graphiql/react.production.min.js"></script>
    <script src="graphiql/react-dom.production.min.js"></script>
    <script src="graphiql/graphiql.min.js"></script>
    <script>
      const LINI = {config};
      const url = window.location.href.split("?")[0].split("#")[0];
      const fetcher = GraphiQL.createFetcher({ url, headers: {} });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultTabs: LINI.tabs,
          defaultHeaders: JSON.stringify(LINI.headers, null, 2),
          defaultEditorToolsVisibility: "variables",
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: true,
        }),
      );
    </script>
  </body>
</html>
"""


@cache
def _asset(name: str) -> bytes | None:
    path = ASSETS / f"{name}.gz"
    return path.read_bytes() if Path(name).suffix in MEDIA_TYPES and path.is_file() else None


@cache
def _plain(name: str) -> bytes:
    data = _asset(name)
    assert data is not None
    return gzip.decompress(data)


async def asset(request: Request) -> Response:
    """/graphiql/{name}: a vendored file, gzipped as stored when the browser takes gzip (every browser), else
    unpacked once. Their names carry no version, so they are revalidated hourly rather than cached for ever."""
    name = request.path_params["name"]
    data = _asset(name)
    if data is None:
        return http_error_response(404, "Not Found")
    headers = {"Cache-Control": "public, max-age=3600", "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(
            data, media_type=MEDIA_TYPES[Path(name).suffix], headers={**headers, "Content-Encoding": "gzip"}
        )
    return Response(_plain(name), media_type=MEDIA_TYPES[Path(name).suffix], headers=headers)


ROUTE = Route(MOUNT + "/{name}", asset, methods=["GET"])
