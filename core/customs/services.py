"""Setting customs data (permission MANAGE_PRODUCTS) and reading what applies to each product and variant.

What applies is worked out field by field: a variant's own value, else its product's, else its category's, else
the nearest ancestor category's. So a brand sets "women's woven dress of polyester, 6204.43, made in ID" once on
Gamis and gives the cotton model its own classification (code, description and composition together: they are
inherited as one, so a product never pairs its own fibre with its category's code). Reading costs three
statements for any number of products or variants (the products, their categories' paths, then every row that
could apply).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from tortoise.transactions import in_transaction

from core.catalog.models import Category, Product, Variant
from core.catalog.validation import load_owned
from core.context import Actor
from core.customs import rules
from core.customs.models import CustomsData
from core.events import emit
from core.validation import Problems

Owner = Literal["category", "product", "variant"]
SOURCES: tuple[str, ...] = ("VARIANT", "PRODUCT", "CATEGORY")


@dataclass(frozen=True)
class Material:
    material: str
    percent: Decimal


@dataclass(frozen=True)
class Customs:
    """The declaration that applies, with where each field came from (`sources`: field -> VARIANT, PRODUCT or
    CATEGORY); a field set nowhere is None and absent from `sources`."""

    hs_code: str | None = None
    national_code: str | None = None
    description: str | None = None
    origin_country: str | None = None
    composition: tuple[Material, ...] | None = None
    net_weight_grams: int | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """The fields an export needs that are set nowhere."""
        return [name for name in rules.REQUIRED_FOR_EXPORT if getattr(self, name) is None]

    @property
    def complete(self) -> bool:
        return not self.missing


def _merge(layers: Iterable[tuple[str, CustomsData | None]]) -> Customs:
    """Nearest first: the classification (code, description, composition) as one unit from the nearest level
    that sets any of it, origin and net weight each from the nearest level that sets it."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    classified = False
    for source, row in layers:
        if row is None:
            continue
        if not classified and any(getattr(row, name) is not None for name in rules.CLASSIFICATION):
            classified = True
            for name in rules.CLASSIFICATION:
                value = getattr(row, name)
                if value is not None:
                    values[name] = value
                    if name != "national_code":
                        sources[name] = source
        for name in ("origin_country", "net_weight_grams"):
            if name not in values and getattr(row, name) is not None:
                values[name] = getattr(row, name)
                sources[name] = source
    composition = values.get("composition")
    if composition is not None:
        values["composition"] = tuple(Material(m["material"], Decimal(m["percent"])) for m in composition)
    return Customs(**values, sources={name: sources[name] for name in rules.FIELDS if name in sources})


def _ancestors(category: Category | None) -> list[int]:
    """The category's id and its ancestors', nearest first, from its materialised path ("/3/8/")."""
    if category is None:
        return []
    chain = [int(part) for part in reversed(category.path.strip("/").split("/")) if part.isdigit()]
    return chain if chain and chain[0] == category.id else [category.id, *(c for c in chain if c != category.id)]


async def for_products(product_ids: Iterable[int]) -> dict[int, Customs]:
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return {}
    products = (
        await Product.filter(id__in=ids)
        .select_related("category")
        .only("id", "category_id", "category__id", "category__path")
    )
    chains = {p.id: _ancestors(p.category) for p in products}
    rows = await _rows(ids, [c for chain in chains.values() for c in chain], [])
    return {
        p.id: _merge(
            [("PRODUCT", rows["product"].get(p.id))] + [("CATEGORY", rows["category"].get(c)) for c in chains[p.id]]
        )
        for p in products
    }


async def for_variants(variant_ids: Iterable[int]) -> dict[int, Customs]:
    ids = list(dict.fromkeys(variant_ids))
    if not ids:
        return {}
    variants = (
        await Variant.filter(id__in=ids)
        .select_related("product__category")
        .only(
            "id",
            "product_id",
            "product__id",
            "product__category_id",
            "product__category__id",
            "product__category__path",
        )
    )
    chains = {v.id: _ancestors(v.product.category) for v in variants}
    rows = await _rows(
        [v.product_id for v in variants], [c for chain in chains.values() for c in chain], [v.id for v in variants]
    )
    return {
        v.id: _merge(
            [("VARIANT", rows["variant"].get(v.id)), ("PRODUCT", rows["product"].get(v.product_id))]
            + [("CATEGORY", rows["category"].get(c)) for c in chains[v.id]]
        )
        for v in variants
    }


async def for_categories(category_ids: Iterable[int]) -> dict[int, Customs]:
    """What a category's products inherit: its own row, else its ancestors'."""
    ids = list(dict.fromkeys(category_ids))
    if not ids:
        return {}
    categories = await Category.filter(id__in=ids).only("id", "path")
    chains = {c.id: _ancestors(c) for c in categories}
    rows = await _rows([], [c for chain in chains.values() for c in chain], [])
    return {c: _merge([("CATEGORY", rows["category"].get(a)) for a in chain]) for c, chain in chains.items()}


async def _rows(
    product_ids: list[int], category_ids: list[int], variant_ids: list[int]
) -> dict[str, dict[int, CustomsData]]:
    from tortoise.expressions import Q

    found: dict[str, dict[int, CustomsData]] = {"category": {}, "product": {}, "variant": {}}
    query = (
        Q(product_id__in=product_ids or [-1])
        | Q(category_id__in=category_ids or [-1])
        | Q(variant_id__in=variant_ids or [-1])
    )
    for row in await CustomsData.filter(query):
        if row.variant_id is not None:
            found["variant"][row.variant_id] = row
        elif row.product_id is not None:
            found["product"][row.product_id] = row
        elif row.category_id is not None:
            found["category"][row.category_id] = row
    return found


async def update(actor: Actor, owner: Owner, owner_id: int, changes: Mapping[str, Any]) -> int:
    """Set the given fields on the owner's own row (None clears a field, so it is inherited again); returns the
    brand's id. Every problem is reported at once and nothing is written then."""
    models: dict[str, type[Category] | type[Product] | type[Variant]] = {
        "category": Category,
        "product": Product,
        "variant": Variant,
    }
    model = models[owner]
    target = await load_owned(actor, model, owner_id, owner)  # FORBIDDEN for another brand's row, as elsewhere
    problems = Problems()
    values = rules.values(problems, changes)
    problems.check()
    brand_id: int = target.brand_id  # type: ignore[union-attr]  # Variant declares its brand FK without brand_id
    product_id = target.id if owner == "product" else getattr(target, "product_id", None)
    async with in_transaction():
        # The owner's row is locked first: two first writes at once would otherwise both insert.
        await model.filter(id=target.id).select_for_update().first()
        row = await CustomsData.filter(**{f"{owner}_id": target.id}).select_for_update().first()
        if row is None:
            row = CustomsData(brand_id=brand_id, **{f"{owner}_id": target.id})
        for name, value in values.items():
            setattr(row, name, value)
        if all(getattr(row, name) is None for name in rules.FIELDS):
            if row.id is not None:
                await row.delete()  # nothing set here any more: the owner inherits everything
        else:
            await row.save()
        if owner == "category":
            await emit("category.updated", {"category_id": target.id, "fields": ["customs"]}, brand_id=brand_id)
        else:
            await emit("product.updated", {"product_id": product_id, "fields": ["customs"]}, brand_id=brand_id)
    return brand_id
