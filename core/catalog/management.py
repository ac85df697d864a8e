"""Brand staff managing their catalog: products, variants, prices and stock (permission MANAGE_PRODUCTS).

Every service loads its target row and checks the actor may manage that row's brand before anything else,
whatever the API layer already checked: IDs come from clients, and a product ID of another brand must not be
editable by guessing it. Each operation is one transaction, with its event, and keeps `ProductPrice` (the
price ranges that sorting and filtering read) in step whenever variant prices change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.auth.permissions import Permission
from core.catalog import bulk, validation
from core.catalog.models import Category, Product, Stock, Variant, VariantPrice
from core.catalog.prices import refresh_price_ranges
from core.catalog.validation import PRODUCT_TEXTS, PriceRow, load_owned, next_position
from core.context import Actor
from core.errors import DomainError
from core.events import emit
from core.validation import Problems

MAX_STOCK_ITEMS = 100


def _now() -> datetime:
    return datetime.now(UTC)


# --- products ----------------------------------------------------------------------------------------------


async def create_product(actor: Actor, brand: Brand, data: Mapping[str, Any]) -> Product:
    """One product (optionally with `variants`); the same checks and writes as a bulk of one."""
    return (await bulk.create_products(actor, brand, [data], single=True))[0]


async def update_product(actor: Actor, product_id: int, changes: Mapping[str, Any]) -> Product:
    """Change the given fields only. The slug changes only when given: old links keep working otherwise."""
    product = await load_owned(actor, Product, product_id, "product")
    problems = Problems()
    values = validation.product_values(problems, changes, partial=True)
    slug = values.get("slug")
    if slug and slug != product.slug and await Product.exists(brand_id=product.brand_id, slug=slug):
        problems.add("SLUG_TAKEN", f"Another product already uses the slug {slug}.", "slug")
    category_id = values.get("category_id")
    if category_id is not None and not await Category.exists(id=category_id, brand_id=product.brand_id):
        problems.add("NOT_FOUND", "There is no such category in this brand.", "category_id")
    problems.check()
    try:
        async with in_transaction():
            # A column-wise UPDATE: two staff editing different fields at once do not undo each other.
            if values:
                await Product.filter(id=product.id).update(**values, updated_at=_now())
            await validation.products_changed([product.id])
            await emit(
                "product.updated", {"product_id": product.id, "fields": sorted(values)}, brand_id=product.brand_id
            )
    except IntegrityError:
        raise DomainError("SLUG_TAKEN", f"Another product already uses the slug {slug}.", "slug") from None
    return await Product.get(id=product.id)


async def delete_product(actor: Actor, product_id: int) -> Product:
    """Deletes its variants, prices, stock, media rows and collection entries with it (foreign-key cascades)."""
    product = await load_owned(actor, Product, product_id, "product")
    async with in_transaction():
        await Product.filter(id=product.id).delete()
        await emit("product.deleted", {"product_id": product.id, "slug": product.slug}, brand_id=product.brand_id)
    return product


async def translate_product(actor: Actor, product_id: int, language: str, texts: Mapping[str, str | None]) -> Product:
    product = await load_owned(actor, Product, product_id, "product")
    merged = validation.merge_translation(product.translations, language, texts, PRODUCT_TEXTS)
    async with in_transaction():
        await Product.filter(id=product.id).update(translations=merged, updated_at=_now())
        await validation.products_changed([product.id])
        await emit(
            "product.updated",
            {"product_id": product.id, "fields": ["translations"], "language": language},
            brand_id=product.brand_id,
        )
    return await Product.get(id=product.id)


# --- variants ----------------------------------------------------------------------------------------------


async def _sku_taken(brand_id: int, sku: str, exclude_id: int | None = None) -> bool:
    query = Variant.filter(brand_id=brand_id, sku=sku)
    return await (query.exclude(id=exclude_id) if exclude_id else query).exists()


def _sku_error(sku: str) -> DomainError:
    return DomainError("SKU_TAKEN", f"{sku} is already the SKU of a variant of this brand.", "sku")


async def _replace_prices(variant_id: int, rows: Sequence[PriceRow]) -> None:
    await VariantPrice.filter(variant_id=variant_id).delete()
    await VariantPrice.bulk_create(
        [
            VariantPrice(
                variant_id=variant_id, currency=r.currency, amount=r.amount, compare_at_amount=r.compare_at_amount
            )
            for r in rows
        ]
    )


async def create_variant(actor: Actor, product_id: int, data: Mapping[str, Any]) -> Variant:
    product = await load_owned(actor, Product, product_id, "product", field="product_id")
    brand = await Brand.get(id=product.brand_id)
    problems = Problems()
    values = validation.variant_values(problems, data, partial=False)
    rows = validation.prices(problems, data.get("prices"), brand.currencies or [brand.default_currency])
    stock = validation.quantity(problems, data.get("stock") or 0, "stock")
    if values["sku"] and await _sku_taken(brand.id, values["sku"]):
        problems.add("SKU_TAKEN", f"{values['sku']} is already the SKU of a variant of this brand.", "sku")
    problems.check()
    try:
        async with in_transaction():
            position = await next_position(Variant.filter(product_id=product.id))
            variant = await Variant.create(brand_id=brand.id, product_id=product.id, position=position, **values)
            await _replace_prices(variant.id, rows)
            await Stock.create(variant_id=variant.id, quantity=stock)
            await refresh_price_ranges([product.id])
            await validation.products_changed([product.id])
            await emit(
                "product.variant_created",
                {"product_id": product.id, "variant_id": variant.id, "sku": variant.sku},
                brand_id=brand.id,
            )
    except IntegrityError:  # a concurrent create took the SKU between the check and the INSERT
        raise _sku_error(values["sku"]) from None
    return variant


async def update_variant(actor: Actor, variant_id: int, changes: Mapping[str, Any]) -> Variant:
    """`prices`, when given, replaces the variant's whole price list; `stock` sets the quantity on hand."""
    variant = await load_owned(actor, Variant, variant_id, "variant")
    brand = await Brand.get(id=variant.brand_id)  # type: ignore[attr-defined]
    problems = Problems()
    values = validation.variant_values(problems, changes, partial=True)
    rows = None
    if changes.get("prices") is not None:
        rows = validation.prices(problems, changes["prices"], brand.currencies or [brand.default_currency])
    stock = None if changes.get("stock") is None else validation.quantity(problems, changes["stock"], "stock")
    sku = values.get("sku")
    if sku and sku != variant.sku and await _sku_taken(brand.id, sku, exclude_id=variant.id):
        problems.add("SKU_TAKEN", f"{sku} is already the SKU of a variant of this brand.", "sku")
    problems.check()
    try:
        async with in_transaction():
            if values:
                await Variant.filter(id=variant.id).update(**values)
            if rows is not None:
                await _replace_prices(variant.id, rows)
                await refresh_price_ranges([variant.product_id])
            if stock is not None:
                await _set_stock({variant.id: stock})
            await validation.products_changed([variant.product_id])
            fields = sorted(values) + ["prices"] * (rows is not None) + ["stock"] * (stock is not None)
            await emit(
                "product.variant_updated",
                {"product_id": variant.product_id, "variant_id": variant.id, "fields": fields},
                brand_id=brand.id,
            )
    except IntegrityError:
        raise _sku_error(sku or variant.sku) from None
    return await Variant.get(id=variant.id)


