"""The hand-written floor: the catalog page in one SQL statement, shaped and serialised with orjson.

It answers exactly what the benchmark's GraphQL query asks (same ids, cursor, prices and page info), with
none of the machinery: no parsing, validation, resolvers, dataloaders or model instances.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.connection import get_connection

from core.money import quantize
from core.pagination import encode_cursor

CURSOR_KEY = "products:NAME:+"  # the key core.catalog.listing gives the default (name) ordering

# The brand's published, visible products in name order (one extra row tells whether a next page exists),
# then, in the same statement, their variants with the price in the brand's currency, their images and their
# attribute values. One UNION ALL of rows tagged by `kind` keeps it one portable statement without a cross
# product; the page is a materialised CTE so each relation is picked with `IN (page)` on its index.
PAGE_SQL = """
WITH page AS MATERIALIZED (
    SELECT p.id, p.name, p.slug, p.category_id, b.default_currency AS currency
    FROM product p
    JOIN brand b ON b.id = p.brand_id
    WHERE b.slug = {slug} AND b.status = 'APPROVED'
      AND p.status = 'PUBLISHED' AND (p.published_at IS NULL OR p.published_at <= {now})
    ORDER BY p.name, p.id
    LIMIT {limit}
)
SELECT 0 AS kind, page.id AS product_id, 0 AS k1, 0 AS k2, page.name AS t1, page.slug AS t2, c.name AS t3,
       page.currency AS t4, CAST(NULL AS NUMERIC) AS n1, CAST(NULL AS NUMERIC) AS n2
FROM page LEFT JOIN category c ON c.id = page.category_id
UNION ALL
SELECT 1, v.product_id, v.position, v.id, v.sku, v.size, v.colour, page.currency, vp.amount, vp.compare_at_amount
FROM page
JOIN variant v ON v.product_id = page.id
LEFT JOIN variant_price vp ON vp.variant_id = v.id AND vp.currency = page.currency
UNION ALL
SELECT 2, m.product_id, m.position, m.id, m.url, m.alt, NULL, NULL, NULL, NULL
FROM product_media m WHERE m.product_id IN (SELECT id FROM page)
UNION ALL
SELECT 3, pav.product_id, a.position, ch.position, a.code, a.name, ch.label, NULL, NULL, NULL
FROM product_attribute_value pav
JOIN attribute a ON a.id = pav.attribute_id
JOIN attribute_choice ch ON ch.id = pav.choice_id
WHERE pav.product_id IN (SELECT id FROM page)
ORDER BY kind, k1, k2, t1, product_id
"""


def page_sql(dialect: str) -> str:
    names = ("slug", "now", "limit")
    if dialect == "postgres":
        return PAGE_SQL.format(**{name: f"${i}" for i, name in enumerate(names, 1)})
    return PAGE_SQL.format(**dict.fromkeys(names, "?"))


async def catalog_page(slug: str, size: int = 20) -> bytes:
    """The JSON body of one catalog page, as the GraphQL endpoint would send it."""
    conn = get_connection("default")
    rows = await conn.execute_query_dict(page_sql(conn.capabilities.dialect), [slug, datetime.now(UTC), size + 1])
    return orjson.dumps({"data": {"products": _connection(rows, size)}})


def _connection(rows: Sequence[dict[str, Any]], size: int) -> dict[str, Any]:
    nodes: dict[int, dict[str, Any]] = {}
    prices: dict[int, list[tuple[Decimal, Decimal | None]]] = {}
    attributes: dict[int, dict[str, dict[str, Any]]] = {}
    currency = ""
    for row in rows:
        product_id, kind = row["product_id"], row["kind"]
        if kind == 0:
            nodes[product_id] = _node(row)
            prices[product_id], attributes[product_id] = [], {}
            currency = row["t4"]
        elif kind == 1:
            nodes[product_id]["variants"].append(_variant(row, prices[product_id]))
        elif kind == 2:
            media = nodes[product_id]["media"]
            media.append({"url": row["t1"], "alt": row["t2"]})
        else:
            code = row["t1"]
            entry = attributes[product_id].get(code)
            if entry is None:
                entry = attributes[product_id][code] = {"attribute": {"code": code, "name": row["t2"]}, "values": []}
                nodes[product_id]["attributes"].append(entry)
            entry["values"].append({"label": row["t3"]})
    page = list(nodes)[:size]
    edges = []
    for product_id in page:
        node = nodes[product_id]
        node["thumbnail"] = {"url": node["media"][0]["url"]} if node["media"] else None
        node["pricing"] = _pricing(prices[product_id], currency)
        edges.append({"node": node})
    end_cursor = encode_cursor(CURSOR_KEY, [nodes[page[-1]]["name"], page[-1]]) if page else None
    return {"edges": edges, "pageInfo": {"hasNextPage": len(nodes) > size, "endCursor": end_cursor}}


def _node(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": _global_id("Product", row["product_id"]),
        "name": row["t1"],
        "slug": row["t2"],
        "category": {"name": row["t3"]} if row["t3"] is not None else None,
        "thumbnail": None,
        "media": [],
        "attributes": [],
        "pricing": None,
        "variants": [],
    }


def _variant(row: dict[str, Any], prices: list[tuple[Decimal, Decimal | None]]) -> dict[str, Any]:
    price = None
    if row["n1"] is not None:
        amount = quantize(Decimal(str(row["n1"])), row["t4"])
        prices.append((amount, Decimal(str(row["n2"])) if row["n2"] is not None else None))
        price = {"amount": str(amount), "currency": row["t4"]}
    return {
        "id": _global_id("ProductVariant", row["k2"]),
        "sku": row["t1"],
        "size": row["t2"],
        "colour": row["t3"],
        "price": price,
    }


def _pricing(prices: list[tuple[Decimal, Decimal | None]], currency: str) -> dict[str, Any]:
    if not prices:
        return {"priceRange": {"start": None, "stop": None}, "onSale": False}
    amounts = [amount for amount, _ in prices]
    return {
        "priceRange": {
            "start": {"amount": str(min(amounts)), "currency": currency},
            "stop": {"amount": str(max(amounts)), "currency": currency},
        },
        "onSale": any(compare is not None and compare > amount for amount, compare in prices),
    }


def _global_id(type_name: str, node_id: int) -> str:
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()


def floor_app() -> Starlette:
    """The floor behind a bare Starlette route, to separate ASGI/HTTP-client cost from GraphQL's own."""

    async def page(request: Request) -> Response:
        orjson.loads(await request.body())  # receive the request as the GraphQL endpoint would
        body = await catalog_page(request.headers["lini-storefront"])
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/graphql", page, methods=["POST"])])


def server_app() -> Starlette:
    """The floor app with its own database connection, for `uvicorn bench.floor:server_app --factory`."""
    from contextlib import asynccontextmanager

    from tortoise.contrib.starlette import RegisterTortoise

    from core.db import tortoise_config
    from core.plugins import load_plugins
    from core.settings import load_settings

    app = floor_app()
    settings = load_settings()
    config = tortoise_config(settings.database.url, load_plugins(settings).database_apps())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        async with RegisterTortoise(app, config=config):
            yield

    app.router.lifespan_context = lifespan
    return app
