"""Brands: the tenants. Every brand-owned row in Lini hangs off one of these."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class BrandStatus(StrEnum):
    APPLIED = "APPLIED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    SUSPENDED = "SUSPENDED"


class Brand(Model):
    id = fields.BigIntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    status = fields.CharEnumField(BrandStatus, max_length=16, default=BrandStatus.APPLIED)
    description = fields.TextField(default="")
    logo_url = fields.CharField(max_length=500, default="")
    primary_color = fields.CharField(max_length=9, default="#1f2937")
    default_currency = fields.CharField(max_length=3, default="IDR")
    # Enabled currencies, languages (BCP 47) and ISO 3166-1 alpha-2 countries shipped to.
    currencies: fields.Field[list[str]] = fields.JSONField(default=list)
    languages: fields.Field[list[str]] = fields.JSONField(default=list)
    ships_to: fields.Field[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "brand"

    @property
    def is_serving(self) -> bool:
        return self.status == BrandStatus.APPROVED


class BrandDomain(Model):
    """A host name that selects a brand's storefront without the `Lini-Storefront` header."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="domains", on_delete=fields.CASCADE
    )
    host = fields.CharField(max_length=253, unique=True)

    class Meta:
        table = "brand_domain"
