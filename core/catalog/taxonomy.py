"""How a brand organises its catalog: the category tree and hand-picked, ordered collections.

A category keeps its ancestors in a materialised `path` ("/3/8/") so the storefront reads a subtree with one
prefix query; the price is that a move rewrites the paths of the whole subtree, and that moves must be
serialised per brand — two moves checked at once could each pass the cycle check and close a loop together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.auth.permissions import Permission
from core.catalog import validation
from core.catalog.models import Category, Collection, CollectionProduct, Product
from core.catalog.slugs import unique_slug
from core.catalog.validation import load_owned, next_position
from core.context import Actor
from core.errors import DomainError
from core.events import emit
from core.validation import Problems

TEXTS = {"name": 200, "description": 5000}
MAX_PATH = 500  # Category.path's column size
MAX_PRODUCTS = 500


def _slug_taken(slug: str | None) -> DomainError:
    return DomainError("SLUG_TAKEN", f"The slug {slug} is already used in this brand.", "slug")


async def _texts(
    problems: Problems,
    model: type[Model],
    brand_id: int,
    data: Mapping[str, Any],
    *,
    partial: bool,
    row_id: int | None = None,
) -> dict[str, Any]:
    """Name, slug, description and translations: what categories and collections share."""
    values: dict[str, Any] = {}
    if not partial or data.get("name") is not None:
        values["name"] = validation.required_text(problems, data.get("name"), "name", TEXTS["name"])
    if data.get("description") is not None or not partial:
        values["description"] = validation.optional_text(problems, data.get("description"), "description", 5000)
    if data.get("translations") is not None:
        values["translations"] = validation.translations(problems, data["translations"], TEXTS, "translations")
    slug = validation.explicit_slug(problems, data.get("slug"))
    if slug and await model.filter(brand_id=brand_id, slug=slug).exclude(id=row_id or 0).exists():
        problems.errors.append(_slug_taken(slug))
    if slug:
        values["slug"] = slug
    return values


async def _lock(model: type[Model], row_id: int) -> None:
    """Hold the row until commit (PostgreSQL; SQLite runs one writing transaction at a time anyway)."""
    await model.filter(id=row_id).select_for_update().first()


# --- categories --------------------------------------------------------------------------------------------


def _children(brand_id: int, parent: Category | None) -> QuerySet[Category]:
    if parent is None:
        return Category.filter(brand_id=brand_id, parent_id__isnull=True)
    return Category.filter(brand_id=brand_id, parent_id=parent.id)


async def create_category(actor: Actor, brand: Brand, data: Mapping[str, Any]) -> Category:
    actor.require(brand.id, Permission.MANAGE_PRODUCTS)
    problems = Problems()
    values = await _texts(problems, Category, brand.id, data, partial=False)
    parent = None
    if data.get("parent_id") is not None:
        parent = await Category.get_or_none(id=data["parent_id"], brand_id=brand.id)
        if parent is None:
            problems.add("NOT_FOUND", "There is no such category in this brand.", "parent_id")
        elif len(parent.path) + 21 > MAX_PATH:
            problems.add("CATEGORY_TOO_DEEP", "The category tree cannot grow deeper here.", "parent_id")
    problems.check()
    values.setdefault("slug", await unique_slug(Category, brand.id, values["name"], "category"))
    siblings = _children(brand.id, parent)
    try:
        async with in_transaction():
            position = await next_position(siblings)
            parent_id = parent.id if parent else None
            category = await Category.create(brand_id=brand.id, parent_id=parent_id, position=position, **values)
            category.path = f"{parent.path if parent else '/'}{category.id}/"
            await Category.filter(id=category.id).update(path=category.path)
            await emit("category.created", {"category_id": category.id, "slug": category.slug}, brand_id=brand.id)
    except IntegrityError:
        raise _slug_taken(values["slug"]) from None
    return category


async def _move(category: Category, parent_id: int | None) -> dict[str, Any]:
    """Check and apply a move inside the transaction, with the brand's tree locked; the new columns to set."""
    await _lock(Brand, category.brand_id)
    current = await Category.get(id=category.id)  # its path may have changed while we waited for the lock
    parent = None
    if parent_id is not None:
        parent = await Category.get_or_none(id=parent_id, brand_id=category.brand_id)
        if parent is None:
            raise DomainError("NOT_FOUND", "There is no such category in this brand.", "parent_id")
        if parent.path.startswith(current.path):
            raise DomainError("CATEGORY_CYCLE", "A category cannot move under itself or its descendants.", "parent_id")
    if (parent.id if parent else None) == current.parent_id:
        return {}
    new_path = f"{parent.path if parent else '/'}{current.id}/"
    subtree = await Category.filter(brand_id=category.brand_id, path__startswith=current.path)
    if max(len(c.path) for c in subtree) - len(current.path) + len(new_path) > MAX_PATH:
        raise DomainError("CATEGORY_TOO_DEEP", "The category tree cannot grow deeper here.", "parent_id")
    for node in subtree:
        node.path = new_path + node.path[len(current.path) :]
    await Category.bulk_update(subtree, fields=["path"])
    position = await next_position(_children(category.brand_id, parent))
    return {"parent_id": parent.id if parent else None, "position": position}


