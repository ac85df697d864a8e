"""Building test data straight through the models, with sensible defaults."""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from core.actors.models import Brand, BrandStatus
from core.catalog.models import Product, ProductStatus, Variant, VariantPrice

_seq = count(1)


async def make_brand(slug: str = "", *, status: BrandStatus = BrandStatus.APPROVED, **fields: object) -> Brand:
    slug = slug or f"brand-{next(_seq)}"
    defaults: dict[str, object] = {
        "name": slug.replace("-", " ").title(),
        "default_currency": "IDR",
        "currencies": ["IDR", "MYR"],
        "languages": ["id", "en"],
        "ships_to": ["ID", "MY"],
    }
    return await Brand.create(slug=slug, status=status, **{**defaults, **fields})


async def make_product(
    brand: Brand,
    name: str,
    *,
    prices: dict[str, str] | None = None,
    sizes: tuple[str, ...] = ("M", "L"),
    status: ProductStatus = ProductStatus.PUBLISHED,
    **fields: object,
) -> Product:
    n = next(_seq)
    product = await Product.create(
        brand=brand,
        name=name,
        slug=fields.pop("slug", f"{name.lower().replace(' ', '-')}-{n}"),
        status=status,
        **fields,
    )
    for position, size in enumerate(sizes):
        variant = await Variant.create(
            brand=brand, product=product, sku=f"SKU-{n}-{size}", size=size, colour="Hitam", position=position
        )
        for currency, amount in (prices or {"IDR": "150000"}).items():
            await VariantPrice.create(variant=variant, currency=currency, amount=Decimal(amount))
    return product


async def make_catalog(brand: Brand, size: int, *, prefix: str = "Gamis") -> list[Product]:
    """`size` products with two variants each, priced in IDR and MYR, bulk-inserted."""
    products = [
        Product(brand=brand, name=f"{prefix} {i:04d}", slug=f"{prefix.lower()}-{i:04d}", status=ProductStatus.PUBLISHED)
        for i in range(size)
    ]
    await Product.bulk_create(products)
    saved = await Product.filter(brand=brand, name__startswith=prefix).order_by("id")
    variants = [
        Variant(brand=brand, product=p, sku=f"{prefix[:3].upper()}-{p.id}-{s}", size=s, colour="Sage", position=j)
        for p in saved
        for j, s in enumerate(("M", "L"))
    ]
    await Variant.bulk_create(variants)
    stored = await Variant.filter(brand=brand, product_id__in=[p.id for p in saved])
    await VariantPrice.bulk_create(
        [
            VariantPrice(variant=v, currency=c, amount=Decimal(a))
            for v in stored
            for c, a in (("IDR", "199000"), ("MYR", "55"))
        ]
    )
    return saved
