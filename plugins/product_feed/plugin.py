"""The hooks: a `/feeds/<brand>/products.xml` route and a `productFeed` query field."""

from __future__ import annotations

from typing import Annotated

import strawberry
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from strawberry.types import Info

from lini.plugin import PUBLIC, DomainError, PluginHost, SchemaExtension, guard, hookimpl, storefront_by_slug
from plugins.product_feed.feed import feed_path, render_feed

NAME = "product_feed"


@strawberry.type(description="Where a storefront's product feed for Google Merchant Center and Meta lives.")
class ProductFeed:
    url: str = strawberry.field(
        description="The feed's absolute URL (the server's public URL + /feeds/<brand>/products.xml), public, "
        "cached for 15 minutes."
    )
    format: str = strawberry.field(description="Always GOOGLE_MERCHANT_RSS: RSS 2.0 with the g: namespace.")
    currency: str = strawberry.field(
        description="The ISO 4217 currency of the feed's prices (the plugin's setting, else the brand's default); "
        "variants without a price in it are left out."
    )


@strawberry.type
class ProductFeedQuery:
    @strawberry.field(
        **guard(
            "The storefront's product feed (added by the product_feed plugin). Errors `STOREFRONT_REQUIRED`, "
            "`STOREFRONT_NOT_FOUND`.",
            PUBLIC,
        )
    )
    async def product_feed(
        self,
        info: Info,
        storefront: Annotated[
            str | None,
            strawberry.argument(
                description="The brand's slug; without it, the Lini-Storefront header's, else the Host's brand."
            ),
        ] = None,
    ) -> ProductFeed:
        brand = await info.context.storefront(storefront)
        config = info.context.host.config(NAME)
        base = info.context.settings.server.public_url.rstrip("/")
        return ProductFeed(
            url=base + feed_path(brand.slug),
            format="GOOGLE_MERCHANT_RSS",
            currency=config.currency or brand.default_currency,
        )


@hookimpl
def schema_extensions(host: PluginHost) -> list[SchemaExtension]:
    return [SchemaExtension(query=ProductFeedQuery)]


@hookimpl
def routes(host: PluginHost) -> list[BaseRoute]:
    async def products_feed(request: Request) -> Response:
        try:
            brand = await storefront_by_slug(request.path_params["brand"])
        except DomainError as error:
            return PlainTextResponse(error.message, status_code=404)
        config = host.config(NAME)
        body = await render_feed(
            brand,
            public_url=host.settings.server.public_url,
            currency=config.currency or brand.default_currency,
            max_items=config.max_items,
        )
        return Response(
            body, media_type="application/rss+xml; charset=utf-8", headers={"Cache-Control": "public, max-age=900"}
        )

    return [Route("/feeds/{brand}/products.xml", products_feed, methods=["GET"])]
