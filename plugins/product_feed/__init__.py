"""Product feed: each storefront's catalog as a Google Merchant Center / Meta catalog RSS feed.

Brands list their products on Google Shopping and Instagram from this URL. It is a plugin (route + query
field through hooks, no edit in core or schema) and the reference example of both hooks in docs/plugins.md.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from plugins.product_feed.plugin import routes, schema_extensions


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency: str = Field("", description="Feed price currency; empty = the brand's default currency.")
    max_items: int = Field(5000, ge=1, le=100_000, description="Most products listed in one feed.")


__all__ = ["Settings", "routes", "schema_extensions"]