async def update_category(actor: Actor, category_id: int, changes: Mapping[str, Any]) -> Category:
    """`parent_id` in `changes` moves the category (None: to the top level), its descendants with it."""
    category = await load_owned(actor, Category, category_id, "category")
    problems = Problems()
    values = await _texts(problems, Category, category.brand_id, changes, partial=True, row_id=category.id)
    problems.check()
    try:
        async with in_transaction():
            if "parent_id" in changes:
                values.update(await _move(category, changes["parent_id"]))
            if values:
                await Category.filter(id=category.id).update(**values)
            await emit(
                "category.updated", {"category_id": category.id, "fields": sorted(values)}, brand_id=category.brand_id
            )
    except IntegrityError:
        raise _slug_taken(values.get("slug")) from None
    return await Category.get(id=category.id)


async def delete_category(actor: Actor, category_id: int) -> Category:
    """Refused while it has sub-categories; its products stay, without a category."""
    category = await load_owned(actor, Category, category_id, "category")
    has_children = DomainError("CATEGORY_HAS_CHILDREN", "Move or delete its sub-categories first.", "id")
    if await Category.exists(parent_id=category.id):
        raise has_children
    try:
        async with in_transaction():
            await Product.filter(category_id=category.id).update(category_id=None)
            await Category.filter(id=category.id).delete()
            await emit("category.deleted", {"category_id": category.id}, brand_id=category.brand_id)
    except IntegrityError:  # a sub-category was added meanwhile (the parent key is ON DELETE RESTRICT)
        raise has_children from None
    return category


async def translate_category(
    actor: Actor, category_id: int, language: str, texts: Mapping[str, str | None]
) -> Category:
    category = await load_owned(actor, Category, category_id, "category")
    merged = validation.merge_translation(category.translations, language, texts, TEXTS)
    async with in_transaction():
        await Category.filter(id=category.id).update(translations=merged)
        await emit(
            "category.updated", {"category_id": category.id, "fields": ["translations"]}, brand_id=category.brand_id
        )
    return await Category.get(id=category.id)


# --- collections -------------------------------------------------------------------------------------------


async def create_collection(actor: Actor, brand: Brand, data: Mapping[str, Any]) -> Collection:
    actor.require(brand.id, Permission.MANAGE_PRODUCTS)
    problems = Problems()
    values = await _texts(problems, Collection, brand.id, data, partial=False)
    problems.check()
    values.setdefault("slug", await unique_slug(Collection, brand.id, values["name"], "collection"))
    try:
        async with in_transaction():
            collection = await Collection.create(
                brand_id=brand.id, is_published=bool(data.get("is_published", True)), **values
            )
            await emit(
                "collection.created", {"collection_id": collection.id, "slug": collection.slug}, brand_id=brand.id
            )
    except IntegrityError:
        raise _slug_taken(values["slug"]) from None
    return collection


async def update_collection(actor: Actor, collection_id: int, changes: Mapping[str, Any]) -> Collection:
    collection = await load_owned(actor, Collection, collection_id, "collection")
    problems = Problems()
    values = await _texts(problems, Collection, collection.brand_id, changes, partial=True, row_id=collection.id)
    if changes.get("is_published") is not None:
        values["is_published"] = bool(changes["is_published"])
    problems.check()
    try:
        async with in_transaction():
            if values:
                await Collection.filter(id=collection.id).update(**values)
            await emit(
                "collection.updated",
                {"collection_id": collection.id, "fields": sorted(values)},
                brand_id=collection.brand_id,
            )
    except IntegrityError:
        raise _slug_taken(values.get("slug")) from None
    return await Collection.get(id=collection.id)


