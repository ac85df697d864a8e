"""`python -m bench.storefront`: a storefront's usual product page (issue #13), GraphQL against its own floor.

The page: 20 products with thumbnail, category, price range and variants with `quantityAvailable` and price,
answered uncached, from the response cache (anonymous, as a storefront asks) and by the floor, on two
catalogs, each in a throwaway database:

- `demo`: `server.py seed-demo`'s catalog, storefront `sekar-modest` (20 products, 197 variants, translations,
  stock, several images per product);
- `wide`: the bench catalog (`bench/catalog.py`) with 10 variants × 2 currencies per product and stock rows.

Before timing, the floor's JSON must equal GraphQL's answer, or the run fails. Each line of the report is
measured in the same run as its floor (the machine is shared: compare ratios).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import logging
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.connection import get_connection

from bench import http as over_http
from bench.__main__ import bench_settings, client
from bench.catalog import load_catalog
from bench.database import DEFAULT_POSTGRES_URL, throwaway_database
from bench.floor import CURSOR_KEY
from bench.measure import Call, Timing, measure, table
from core.catalog.translations import pick
from core.db import connected, migrate
from core.money import quantize
from core.pagination import encode_cursor
from core.plugins import load_plugins
from server import create_app

PAGE_QUERY = (
    "{ products(first: 20) { edges { node { id name slug thumbnail { url } category { name } "
    "pricing { priceRange { start { amount currency } stop { amount currency } } } "
    "variants { id quantityAvailable price { amount currency } } } } "
    "pageInfo { hasNextPage endCursor } } }"
)
BODY = orjson.dumps({"query": PAGE_QUERY})
CATALOGS = ("demo", "wide")
DEMO_STOREFRONT = "sekar-modest"

# The brand's visible products in name order (one more tells whether a next page exists), their category,
# their variants with the price in the brand's currency and the stock, and their images: one statement.
PAGE_SQL = """
WITH page AS MATERIALIZED (
    SELECT p.id, p.name, p.slug, p.translations, p.category_id, b.default_currency AS currency,
           b.default_language AS language
    FROM product p
    JOIN brand b ON b.id = p.brand_id
    WHERE b.slug = {slug} AND b.status = 'APPROVED'
      AND p.status = 'PUBLISHED' AND (p.published_at IS NULL OR p.published_at <= {now})
    ORDER BY p.name, p.id
    LIMIT {limit}
)
SELECT 0 AS kind, page.id AS product_id, 0 AS k1, 0 AS k2, page.name AS t1, page.slug AS t2,
       page.currency AS t3, page.language AS t4, c.name AS t5, CAST(page.translations AS TEXT) AS j1,
       CAST(c.translations AS TEXT) AS j2, CAST(NULL AS NUMERIC) AS n1, CAST(NULL AS INTEGER) AS q
