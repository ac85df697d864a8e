"""Creating products with their variants, prices and stock: one product (`productCreate`) or up to 100
(`productBulkCreate`), all or nothing.

Every item is checked before anything is written, with a constant number of queries whatever the batch size;
the rows are then written with one bulk INSERT per table in one transaction. A concurrent create that takes
a slug or SKU in between makes the INSERT fail; the batch is then checked again, which either reports the
taken SKU or picks the next free generated slug.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.auth.permissions import Permission
from core.catalog import validation
from core.catalog.models import Category, Product, Stock, Variant, VariantPrice
from core.catalog.prices import refresh_price_ranges
from core.catalog.slugs import slugify, unique_slugs
from core.catalog.validation import PriceRow
from core.context import Actor
from core.errors import DomainError
from core.events import emit, webhooks_read_once
from core.validation import Problems

MAX_PRODUCTS = 100
MAX_VARIANTS = 100
ATTEMPTS = 3


@dataclass
class PlannedVariant:
    values: dict[str, Any]
    prices: list[PriceRow]
    stock: int


@dataclass
class PlannedProduct:
    values: dict[str, Any]
    variants: list[PlannedVariant] = field(default_factory=list)


async def create_products(
    actor: Actor, brand: Brand, items: Sequence[Mapping[str, Any]], *, single: bool = False
) -> list[Product]:
    """Create `items` (product inputs, each with optional `variants`) in input order.

    Error fields name the item (`products.3.variants.0.sku`), except for `single` (a plain `productCreate`).
    """
    actor.require(brand.id, Permission.MANAGE_PRODUCTS)
    if len(items) > MAX_PRODUCTS:
        raise DomainError("TOO_MANY_PRODUCTS", f"Create at most {MAX_PRODUCTS} products at once.", "products")
    for _ in range(ATTEMPTS):
        planned = await _plan(brand, items, single=single)
        try:
            return await _write(brand, planned)
        except IntegrityError:
            continue  # someone took a slug or SKU meanwhile: the next plan sees it
    raise DomainError("CONFLICT", "The catalog changed while saving; try again.", None if single else "products")


async def _plan(brand: Brand, items: Sequence[Mapping[str, Any]], *, single: bool) -> list[PlannedProduct]:
    problems = Problems()
    currencies = brand.currencies or [brand.default_currency]
    planned: list[PlannedProduct] = []
    for i, item in enumerate(items):
        at = problems if single else problems.at(f"products.{i}")
        product = PlannedProduct(validation.product_values(at, item, partial=False))
        raw_variants = item.get("variants") or []
        if len(raw_variants) > MAX_VARIANTS:
            at.add("TOO_MANY_VARIANTS", f"A product has at most {MAX_VARIANTS} variants.", "variants")
        for j, raw in enumerate(raw_variants[:MAX_VARIANTS]):
            here = at.at(f"variants.{j}")
            product.variants.append(
                PlannedVariant(
                    validation.variant_values(here, raw, partial=False),
                    validation.prices(here, raw.get("prices"), currencies),
                    validation.quantity(here, raw.get("stock", 0) or 0, "stock"),
                )
            )
        planned.append(product)
    await _check_against_catalog(brand, planned, problems, single=single)
    problems.check()
    await _choose_slugs(brand, planned)
    return planned


async def _check_against_catalog(
    brand: Brand, planned: list[PlannedProduct], problems: Problems, *, single: bool
) -> None:
    """SKUs and slugs unique within the batch and the brand, categories of the brand: a few queries in all."""

    def at(i: int) -> Problems:
        return problems if single else problems.at(f"products.{i}")

    skus = [(i, j, v.values["sku"]) for i, p in enumerate(planned) for j, v in enumerate(p.variants) if v.values["sku"]]
    taken = await _existing(Variant, brand.id, "sku", {sku for _, _, sku in skus})
    seen: set[str] = set()
    for i, j, sku in skus:
        if sku in taken or sku in seen:
            where = "another variant of this request" if sku in seen else "a variant of this brand"
            at(i).at(f"variants.{j}").add("SKU_TAKEN", f"{sku} is already the SKU of {where}.", "sku")
        seen.add(sku)
    slugs = [(i, p.values["slug"]) for i, p in enumerate(planned) if p.values.get("slug")]
    taken = await _existing(Product, brand.id, "slug", {slug for _, slug in slugs})
    seen = set()
    for i, slug in slugs:
        if slug in taken or slug in seen:
            at(i).add("SLUG_TAKEN", f"Another product already uses the slug {slug}.", "slug")
        seen.add(slug)
    wanted = {p.values["category_id"] for p in planned if p.values.get("category_id") is not None}
    found = (
        set(await Category.filter(brand_id=brand.id, id__in=wanted).values_list("id", flat=True)) if wanted else set()
    )
    for i, p in enumerate(planned):
        if p.values.get("category_id") is not None and p.values["category_id"] not in found:
            at(i).add("NOT_FOUND", "There is no such category in this brand.", "category_id")


async def _existing(model: type[Product] | type[Variant], brand_id: int, column: str, values: set[str]) -> set[str]:
    ordered, found = sorted(values), set()
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        taken = await model.filter(brand_id=brand_id, **{f"{column}__in": chunk}).values_list(column, flat=True)
        found.update(cast("list[str]", taken))
    return found


async def _choose_slugs(brand: Brand, planned: list[PlannedProduct]) -> None:
    pending = [p for p in planned if not p.values.get("slug")]
    explicit = [p.values["slug"] for p in planned if p.values.get("slug")]
    bases = [slugify(p.values["name"], "product") for p in pending]
    for product, slug in zip(pending, await unique_slugs(Product, brand.id, bases, explicit), strict=True):
        product.values["slug"] = slug


async def _write(brand: Brand, planned: list[PlannedProduct]) -> list[Product]:
    slugs = [p.values["slug"] for p in planned]
    async with in_transaction():
        # bulk_create does not hand back primary keys on every backend; slugs and SKUs are unique per brand.
        await Product.bulk_create([Product(brand_id=brand.id, **p.values) for p in planned])
        product_ids = await _ids(Product, brand.id, "slug", slugs)
        variants = [
            Variant(brand_id=brand.id, product_id=product_ids[p.values["slug"]], position=j, **v.values)
            for p in planned
            for j, v in enumerate(p.variants)
        ]
        if variants:
            await Variant.bulk_create(variants)
            variant_ids = await _ids(Variant, brand.id, "sku", [v.sku for v in variants])
            planned_variants = [v for p in planned for v in p.variants]
            await VariantPrice.bulk_create(
                [
                    VariantPrice(
                        variant_id=variant_ids[v.values["sku"]],
                        currency=price.currency,
                        amount=price.amount,
                        compare_at_amount=price.compare_at_amount,
                    )
                    for v in planned_variants
                    for price in v.prices
                ]
            )
            await Stock.bulk_create(
                [Stock(variant_id=variant_ids[v.values["sku"]], quantity=v.stock) for v in planned_variants]
            )
        await refresh_price_ranges(product_ids.values())
        await validation.products_changed(product_ids.values())
        with webhooks_read_once():
            for slug in slugs:
                await emit("product.created", {"product_id": product_ids[slug], "slug": slug}, brand_id=brand.id)
    found = {p.id: p for p in await Product.filter(id__in=list(product_ids.values()))}
    return [found[product_ids[slug]] for slug in slugs]


async def _ids(model: type[Product] | type[Variant], brand_id: int, column: str, keys: Iterable[str]) -> dict[str, int]:
    ordered, ids = list(keys), {}
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        rows = await model.filter(brand_id=brand_id, **{f"{column}__in": chunk}).values_list(column, "id")
        ids.update(dict(rows))
    return ids