async def delete_collection(actor: Actor, collection_id: int) -> Collection:
    collection = await load_owned(actor, Collection, collection_id, "collection")
    async with in_transaction():
        await Collection.filter(id=collection.id).delete()
        await emit("collection.deleted", {"collection_id": collection.id}, brand_id=collection.brand_id)
    return collection


async def translate_collection(
    actor: Actor, collection_id: int, language: str, texts: Mapping[str, str | None]
) -> Collection:
    collection = await load_owned(actor, Collection, collection_id, "collection")
    merged = validation.merge_translation(collection.translations, language, texts, TEXTS)
    async with in_transaction():
        await Collection.filter(id=collection.id).update(translations=merged)
        await emit(
            "collection.updated",
            {"collection_id": collection.id, "fields": ["translations"]},
            brand_id=collection.brand_id,
        )
    return await Collection.get(id=collection.id)


def _distinct(product_ids: Sequence[int]) -> list[int]:
    if len(product_ids) > MAX_PRODUCTS:
        raise DomainError("TOO_MANY_PRODUCTS", f"Give at most {MAX_PRODUCTS} products at once.", "product_ids")
    return list(dict.fromkeys(product_ids))


async def add_products(actor: Actor, collection_id: int, product_ids: Sequence[int]) -> Collection:
    """Appends the products, in the order given, after those already in; ones already in stay where they are."""
    collection = await load_owned(actor, Collection, collection_id, "collection")
    ids = _distinct(product_ids)
    found = set(await Product.filter(brand_id=collection.brand_id, id__in=ids).values_list("id", flat=True))
    if len(found) < len(ids):
        raise DomainError("NOT_FOUND", "Some of these products do not exist in this brand.", "product_ids")
    async with in_transaction():
        await _lock(Collection, collection.id)  # one order change of a collection at a time
        entries = CollectionProduct.filter(collection_id=collection.id)
        existing = set(await entries.values_list("product_id", flat=True))
        added = [product_id for product_id in ids if product_id not in existing]
        start = await next_position(entries)
        await CollectionProduct.bulk_create(
            [
                CollectionProduct(collection_id=collection.id, product_id=p, position=start + n)
                for n, p in enumerate(added)
            ]
        )
        await emit(
            "collection.products_added",
            {"collection_id": collection.id, "product_ids": added},
            brand_id=collection.brand_id,
        )
    return collection


async def remove_products(actor: Actor, collection_id: int, product_ids: Sequence[int]) -> Collection:
    """Products that are not in the collection are ignored."""
    collection = await load_owned(actor, Collection, collection_id, "collection")
    ids = _distinct(product_ids)
    async with in_transaction():
        await CollectionProduct.filter(collection_id=collection.id, product_id__in=ids).delete()
        await emit(
            "collection.products_removed",
            {"collection_id": collection.id, "product_ids": ids},
            brand_id=collection.brand_id,
        )
    return collection


async def reorder_products(actor: Actor, collection_id: int, product_ids: Sequence[int]) -> Collection:
    """The given products first, in the given order; any not mentioned follow in their current order."""
    collection = await load_owned(actor, Collection, collection_id, "collection")
    ids = _distinct(product_ids)
    if len(ids) < len(product_ids):
        raise DomainError("DUPLICATE_PRODUCT", "Each product may be listed once.", "product_ids")
    async with in_transaction():
        await _lock(Collection, collection.id)
        entries = await CollectionProduct.filter(collection_id=collection.id).order_by("position", "id")
        by_product = {entry.product_id: entry for entry in entries}
        if any(product_id not in by_product for product_id in ids):
            raise DomainError("NOT_IN_COLLECTION", "Some of these products are not in the collection.", "product_ids")
        mentioned = set(ids)
        order = ids + [entry.product_id for entry in entries if entry.product_id not in mentioned]
        for position, product_id in enumerate(order):
            by_product[product_id].position = position
        if entries:
            await CollectionProduct.bulk_update(entries, fields=["position"])
        await emit(
            "collection.products_reordered",
            {"collection_id": collection.id, "product_ids": order},
            brand_id=collection.brand_id,
        )
    return collection


async def collection_products(collection_id: int) -> list[Product]:
    """A collection's products in its order (for the management payloads)."""
    query = CollectionProduct.filter(collection_id=collection_id).select_related("product")
    entries = await query.order_by("position", "id")
    return [entry.product for entry in entries]