async def delete_variant(actor: Actor, variant_id: int) -> Variant:
    variant = await load_owned(actor, Variant, variant_id, "variant")
    async with in_transaction():
        await Variant.filter(id=variant.id).delete()
        await refresh_price_ranges([variant.product_id])
        await validation.products_changed([variant.product_id])
        await emit(
            "product.variant_deleted",
            {"product_id": variant.product_id, "variant_id": variant.id, "sku": variant.sku},
            brand_id=variant.brand_id,  # type: ignore[attr-defined]
        )
    return variant


# --- stock -------------------------------------------------------------------------------------------------


async def _set_stock(quantities: Mapping[int, int]) -> None:
    """Set quantities on hand, creating the `Stock` rows that are missing; call inside a transaction."""
    stocked = await Stock.filter(variant_id__in=list(quantities)).values_list("variant_id", flat=True)
    existing = set(cast("list[int]", stocked))
    for variant_id in sorted(existing):  # a fixed order, so two concurrent updates cannot deadlock
        await Stock.filter(variant_id=variant_id).update(quantity=quantities[variant_id], updated_at=_now())
    missing = [Stock(variant_id=v, quantity=q) for v, q in sorted(quantities.items()) if v not in existing]
    if missing:
        await Stock.bulk_create(missing)


async def update_stock(actor: Actor, items: Sequence[Mapping[str, Any]]) -> list[tuple[Variant, int]]:
    """Set the quantity on hand of up to 100 variants, all or nothing."""
    if len(items) > MAX_STOCK_ITEMS:
        raise DomainError("TOO_MANY_ITEMS", f"Update at most {MAX_STOCK_ITEMS} variants at once.", "items")
    ids = [int(item["variant_id"]) for item in items]
    variants = {v.id: v for v in await Variant.filter(id__in=ids)}
    # Unknown variants are refused like another brand's, before any check that could reveal which is which.
    brand_ids = {v.brand_id for v in variants.values()}  # type: ignore[attr-defined]
    if len(variants) < len(set(ids)):
        brand_ids.add(-1)
    for brand_id in sorted(brand_ids):
        actor.require(brand_id, Permission.MANAGE_PRODUCTS)
    problems = Problems()
    quantities: dict[int, int] = {}
    for i, item in enumerate(items):
        at = problems.at(f"items.{i}")
        if ids[i] in quantities:
            at.add("DUPLICATE_VARIANT", "This variant is listed twice.", "variant_id")
        quantities[ids[i]] = validation.quantity(at, item.get("quantity"), "quantity")
    problems.check()
    try:
        async with in_transaction():
            await _set_stock(quantities)
            by_brand: dict[int, list[dict[str, int]]] = {}
            for variant_id, quantity in quantities.items():
                brand_id = variants[variant_id].brand_id  # type: ignore[attr-defined]
                by_brand.setdefault(brand_id, []).append({"variant_id": variant_id, "quantity": quantity})
            for brand_id, changed in sorted(by_brand.items()):
                await emit("stock.updated", {"items": changed}, brand_id=brand_id)
    except IntegrityError:  # another request created the same Stock row meanwhile
        raise DomainError("CONFLICT", "Stock changed at the same time; try again.", "items") from None
    return [(variants[variant_id], quantity) for variant_id, quantity in quantities.items()]
