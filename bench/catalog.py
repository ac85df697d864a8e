"""The benchmark catalog: one approved brand, N products × 5 sizes, each variant priced in IDR and MYR.

Each product also has a category (one per kind), two choice attributes (fabric: one value, motif: one or two)
and two images; every seventh product is on sale (a compare-at price above its price). `variants=10` makes
each size in two colours, and `stock=True` gives every variant a stock row (some sold out, some above the
storefront's cap), as `bench.storefront`'s wide catalog has.
"""

from __future__ import annotations

from decimal import Decimal

from core.actors.models import Brand, BrandStatus
from core.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Category,
    Product,
    ProductAttributeValue,
    ProductMedia,
    ProductStatus,
    Stock,
    Variant,
    VariantPrice,
)
from core.catalog.prices import refresh_price_ranges

BRAND_SLUG = "bench-butik"
SIZES = ("S", "M", "L", "XL", "XXL")
KINDS = ("Gamis", "Tunik", "Kaftan", "Abaya", "Kemeja", "Rok", "Khimar")
COLOURS = ("Sage", "Hitam", "Navy", "Dusty Pink", "Mocca")
VARIANT_COLOURS = ("Sage", "Hitam")  # each size in the first colour, then (variants=10) in the second
FABRICS = ("Ceruty", "Katun", "Linen", "Wolfis")
MOTIFS = ("Polos", "Bunga", "Garis")
BATCH = 500


async def load_catalog(size: int, slug: str = BRAND_SLUG, *, variants: int = 5, stock: bool = False) -> Brand:
    """Insert the catalog with bulk inserts; returns the brand (its slug is the storefront header)."""
    if variants not in (5, 10):
        raise ValueError("variants: 5 (one per size) or 10 (each size in two colours)")
    brand = await Brand.create(
        slug=slug,
        name="Bench Butik",
        status=BrandStatus.APPROVED,
        default_currency="IDR",
        currencies=["IDR", "MYR"],
        languages=["id", "en"],
        ships_to=["ID", "MY"],
    )
    categories = await _categories(brand)
    await Product.bulk_create(_products(brand, size, categories), batch_size=BATCH)
    product_ids: list[int] = await Product.filter(brand_id=brand.id).order_by("id").values_list("id", flat=True)
    await Variant.bulk_create(_variants(brand, product_ids, variants // len(SIZES)), batch_size=BATCH)
    rows = await Variant.filter(brand_id=brand.id).order_by("id").values_list("id", "product_id", "position")
    await VariantPrice.bulk_create(_prices(rows), batch_size=BATCH)
    if stock:
        await Stock.bulk_create([Stock(variant_id=v, quantity=(v * 7) % 45) for v, _, _ in rows], batch_size=BATCH)
    await ProductMedia.bulk_create(_media(product_ids), batch_size=BATCH)
    await ProductAttributeValue.bulk_create(await _attribute_values(brand, product_ids), batch_size=BATCH)
    for start in range(0, len(product_ids), BATCH):
        await refresh_price_ranges(product_ids[start : start + BATCH])
    return brand


async def _categories(brand: Brand) -> list[Category]:
    categories = []
    for position, kind in enumerate(KINDS):
        category = await Category.create(brand=brand, slug=kind.lower(), name=kind, position=position)
        category.path = f"/{category.id}/"
        await category.save(update_fields=["path"])
        categories.append(category)
    return categories


def _products(brand: Brand, size: int, categories: list[Category]) -> list[Product]:
    width = max(4, len(str(size)))
    products = []
    for i in range(size):
        # Kind first, so name order (the catalog's default) is not insertion order.
        kind = i % len(KINDS)
        name = f"{KINDS[kind]} {COLOURS[i % len(COLOURS)]} {i:0{width}d}"
        slug = name.lower().replace(" ", "-")
        products.append(
            Product(brand=brand, name=name, slug=slug, status=ProductStatus.PUBLISHED, category=categories[kind])
        )
    return products


def _variants(brand: Brand, product_ids: list[int], colours: int) -> list[Variant]:
    return [
        Variant(
            brand=brand,
            product_id=pid,
            sku=f"BB-{pid}-{size}" if c == 0 else f"BB-{pid}-{size}-{colour}",
            size=size,
            colour=colour,
            position=c * len(SIZES) + position,
        )
        for pid in product_ids
        for c, colour in enumerate(VARIANT_COLOURS[:colours])
        for position, size in enumerate(SIZES)
    ]


def _prices(variants: list[tuple[int, int, int]]) -> list[VariantPrice]:
    prices = []
    for variant_id, product_id, position in variants:
        step = product_id % 40
        idr, myr = _idr(step, position), _myr(step, position)
        on_sale = product_id % 7 == 0
        prices.append(
            VariantPrice(
                variant_id=variant_id, currency="IDR", amount=idr, compare_at_amount=idr * 2 if on_sale else None
            )
        )
        prices.append(VariantPrice(variant_id=variant_id, currency="MYR", amount=myr))
    return prices


def _idr(step: int, position: int) -> Decimal:
    return Decimal(149_000 + step * 5_000 + position * 10_000)


def _myr(step: int, position: int) -> Decimal:
    return Decimal(f"{42 + step + position * 3}.90")


def _media(product_ids: list[int]) -> list[ProductMedia]:
    return [
        ProductMedia(product_id=pid, url=f"https://cdn.bench.example/{pid}/{view}.jpg", alt=view, position=position)
        for pid in product_ids
        for position, view in enumerate(("depan", "belakang"))
    ]


async def _attribute_values(brand: Brand, product_ids: list[int]) -> list[ProductAttributeValue]:
    fabric = await Attribute.create(brand=brand, code="bahan", name="Bahan", type=AttributeType.CHOICE, position=0)
    motif = await Attribute.create(brand=brand, code="motif", name="Motif", type=AttributeType.CHOICE, position=1)
    fabrics = [
        await AttributeChoice.create(attribute=fabric, code=c.upper(), label=c, position=i)
        for i, c in enumerate(FABRICS)
    ]
    motifs = [
        await AttributeChoice.create(attribute=motif, code=c.upper(), label=c, position=i) for i, c in enumerate(MOTIFS)
    ]
    values = []
    for pid in product_ids:
        values.append(ProductAttributeValue(product_id=pid, attribute=fabric, choice=fabrics[pid % len(FABRICS)]))
        chosen = {pid % len(MOTIFS), (pid // 2) % len(MOTIFS)}
        values.extend(ProductAttributeValue(product_id=pid, attribute=motif, choice=motifs[i]) for i in sorted(chosen))
    return values