FROM page LEFT JOIN category c ON c.id = page.category_id
UNION ALL
SELECT 1, v.product_id, v.position, v.id, NULL, NULL, page.currency, NULL, NULL, NULL, NULL, vp.amount, s.quantity
FROM page
JOIN variant v ON v.product_id = page.id
LEFT JOIN variant_price vp ON vp.variant_id = v.id AND vp.currency = page.currency
LEFT JOIN stock s ON s.variant_id = v.id
UNION ALL
SELECT 2, m.product_id, m.position, m.id, m.url, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM product_media m WHERE m.product_id IN (SELECT id FROM page)
ORDER BY kind, k1, k2, t1, product_id
"""


def page_sql(dialect: str) -> str:
    names = ("slug", "now", "limit")
    if dialect == "postgres":
        return PAGE_SQL.format(**{name: f"${i}" for i, name in enumerate(names, 1)})
    return PAGE_SQL.format(**dict.fromkeys(names, "?"))


async def page_floor(slug: str, cap: int, size: int = 20) -> bytes:
    """The JSON body of the page, as the GraphQL endpoint sends it, from one statement."""
    conn = get_connection("default")
    rows = await conn.execute_query_dict(page_sql(conn.capabilities.dialect), [slug, datetime.now(UTC), size + 1])
    return orjson.dumps({"data": {"products": _connection(rows, size, cap)}})


def _connection(rows: Sequence[dict[str, Any]], size: int, cap: int) -> dict[str, Any]:
    nodes: dict[int, dict[str, Any]] = {}
    amounts: dict[int, list[Decimal]] = {}
    sort_names: dict[int, str] = {}
    currency = ""
    for row in rows:
        product_id, kind = row["product_id"], row["kind"]
        if kind == 0:
            currency, language = row["t3"], row["t4"]
            sort_names[product_id] = row["t1"]
            category = None
            if row["t5"] is not None:
                category = {"name": pick(_json(row["j2"]), "name", row["t5"], language)}
            nodes[product_id] = {
                "id": _global_id("Product", product_id),
                "name": pick(_json(row["j1"]), "name", row["t1"], language),
                "slug": row["t2"],
                "thumbnail": None,
                "category": category,
                "pricing": None,
                "variants": [],
            }
            amounts[product_id] = []
        elif kind == 1:
            price = None
            if row["n1"] is not None:
                amount = quantize(Decimal(str(row["n1"])), row["t3"])
                amounts[product_id].append(amount)
                price = {"amount": str(amount), "currency": row["t3"]}
            quantity = max(0, min(row["q"] or 0, cap))
            variant = {"id": _global_id("ProductVariant", row["k2"]), "quantityAvailable": quantity, "price": price}
            nodes[product_id]["variants"].append(variant)
        elif nodes[product_id]["thumbnail"] is None:
            nodes[product_id]["thumbnail"] = {"url": row["t1"]}
    page = list(nodes)[:size]
    edges = []
    for product_id in page:
        node, found = nodes[product_id], amounts[product_id]
        start = {"amount": str(min(found)), "currency": currency} if found else None
        stop = {"amount": str(max(found)), "currency": currency} if found else None
        node["pricing"] = {"priceRange": {"start": start, "stop": stop}}
        edges.append({"node": node})
    end_cursor = encode_cursor(CURSOR_KEY, [sort_names[page[-1]], page[-1]]) if page else None
    return {"edges": edges, "pageInfo": {"hasNextPage": len(nodes) > size, "endCursor": end_cursor}}


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return next((_first_difference(a[k], b[k], f"{path}.{k}") for k in a if a[k] != b[k]), "")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return next(
            (_first_difference(x, y, f"{path}[{i}]") for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), ""
        )
    return f"at {path or '.'}: floor {a!r}, GraphQL {b!r}"[:600]


def _json(value: str | dict | None) -> dict:
    if value is None:
        return {}
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _global_id(type_name: str, node_id: int) -> str:
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()


def floor_app(cap: int) -> Starlette:
    async def page(request: Request) -> Response:
        orjson.loads(await request.body())
        return Response(await page_floor(request.headers["lini-storefront"], cap), media_type="application/json")

    return Starlette(routes=[Route("/graphql", page, methods=["POST"])])


@dataclass(frozen=True)
class Options:
    backend: str
    postgres_url: str
    catalogs: tuple[str, ...]
    products: int
    iterations: int
    warmup: int
    http_seconds: int
    connections: int


def parse(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.storefront", description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--catalog", choices=CATALOGS, action="append", help="default: both")
    parser.add_argument("--products", type=int, default=1000, help="products in the wide catalog")
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--http-seconds", type=int, default=4, help="seconds per wrk run (0: skip HTTP)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections of the throughput runs")
    args = parser.parse_args(argv)
    return Options(
        backend=args.backend,
        postgres_url=args.postgres_url,
        catalogs=tuple(args.catalog or CATALOGS),
        products=args.products,
        iterations=args.iterations,
        warmup=args.warmup,
        http_seconds=args.http_seconds,
        connections=args.connections,
    )


async def _load(catalog: str, url: str, options: Options) -> str:
    """Fill the migrated database; returns the storefront's slug."""
    host = load_plugins(bench_settings(url))
    async with connected(url, host.database_apps()):
        if catalog == "demo":
            from core.demo import seed_demo

            await seed_demo(host=host)
            return DEMO_STOREFRONT
        brand = await load_catalog(options.products, variants=10, stock=True)
        return brand.slug


def _poster(http: httpx.AsyncClient, slug: str) -> Call:
    headers = {"Lini-Storefront": slug, "Content-Type": "application/json"}

    async def post() -> httpx.Response:
        response = await http.post("/graphql", content=BODY, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:500]}")
        return response

    return post


