"""Catalog management over GraphQL, continued: categories, collections and attribute definitions.

Part of catalog management (`schema.catalog.management`, whose MUTATIONS include these); the conventions are
the same.
"""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import brands
from core.auth.permissions import Permission
from core.catalog import attributes, taxonomy
from core.catalog.models import Attribute as AttributeModel
from core.catalog.models import AttributeChoice as ChoiceModel
from core.catalog.models import AttributeType
from core.catalog.models import Category as CategoryModel
from core.catalog.models import Collection as CollectionModel
from schema.catalog.management_types import (
    Attribute,
    AttributeChoice,
    AttributeChoiceTranslationInput,
    AttributeTranslationInput,
    CategoryTranslationInput,
    CollectionTranslationInput,
    brand_locale,
    changes,
    decode_ids,
    decode_optional,
    plain,
)
from schema.catalog.products import AttributeTypeEnum, Category, Collection, Product
from schema.errors import UserError, attempt
from schema.permissions import BrandPermission, guard
from schema.relay import decode_id

MANAGE_PRODUCTS = BrandPermission(Permission.MANAGE_PRODUCTS)


@strawberry.input
class CategoryCreateInput:
    name: str
    slug: str | None = strawberry.field(default=None, description="Made from the name when not given.")
    parent_id: relay.GlobalID | None = None
    description: str = ""
    translations: list[CategoryTranslationInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Only the fields given are changed; `parentId` moves it (null: to the top level).")
class CategoryUpdateInput:
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    parent_id: relay.GlobalID | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    translations: list[CategoryTranslationInput] | None = strawberry.UNSET


@strawberry.input
class CollectionCreateInput:
    name: str
    slug: str | None = strawberry.field(default=None, description="Made from the name when not given.")
    description: str = ""
    is_published: bool = True
    translations: list[CollectionTranslationInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Only the fields given are changed.")
class CollectionUpdateInput:
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    is_published: bool | None = strawberry.UNSET
    translations: list[CollectionTranslationInput] | None = strawberry.UNSET


@strawberry.input
class CollectionProductsInput:
    product_ids: list[relay.GlobalID]


@strawberry.input
class AttributeChoiceInput:
    code: str
    label: str
    translations: list[AttributeChoiceTranslationInput] = strawberry.field(default_factory=list)


@strawberry.input
class AttributeCreateInput:
    code: str = strawberry.field(description="The handle filters use: lowercase letters, digits, - and _.")
    name: str
    type: AttributeTypeEnum  # type: ignore[valid-type]
    unit: str = ""
    filterable: bool = True
    choices: list[AttributeChoiceInput] = strawberry.field(default_factory=list, description="CHOICE only.")
    translations: list[AttributeTranslationInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Only the fields given are changed.")
class AttributeUpdateInput:
    name: str | None = strawberry.UNSET
    type: AttributeTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    unit: str | None = strawberry.UNSET
    filterable: bool | None = strawberry.UNSET
    choices: list[AttributeChoiceInput] | None = strawberry.field(
        default=strawberry.UNSET, description="The full list: choices kept by code, others added or removed."
    )
    translations: list[AttributeTranslationInput] | None = strawberry.UNSET


@strawberry.type
class CategoryPayload:
    category: Category | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CollectionPayload:
    collection: Collection | None = None
    products: list[Product] = strawberry.field(default_factory=list, description="The collection's products, in order.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AttributePayload:
    attribute: Attribute | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AttributeChoicePayload:
    choice: AttributeChoice | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _category(row: CategoryModel | None, errors: list[UserError], language: str | None = None) -> CategoryPayload:
    if row is None:
        return CategoryPayload(errors=errors)
    return CategoryPayload(category=Category.from_model(row, await brand_locale(row.brand_id, language)))


async def _collection(
    row: CollectionModel | None, errors: list[UserError], language: str | None = None, *, deleted: bool = False
) -> CollectionPayload:
    if row is None:
        return CollectionPayload(errors=errors)
    locale = await brand_locale(row.brand_id, language)
    products = [] if deleted else await taxonomy.collection_products(row.id)
    return CollectionPayload(
        collection=Collection.from_model(row, locale), products=[Product.from_model(p, locale) for p in products]
    )


async def _attribute(
    row: AttributeModel | None, errors: list[UserError], language: str | None = None
) -> AttributePayload:
    return AttributePayload(attribute=await Attribute.load(row, language) if row else None, errors=errors)


def _texts(input: object) -> dict[str, str | None]:
    return {k: v for k, v in plain(input).items() if k != "language"}


@strawberry.type
class CatalogTaxonomyMutation:
    @strawberry.mutation(**guard("Create a category, at the top level or under `parentId`.", MANAGE_PRODUCTS))
    async def category_create(
        self, info: Info, input: CategoryCreateInput, brand: str | None = None
    ) -> CategoryPayload:
        actor = await info.context.actor()

        async def run() -> CategoryModel:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_PRODUCTS)
            data = {**plain(input), "parent_id": decode_optional(input.parent_id, "Category", "parent_id")}
            return await taxonomy.create_category(actor, found, data)

        return await _category(*await attempt(run))

    @strawberry.mutation(**guard("Change or move a category (its sub-categories move with it).", MANAGE_PRODUCTS))
    async def category_update(self, info: Info, id: relay.GlobalID, input: CategoryUpdateInput) -> CategoryPayload:
        actor = await info.context.actor()

        async def run() -> CategoryModel:
            data = changes(input, nullable=("parent_id",))
            if "parent_id" in data:
                data["parent_id"] = decode_optional(input.parent_id, "Category", "parent_id")
            return await taxonomy.update_category(actor, decode_id(id, "Category"), data)

        return await _category(*await attempt(run))

    @strawberry.mutation(**guard("Delete a category without sub-categories; its products stay.", MANAGE_PRODUCTS))
    async def category_delete(self, info: Info, id: relay.GlobalID) -> CategoryPayload:
        actor = await info.context.actor()
        return await _category(*await attempt(lambda: taxonomy.delete_category(actor, decode_id(id, "Category"))))

    @strawberry.mutation(**guard("Set a category's texts in one language.", MANAGE_PRODUCTS))
    async def category_translation_update(
        self, info: Info, id: relay.GlobalID, input: CategoryTranslationInput
    ) -> CategoryPayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: taxonomy.translate_category(actor, decode_id(id, "Category"), input.language, _texts(input))
        )
        return await _category(row, errors, input.language)

    @strawberry.mutation(**guard("Create a collection (empty; add products next).", MANAGE_PRODUCTS))
    async def collection_create(
        self, info: Info, input: CollectionCreateInput, brand: str | None = None
    ) -> CollectionPayload:
        actor = await info.context.actor()

        async def run() -> CollectionModel:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_PRODUCTS)
            return await taxonomy.create_collection(actor, found, plain(input))

        return await _collection(*await attempt(run))

    @strawberry.mutation(**guard("Change a collection; only the fields given.", MANAGE_PRODUCTS))
    async def collection_update(
        self, info: Info, id: relay.GlobalID, input: CollectionUpdateInput
    ) -> CollectionPayload:
        actor = await info.context.actor()
        return await _collection(
            *await attempt(lambda: taxonomy.update_collection(actor, decode_id(id, "Collection"), changes(input)))
        )

    @strawberry.mutation(**guard("Delete a collection; its products stay.", MANAGE_PRODUCTS))
    async def collection_delete(self, info: Info, id: relay.GlobalID) -> CollectionPayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: taxonomy.delete_collection(actor, decode_id(id, "Collection")))
        return await _collection(row, errors, deleted=True)

    @strawberry.mutation(**guard("Set a collection's texts in one language.", MANAGE_PRODUCTS))
    async def collection_translation_update(
        self, info: Info, id: relay.GlobalID, input: CollectionTranslationInput
    ) -> CollectionPayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: taxonomy.translate_collection(actor, decode_id(id, "Collection"), input.language, _texts(input))
        )
        return await _collection(row, errors, input.language)

    @strawberry.mutation(**guard("Append products to a collection, in the order given.", MANAGE_PRODUCTS))
    async def collection_add_products(
        self, info: Info, id: relay.GlobalID, input: CollectionProductsInput
    ) -> CollectionPayload:
        actor = await info.context.actor()
        return await _collection(
            *await attempt(
                lambda: taxonomy.add_products(
                    actor, decode_id(id, "Collection"), decode_ids(input.product_ids, "Product", "product_ids")
                )
            )
        )

    @strawberry.mutation(**guard("Take products out of a collection.", MANAGE_PRODUCTS))
    async def collection_remove_products(
        self, info: Info, id: relay.GlobalID, input: CollectionProductsInput
    ) -> CollectionPayload:
        actor = await info.context.actor()
        return await _collection(
            *await attempt(
                lambda: taxonomy.remove_products(
                    actor, decode_id(id, "Collection"), decode_ids(input.product_ids, "Product", "product_ids")
                )
            )
        )

    @strawberry.mutation(**guard("Order a collection: the given products first, in that order.", MANAGE_PRODUCTS))
    async def collection_reorder_products(
        self, info: Info, id: relay.GlobalID, input: CollectionProductsInput
    ) -> CollectionPayload:
        actor = await info.context.actor()
        return await _collection(
            *await attempt(
                lambda: taxonomy.reorder_products(
                    actor, decode_id(id, "Collection"), decode_ids(input.product_ids, "Product", "product_ids")
                )
            )
        )

    @strawberry.mutation(**guard("Define a product attribute (with its choices, for CHOICE).", MANAGE_PRODUCTS))
    async def attribute_create(
        self, info: Info, input: AttributeCreateInput, brand: str | None = None
    ) -> AttributePayload:
        actor = await info.context.actor()

        async def run() -> AttributeModel:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_PRODUCTS)
            return await attributes.create_attribute(actor, found, plain(input))

        return await _attribute(*await attempt(run))

    @strawberry.mutation(**guard("Change an attribute; only the fields given.", MANAGE_PRODUCTS))
    async def attribute_update(self, info: Info, id: relay.GlobalID, input: AttributeUpdateInput) -> AttributePayload:
        actor = await info.context.actor()
        data = changes(input)
        if "type" in data:
            data["type"] = AttributeType(data["type"])
        return await _attribute(
            *await attempt(lambda: attributes.update_attribute(actor, decode_id(id, "Attribute"), data))
        )

    @strawberry.mutation(**guard("Delete an attribute and every product's values of it.", MANAGE_PRODUCTS))
    async def attribute_delete(self, info: Info, id: relay.GlobalID) -> AttributePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: attributes.delete_attribute(actor, decode_id(id, "Attribute")))
        return AttributePayload(attribute=Attribute.from_model(row, []) if row else None, errors=errors)

    @strawberry.mutation(**guard("Set an attribute's name in one language.", MANAGE_PRODUCTS))
    async def attribute_translation_update(
        self, info: Info, id: relay.GlobalID, input: AttributeTranslationInput
    ) -> AttributePayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: attributes.translate_attribute(actor, decode_id(id, "Attribute"), input.language, input.name)
        )
        return await _attribute(row, errors, input.language)

    @strawberry.mutation(**guard("Set an attribute choice's label in one language.", MANAGE_PRODUCTS))
    async def attribute_choice_translation_update(
        self, info: Info, id: relay.GlobalID, input: AttributeChoiceTranslationInput
    ) -> AttributeChoicePayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: attributes.translate_choice(actor, decode_id(id, "AttributeChoice"), input.language, input.label)
        )
        choice: ChoiceModel | None = row
        return AttributeChoicePayload(
            choice=AttributeChoice.from_model(choice, input.language) if choice else None, errors=errors
        )


MUTATIONS = (CatalogTaxonomyMutation,)
