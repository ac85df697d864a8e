"""The storefront search document: one row per product, written by `core.catalog.search.reindex`.

The text is stored already normalised (lower case, no diacritics, words separated by single spaces, padded
with a space at both ends) so that a word boundary is simply a space, on every backend. The full-text
indexes (an FTS5 table on SQLite; trigram and tsvector GIN indexes on PostgreSQL) are created by the
migration `0004_search`, not by tortoise, because tortoise cannot describe them.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.catalog.models import Product


class ProductSearchDocument(Model):
    """What a storefront search matches against, with names and SKUs also kept apart for ranking.

    (No semicolon in this first paragraph: it becomes the table comment, and tortoise's SQLite schema editor
    splits statements on semicolons, comments included.)
    """

    id = fields.BigIntField(primary_key=True)
    # Cascade: a deleted product leaves no searchable document behind, even if nobody reindexes it.
    product: fields.OneToOneRelation[Product] = fields.OneToOneField(
        "lini.Product", related_name="search_document", on_delete=fields.CASCADE
    )
    product_id: int
    # Denormalised so a search never joins the product table to stay inside one brand.
    brand_id = fields.BigIntField(db_index=True)
    # Product names in every language: a hit here ranks first.
    name_text = fields.TextField(default="")
    # SKUs and barcodes: a hit here ranks second.
    sku_text = fields.TextField(default="")
    # Everything searchable, names and SKUs included: what the full-text indexes cover.
    document = fields.TextField(default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "product_search_document"
