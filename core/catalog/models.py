"""The catalog: products, variants, prices, stock, categories, collections, attributes, media."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core.actors.models import Brand


class ProductStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class Category(Model):
    """A node of a brand's category tree (Gamis > Gamis Syari)."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="categories", on_delete=fields.CASCADE
    )
    brand_id: int
    parent: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "lini.Category", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    parent_id: int | None
    slug = fields.CharField(max_length=200)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    # Ancestors and self as "/3/8/": a subtree is one LIKE prefix query.
    path = fields.CharField(max_length=500, default="/")
    position = fields.IntField(default=0)
    # {"en": {"name": "...", "description": "..."}, ...}
    translations: fields.Field[dict[str, dict[str, str]]] = fields.JSONField(default=dict)

    class Meta:
        table = "category"
        unique_together = (("brand", "slug"),)


class Product(Model):
    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="products", on_delete=fields.CASCADE
    )
    brand_id: int
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "lini.Category", related_name="products", null=True, on_delete=fields.SET_NULL
    )
    category_id: int | None
    slug = fields.CharField(max_length=200)
    name = fields.CharField(max_length=250)
    description = fields.TextField(default="")
    seo_title = fields.CharField(max_length=250, default="")
    seo_description = fields.CharField(max_length=500, default="")
    made_to_measure = fields.BooleanField(default=False)
    status = fields.CharEnumField(ProductStatus, max_length=16, default=ProductStatus.DRAFT)
    # Published products are visible from this moment on (null: at once).
    published_at = fields.DatetimeField(null=True)
    # [{"size": "M", "measurements": [{"code": "LD", "value": "100"}, …]}] in centimetres. Lists, not objects:
    # PostgreSQL's jsonb does not keep key order, and a size chart's column order matters.
    size_chart: fields.Field[list[dict]] = fields.JSONField(default=list)
    # {"en": {"name": ..., "description": ..., "seo_title": ..., "seo_description": ...}, "ar": {...}}
    translations: fields.Field[dict[str, dict[str, str]]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "product"
        unique_together = (("brand", "slug"),)
        indexes = (("brand_id", "status", "name"),)


class Variant(Model):
    id = fields.BigIntField(primary_key=True)
    # Denormalised from the product so that "SKU unique per brand" is a database constraint.
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="variants", on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "lini.Product", related_name="variants", on_delete=fields.CASCADE
    )
    product_id: int
    sku = fields.CharField(max_length=64)
    barcode = fields.CharField(max_length=64, default="")
    size = fields.CharField(max_length=32, default="")
    colour = fields.CharField(max_length=64, default="")
    weight_grams = fields.IntField(default=0)
    position = fields.IntField(default=0)

    class Meta:
        table = "variant"
        unique_together = (("brand", "sku"),)
        # The storefront loads a page's variants by product; without this the lookup scans every variant.
        indexes = (("product_id", "position"),)


class VariantPrice(Model):
    id = fields.BigIntField(primary_key=True)
    variant: fields.ForeignKeyRelation[Variant] = fields.ForeignKeyField(
        "lini.Variant", related_name="prices", on_delete=fields.CASCADE
    )
    variant_id: int
    currency = fields.CharField(max_length=3)
    amount = fields.DecimalField(max_digits=16, decimal_places=3)
    compare_at_amount = fields.DecimalField(max_digits=16, decimal_places=3, null=True)

    class Meta:
        table = "variant_price"
        unique_together = (("variant", "currency"),)


class ProductPrice(Model):
    """The lowest and highest variant price of a product per currency, kept for sorting and filtering."""

    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "lini.Product", related_name="price_ranges", on_delete=fields.CASCADE
    )
    product_id: int
    currency = fields.CharField(max_length=3)
    min_amount = fields.DecimalField(max_digits=16, decimal_places=3)
    max_amount = fields.DecimalField(max_digits=16, decimal_places=3)

    class Meta:
        table = "product_price"
        unique_together = (("product", "currency"),)
        indexes = (("currency", "min_amount"),)


