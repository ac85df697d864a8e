"""The benchmark catalog: one approved brand, N products × 5 sizes, each variant priced in IDR and MYR."""

from __future__ import annotations

from decimal import Decimal

from core.actors.models import Brand, BrandStatus
from core.catalog.models import Product, ProductStatus, Variant, VariantPrice
from core.catalog.prices import refresh_price_ranges

BRAND_SLUG = "bench-butik"
SIZES = ("S", "M", "L", "XL", "XXL")
KINDS = ("Gamis", "Tunik", "Kaftan", "Abaya", "Kemeja", "Rok", "Khimar")
COLOURS = ("Sage", "Hitam", "Navy", "Dusty Pink", "Mocca")
BATCH = 500


async def load_catalog(size: int, slug: str = BRAND_SLUG) -> Brand:
    """Insert the catalog with bulk inserts; returns the brand (its slug is the storefront header)."""
    brand = await Brand.create(
        slug=slug,
        name="Bench Butik",
        status=BrandStatus.APPROVED,
        default_currency="IDR",
        currencies=["IDR", "MYR"],
        languages=["id", "en"],
        ships_to=["ID", "MY"],
    )
    await Product.bulk_create(_products(brand, size), batch_size=BATCH)
    product_ids: list[int] = await Product.filter(brand_id=brand.id).order_by("id").values_list("id", flat=True)
    await Variant.bulk_create(_variants(brand, product_ids), batch_size=BATCH)
    variants = await Variant.filter(brand_id=brand.id).order_by("id").values_list("id", "product_id", "position")
    await VariantPrice.bulk_create(_prices(variants), batch_size=BATCH)
    for start in range(0, len(product_ids), BATCH):
        await refresh_price_ranges(product_ids[start : start + BATCH])
    return brand


def _products(brand: Brand, size: int) -> list[Product]:
    width = max(4, len(str(size)))
    products = []
    for i in range(size):
        # Kind first, so name order (the catalog's default) is not insertion order.
        name = f"{KINDS[i % len(KINDS)]} {COLOURS[i % len(COLOURS)]} {i:0{width}d}"
        slug = name.lower().replace(" ", "-")
        products.append(Product(brand=brand, name=name, slug=slug, status=ProductStatus.PUBLISHED))
    return products


def _variants(brand: Brand, product_ids: list[int]) -> list[Variant]:
    return [
        Variant(brand=brand, product_id=pid, sku=f"BB-{pid}-{size}", size=size, colour="Sage", position=position)
        for pid in product_ids
        for position, size in enumerate(SIZES)
    ]


def _prices(variants: list[tuple[int, int, int]]) -> list[VariantPrice]:
    prices = []
    for variant_id, product_id, position in variants:
        step = product_id % 40
        prices.append(VariantPrice(variant_id=variant_id, currency="IDR", amount=_idr(step, position)))
        prices.append(VariantPrice(variant_id=variant_id, currency="MYR", amount=_myr(step, position)))
    return prices


def _idr(step: int, position: int) -> Decimal:
    return Decimal(149_000 + step * 5_000 + position * 10_000)


def _myr(step: int, position: int) -> Decimal:
    return Decimal(f"{42 + step + position * 3}.90")
