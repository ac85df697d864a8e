"""`python -m bench`: time the storefront catalog page through GraphQL and against a hand-written floor."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
from starlette.applications import Starlette

from bench import floor, http
from bench import profile as profiling
from bench.catalog import load_catalog
from bench.database import DEFAULT_POSTGRES_URL, throwaway_database
from bench.measure import Call, Timing, measure, table
from core.db import connected, migrate
from core.plugins import load_plugins
from core.settings import Settings, load_settings
from server import create_app

# The storefront's catalog page (issue #4): what a product grid shows for each product.
PAGE_QUERY = (
    "{ products(first: 20) { edges { node { id name slug category { name } thumbnail { url } "
    "media { url alt } attributes { attribute { code name } values { label } } "
    "pricing { priceRange { start { amount currency } stop { amount currency } } onSale } "
    "variants { id sku size colour price { amount currency } } } } "
    "pageInfo { hasNextPage endCursor } } }"
)
BODY = orjson.dumps({"query": PAGE_QUERY})


@dataclass(frozen=True)
class Options:
    backend: str
    postgres_url: str
    products: int
    iterations: int
    warmup: int
    profile: bool
    profile_html: Path | None
    http_seconds: int


def parse(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="server to create a throwaway db on")
    parser.add_argument("--products", type=int, default=1000, help="products in the catalog (5 variants each)")
    parser.add_argument("--iterations", type=int, default=300, help="timed requests per measurement")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests before each measurement")
    parser.add_argument("--profile", action="store_true", help="profile the GraphQL requests (needs pyinstrument)")
    parser.add_argument("--profile-html", type=Path, help="also write the profile as HTML to this file")
    parser.add_argument(
        "--http-seconds", type=int, default=4, help="seconds per wrk run over HTTP (0: skip the HTTP benchmark)"
    )
    args = parser.parse_args(argv)
    if args.products < 21 or args.iterations < 1 or args.warmup < 0:
        parser.error("--products must be at least 21 (one page and a next one), --iterations at least 1")
    return Options(
        backend=args.backend,
        postgres_url=args.postgres_url,
        products=args.products,
        iterations=args.iterations,
        warmup=args.warmup,
        profile=args.profile or args.profile_html is not None,
        profile_html=args.profile_html,
        http_seconds=args.http_seconds,
    )


def bench_settings(url: str, *, cached: bool = False) -> Settings:
    """The settings of a bench app on `url`; the response cache is off unless `cached`, so that GraphQL's own
    work is what the uncached figures time."""
    base = load_settings()
    return base.model_copy(
        update={
            "database": base.database.model_copy(update={"url": url}),
            "cache": base.cache.model_copy(update={"enabled": cached}),
        }
    )


def poster(http: httpx.AsyncClient, slug: str) -> Call:
    headers = {"Lini-Storefront": slug, "Content-Type": "application/json"}

    async def post() -> httpx.Response:
        response = await http.post("/graphql", content=BODY, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:500]}")
        return response

    return post


def client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")


async def check_same_answer(graphql: Call, slug: str) -> None:
    """The floor must answer what GraphQL answers, or the comparison means nothing."""
    response = await graphql()
    assert isinstance(response, httpx.Response)
    answer = response.json()
    if answer.get("errors"):
        raise RuntimeError(f"the GraphQL query failed: {answer['errors']}")
    if orjson.loads(await floor.catalog_page(slug)) != answer:
        raise RuntimeError("the hand-written floor does not answer what GraphQL answers")


async def benchmark(app: Starlette, slug: str, options: Options) -> list[Timing]:
    async with client(app) as gql_http, client(floor.floor_app()) as floor_http:
        graphql = poster(gql_http, slug)
        await check_same_answer(graphql, slug)
        runs = {"GraphQL (strawberry, via ASGI)": graphql}
        runs["floor: SQL + orjson (direct)"] = lambda: floor.catalog_page(slug)
        runs["floor: SQL + orjson via ASGI"] = poster(floor_http, slug)
        timings = [
            await measure(label, call, warmup=options.warmup, iterations=options.iterations)
            for label, call in runs.items()
        ]
        if options.profile:
            await maybe_profile(graphql, options)
    return timings


async def maybe_profile(graphql: Call, options: Options) -> None:
    if not profiling.available():
        print("--profile: pyinstrument is not installed (pip install pyinstrument); skipped\n")
        return
    profiler = await profiling.record(graphql, options.iterations)
    text = profiling.render(profiler, options.iterations, options.profile_html)
    print(f"pyinstrument, {options.iterations} GraphQL requests:\n{text}")
    if options.profile_html:
        print(f"HTML profile written to {options.profile_html}\n")


def report(timings: list[Timing], loads: list[http.Load] | None, options: Options) -> str:
    graphql, direct, via_asgi = timings
    lines = [
        f"Catalog page: products(first: 20) with 5 variants each; {options.backend}, {options.products} products, "
        f"{options.iterations} timed requests after {options.warmup} warm-up, one at a time",
        "",
        table(timings),
        "",
        f"GraphQL / floor (direct):   {graphql.mean_ms / direct.mean_ms:5.1f}×  (mean)",
        f"GraphQL / floor via ASGI:   {graphql.mean_ms / via_asgi.mean_ms:5.1f}×  (mean, same transport)",
        f"SQL statements per GraphQL request: {graphql.statements}",
        "",
    ]
    if loads is None:
        lines.append("HTTP: skipped (--http-seconds 0, or wrk is not installed: apt-get install -y wrk)")
    else:
        lines += [
            f"Over HTTP: uvicorn --workers {http.WORKERS} on loopback, wrk -t1 for {options.http_seconds} s "
            "(1 connection = a single request's latency)",
            "",
            http.table(loads),
        ]
    return "\n".join(lines)


async def run(options: Options) -> str:
    async with throwaway_database(options.backend, options.postgres_url) as url:
        print(f"migrating {options.backend} database ...", flush=True)
        apps = load_plugins(bench_settings(url)).database_apps()
        await migrate(url, apps)
        print(f"loading {options.products} products × 5 variants ...", flush=True)
        async with connected(url, apps):
            brand = await load_catalog(options.products)
        app = create_app(bench_settings(url))
        app.state.tune_gc = True  # as `server.py serve` does
        async with app.router.lifespan_context(app):
            timings = await benchmark(app, brand.slug, options)
        loads = None
        if options.http_seconds > 0 and http.available():
            print(f"serving with uvicorn ({http.WORKERS} workers) and loading it with wrk ...", flush=True)
            loads = await asyncio.to_thread(http.run, url, brand.slug, BODY, seconds=options.http_seconds)
    return report(timings, loads, options)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    options = parse(argv)
    print(asyncio.run(run(options)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