class Stock(Model):
    """Units on hand for a variant, changed only by conditional updates so it never goes below zero."""

    id = fields.BigIntField(primary_key=True)
    variant: fields.OneToOneRelation[Variant] = fields.OneToOneField(
        "lini.Variant", related_name="stock", on_delete=fields.CASCADE
    )
    variant_id: int
    quantity = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "stock"


class Collection(Model):
    """A hand-picked, ordered selection (Koleksi Lebaran 2026)."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="collections", on_delete=fields.CASCADE
    )
    brand_id: int
    slug = fields.CharField(max_length=200)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    is_published = fields.BooleanField(default=True)
    translations: fields.Field[dict[str, dict[str, str]]] = fields.JSONField(default=dict)

    class Meta:
        table = "collection"
        unique_together = (("brand", "slug"),)


class CollectionProduct(Model):
    id = fields.BigIntField(primary_key=True)
    collection: fields.ForeignKeyRelation[Collection] = fields.ForeignKeyField(
        "lini.Collection", related_name="entries", on_delete=fields.CASCADE
    )
    collection_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "lini.Product", related_name="collection_entries", on_delete=fields.CASCADE
    )
    product_id: int
    position = fields.IntField(default=0)

    class Meta:
        table = "collection_product"
        unique_together = (("collection", "product"),)


class AttributeType(StrEnum):
    TEXT = "TEXT"
    CHOICE = "CHOICE"
    NUMBER = "NUMBER"
    BOOLEAN = "BOOLEAN"


class Attribute(Model):
    """A typed product property a brand defines: fabric (choice), sleeve length (number, cm), lining (boolean)."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="attributes", on_delete=fields.CASCADE
    )
    brand_id: int
    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    type = fields.CharEnumField(AttributeType, max_length=16)
    unit = fields.CharField(max_length=16, default="")
    filterable = fields.BooleanField(default=True)
    position = fields.IntField(default=0)
    translations: fields.Field[dict[str, dict[str, str]]] = fields.JSONField(default=dict)

    class Meta:
        table = "attribute"
        unique_together = (("brand", "code"),)


class AttributeChoice(Model):
    id = fields.BigIntField(primary_key=True)
    attribute: fields.ForeignKeyRelation[Attribute] = fields.ForeignKeyField(
        "lini.Attribute", related_name="choices", on_delete=fields.CASCADE
    )
    attribute_id: int
    code = fields.CharField(max_length=64)
    label = fields.CharField(max_length=200)
    position = fields.IntField(default=0)
    translations: fields.Field[dict[str, dict[str, str]]] = fields.JSONField(default=dict)

    class Meta:
        table = "attribute_choice"
        unique_together = (("attribute", "code"),)


class ProductAttributeValue(Model):
    """One value of an attribute on a product (several rows for a multi-choice attribute)."""

    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "lini.Product", related_name="attribute_values", on_delete=fields.CASCADE
    )
    product_id: int
    attribute: fields.ForeignKeyRelation[Attribute] = fields.ForeignKeyField(
        "lini.Attribute", related_name="values", on_delete=fields.CASCADE
    )
    attribute_id: int
    choice: fields.ForeignKeyNullableRelation[AttributeChoice] = fields.ForeignKeyField(
        "lini.AttributeChoice", related_name="values", null=True, on_delete=fields.CASCADE
    )
    choice_id: int | None
    text_value = fields.TextField(default="")
    number_value = fields.DecimalField(max_digits=12, decimal_places=3, null=True)
    boolean_value = fields.BooleanField(null=True)

    class Meta:
        table = "product_attribute_value"
        indexes = (("attribute_id", "choice_id"),)


class ProductMedia(Model):
    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "lini.Product", related_name="media", on_delete=fields.CASCADE
    )
    product_id: int
    url = fields.CharField(max_length=1000)
    alt = fields.CharField(max_length=250, default="")
    position = fields.IntField(default=0)
    translations: fields.Field[dict[str, dict[str, str]]] = fields.JSONField(default=dict)
    # Uploaded images only: the URL of each thumbnail made at upload, by its bounding size in pixels as a string
    # ({"256": "https://…/media/….jpg"}); empty for a linked image, which is served as it is. Nullable so that
    # the column is added to a table that already has rows on every engine (NULL reads as no thumbnails).
    thumbnails: fields.Field[dict[str, str] | None] = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "product_media"