async def run_catalog(catalog: str, options: Options) -> tuple[list[Timing], int, list[over_http.Load]]:
    async with (
        throwaway_database(options.backend, options.postgres_url) as url,
        _folder() as folder,
    ):
        print(f"{catalog}: migrating and loading {options.backend} ...", flush=True)
        await migrate(url, load_plugins(bench_settings(url)).database_apps())
        slug = await _load(catalog, url, options)
        settings = bench_settings(url)
        cap = settings.catalog.quantity_available_cap
        app = create_app(settings)
        app.state.tune_gc = True  # as `server.py serve` does
        # served without a lifespan of its own: the first app's holds the ORM (two would close it twice)
        cached_app = create_app(bench_settings(url, cached=True))
        async with (
            app.router.lifespan_context(app),
            client(app) as gql,
            client(cached_app) as cached_gql,
            client(floor_app(cap)) as bare,
        ):
            graphql, cached = _poster(gql, slug), _poster(cached_gql, slug)
            answer = (await graphql()).json()
            if answer.get("errors"):
                raise RuntimeError(f"the GraphQL query failed: {answer['errors']}")
            floor = orjson.loads(await page_floor(slug, cap))
            if floor != answer:
                raise RuntimeError(
                    f"{catalog}: the floor does not answer what GraphQL answers: {_first_difference(floor, answer)}"
                )
            for _ in range(3):  # the first request learns the storefront, the second is stored, the third a hit
                response = await cached()
            if response.headers.get("lini-cache") != "hit" or response.json() != answer:
                raise RuntimeError(f"{catalog}: the cached answer is not a hit equal to GraphQL's")
            variants = sum(len(e["node"]["variants"]) for e in answer["data"]["products"]["edges"])
            runs: dict[str, Call] = {
                f"{catalog}: GraphQL (via ASGI)": graphql,
                f"{catalog}: GraphQL cached (via ASGI)": cached,
                f"{catalog}: floor (direct)": lambda: page_floor(slug, cap),
                f"{catalog}: floor via ASGI": _poster(bare, slug),
            }
            timings = [
                await measure(label, call, warmup=options.warmup, iterations=options.iterations)
                for label, call in runs.items()
            ]
        loads: list[over_http.Load] = []
        if options.http_seconds > 0 and over_http.available():
            print(f"{catalog}: serving with uvicorn ({over_http.WORKERS} workers), loading with wrk ...", flush=True)
            unlimited = {"LINI_RATE_LIMITS_ENABLED": "false"}  # thousands of requests a second from one address
            answer_file = Path(folder) / "answer.json"
            answer_file.write_bytes(orjson.dumps(answer))
            servers = (
                (f"{catalog}: GraphQL over HTTP", "server:app_factory", {**over_http.UNCACHED, **unlimited}),
                (
                    f"{catalog}: GraphQL cached over HTTP",
                    "server:app_factory",
                    {"LINI_CACHE_ENABLED": "true", **unlimited},
                ),
                (f"{catalog}: floor over HTTP", "bench.storefront:floor_server_app", {}),
                (f"{catalog}: bytes over HTTP", "bench.storefront:bytes_server_app", {ANSWER_FILE: str(answer_file)}),
            )
            loads = await asyncio.to_thread(
                over_http.run,
                url,
                slug,
                BODY,
                seconds=options.http_seconds,
                servers=servers,
                connections=(1, options.connections),
            )
    return timings, variants, loads


ANSWER_FILE = "LINI_BENCH_ANSWER_FILE"


def bytes_server_app() -> Starlette:
    """The physical limit of the cached page: a trivial ASGI app (Starlette, no database) that answers every
    POST with the page's bytes, read once from the file `LINI_BENCH_ANSWER_FILE` names
    (`uvicorn bench.storefront:bytes_server_app --factory`)."""
    import os

    body = Path(os.environ[ANSWER_FILE]).read_bytes()

    async def page(request: Request) -> Response:
        await request.body()
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/graphql", page, methods=["POST"])])


@contextlib.asynccontextmanager
async def _folder() -> Any:
    with tempfile.TemporaryDirectory(prefix="lini-bench-") as folder:
        yield folder


def floor_server_app() -> Starlette:
    """The page's floor with its own database connection, for `uvicorn bench.storefront:floor_server_app`."""
    from contextlib import asynccontextmanager

    from tortoise.contrib.starlette import RegisterTortoise

    from core.db import tortoise_config
    from core.settings import load_settings

    settings = load_settings()
    app = floor_app(settings.catalog.quantity_available_cap)
    config = tortoise_config(settings.database.url, load_plugins(settings).database_apps())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        async with RegisterTortoise(app, config=config):
            yield

    app.router.lifespan_context = lifespan
    return app


def report(results: dict[str, tuple[list[Timing], int, list[over_http.Load]]], options: Options) -> str:
    lines = [
        f"Storefront page (issue #13): 20 products, thumbnail, category, price range, variants with "
        f"quantityAvailable and price; {options.backend}, {options.iterations} timed requests after "
        f"{options.warmup} warm-up, one at a time",
        "",
    ]
    for catalog, (timings, variants, loads) in results.items():
        graphql, cached, direct, via_asgi = timings
        lines += [
            f"{catalog}: {variants} variants on the page",
            table(timings),
            f"GraphQL / floor (direct): {graphql.mean_ms / direct.mean_ms:5.1f}×   "
            f"via ASGI: {graphql.mean_ms / via_asgi.mean_ms:5.1f}×   "
            f"SQL per request: {graphql.statements} / {direct.statements}",
            f"cached / floor via ASGI: {cached.mean_ms / via_asgi.mean_ms:5.2f}× (the floor's pace: "
            f"{100 * via_asgi.mean_ms / cached.mean_ms:3.0f}%)   SQL per cached request: {cached.statements}",
            "",
        ]
        if loads:
            floor = {x.connections: x.per_second for x in loads if "floor" in x.label}
            served = {x.connections: x.per_second for x in loads if "bytes" in x.label}
            lines += [
                f"{catalog} over HTTP: uvicorn --workers {over_http.WORKERS} on loopback, wrk -t1 for "
                f"{options.http_seconds} s (1 connection = a single request's latency)",
                over_http.table(loads),
                *(
                    f"{x.label} / floor at c{x.connections}: {100 * x.per_second / floor[x.connections]:3.0f}%   "
                    f"/ the same bytes served: {100 * x.per_second / served[x.connections]:3.0f}%"
                    for x in loads
                    if "floor" not in x.label and "bytes" not in x.label
                ),
                "",
            ]
    return "\n".join(lines)


async def run(options: Options) -> str:
    results = {catalog: await run_catalog(catalog, options) for catalog in options.catalogs}
    return report(results, options)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(asyncio.run(run(parse(argv))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
