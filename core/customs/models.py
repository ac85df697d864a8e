"""Customs data set on a category (the default for its products and its sub-categories'), a product or a variant.

One table with exactly one owner per row rather than columns on three catalog tables: most products inherit
everything from their category, so most products have no row, and the catalog's hot tables stay as narrow as
the storefront's list pages need them.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core.actors.models import Brand
from core.catalog.models import Category, Product, Variant
from core.orders.models import Shipment


class CustomsData(Model):
    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="customs_data", on_delete=fields.CASCADE
    )
    brand_id: int
    # Exactly one of the three is set (the services write rows only through `owner`); deleting the owner deletes
    # its row.
    category: fields.OneToOneNullableRelation[Category] = fields.OneToOneField(
        "lini.Category", related_name="customs", null=True, on_delete=fields.CASCADE
    )
    category_id: int | None
    product: fields.OneToOneNullableRelation[Product] = fields.OneToOneField(
        "lini.Product", related_name="customs", null=True, on_delete=fields.CASCADE
    )
    product_id: int | None
    variant: fields.OneToOneNullableRelation[Variant] = fields.OneToOneField(
        "lini.Variant", related_name="customs", null=True, on_delete=fields.CASCADE
    )
    variant_id: int | None
    # Null everywhere below means "not set here: inherit". The HS code's six international digits, then the
    # destination-independent national extension the brand declares (Indonesia's BTKI has eight digits in all).
    hs_code = fields.CharField(max_length=6, null=True)
    national_code = fields.CharField(max_length=6, null=True)
    description = fields.CharField(max_length=200, null=True)  # in English, as customs forms want it
    origin_country = fields.CharField(max_length=2, null=True)
    # [{"material": "polyester", "percent": "95"}, …] summing to 100; a list keeps the label's order.
    composition: fields.Field[list[dict[str, str]] | None] = fields.JSONField(null=True)
    net_weight_grams = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customs_data"
        indexes = (("brand_id",),)


class CustomsDuty(Model):
    """A destination's import duty on an HS heading (4 digits) or subheading (6): the longest prefix applies.

    Platform administrators keep these tables (`customsRateSet`); a plugin that asks a real duty service instead
    answers through the `landed_cost` hook.
    """

    id = fields.BigIntField(primary_key=True)
    country = fields.CharField(max_length=2)
    hs_prefix = fields.CharField(max_length=6)
    rate = fields.DecimalField(max_digits=7, decimal_places=3)  # percent of the customs value
    updated_by = fields.CharField(max_length=100, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customs_duty"
        unique_together = (("country", "hs_prefix"),)


class ImportTax(Model):
    """A destination's import VAT/GST/sales tax and its de-minimis thresholds, in the destination's currency."""

    id = fields.BigIntField(primary_key=True)
    country = fields.CharField(max_length=2, unique=True)
    name = fields.CharField(max_length=40)  # "SST", "VAT", "KDV"
    rate = fields.DecimalField(max_digits=7, decimal_places=3)  # percent
    currency = fields.CharField(max_length=3)  # the thresholds'
    # Goods worth at most this pay no duty (Malaysia's low-value goods: MYR 500; Saudi Arabia: SAR 1,000).
    duty_free_up_to = fields.DecimalField(max_digits=16, decimal_places=3, default=0)
    # ... and no import tax (0: taxed from the first sen, as Malaysia's LVG sales tax and Saudi VAT are).
    tax_free_up_to = fields.DecimalField(max_digits=16, decimal_places=3, default=0)
    # Whether the tax is levied on the customs value plus the duty (most countries) or on the value alone.
    tax_includes_duty = fields.BooleanField(default=True)
    updated_by = fields.CharField(max_length=100, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "import_tax"


class ShipmentDocumentKind(StrEnum):
    COMMERCIAL_INVOICE = "COMMERCIAL_INVOICE"
    PACKING_LIST = "PACKING_LIST"


class ShipmentDocument(Model):
    """A customs paper of a shipment abroad: one row per kind, pointing at the PDF the media storage keeps.

    `fingerprint` is the SHA-256 of everything the paper prints (and of the layout's version): a paper is made
    again only when it would read differently, and then the row is replaced, so `created_at` is the file's.
    """

    id = fields.BigIntField(primary_key=True)
    shipment: fields.ForeignKeyRelation[Shipment] = fields.ForeignKeyField(
        "lini.Shipment", related_name="documents", on_delete=fields.CASCADE
    )
    shipment_id: int
    kind = fields.CharEnumField(ShipmentDocumentKind, max_length=24)
    storage_key = fields.CharField(max_length=500)  # the media storage's URL of the PDF
    fingerprint = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "shipment_document"
        unique_together = (("shipment", "kind"),)
