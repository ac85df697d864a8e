"""Catalog management over GraphQL, continued: categories, collections and attribute definitions.

Part of catalog management (`schema.catalog.management`, whose MUTATIONS include these); the conventions are
the same.
"""

from __future__ import annotations

from typing import Annotated

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
from schema.arguments import AttributeId, BrandSlug, CategoryId, CollectionId
from schema.catalog.management_types import (
    Attribute,
    AttributeChoice,
    AttributeChoiceTranslationInput,
    AttributeTranslationInput,
    CategoryTranslationInput,
    CollectionTranslationInput,
    brand_locale,
    decode_ids,
    decode_optional,
)
from schema.catalog.products import AttributeTypeEnum, Category, Collection, Product
from schema.errors import UserError, attempt
from schema.inputs import changes, plain
from schema.permissions import BrandPermission, guard
from schema.relay import decode_id

MANAGE_PRODUCTS = BrandPermission(Permission.MANAGE_PRODUCTS)


@strawberry.input(description="A new category. Its name gives the slug unless one is given.")
class CategoryCreateInput:
    name: str = strawberry.field(
        description="The name in the brand's default language; 1–200 characters (INVALID_NAME)."
    )
    slug: str | None = strawberry.field(default=None, description="Made from the name when not given.")
    parent_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description=(
            "The parent Category's global ID; none: a top-level category. Another brand's: NOT_FOUND;"
            " too deep a tree: CATEGORY_TOO_DEEP."
        ),
    )
    description: str = strawberry.field(default="", description="Plain text; at most 5000 characters (TOO_LONG).")
    translations: list[CategoryTranslationInput] = strawberry.field(
        default_factory=list, description="Texts in other languages, each language once."
    )


@strawberry.input(description="Only the fields given are changed; `parentId` moves it (null: to the top level).")
class CategoryUpdateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="1–200 characters (INVALID_NAME).")
    slug: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Lowercase letters, digits and single hyphens, at most 200 (INVALID_SLUG), unique within "
            "the brand (SLUG_TAKEN)."
        ),
    )
    parent_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "The new parent Category's global ID, or null for the top level; under itself or a "
            "descendant: CATEGORY_CYCLE."
        ),
    )
    description: str | None = strawberry.field(default=strawberry.UNSET, description="At most 5000 characters.")
    translations: list[CategoryTranslationInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces all translations."
    )


@strawberry.input(description="A new, empty collection. Its name gives the slug unless one is given.")
class CollectionCreateInput:
    name: str = strawberry.field(
        description="The name in the brand's default language; 1–200 characters (INVALID_NAME)."
    )
    slug: str | None = strawberry.field(default=None, description="Made from the name when not given.")
    description: str = strawberry.field(default="", description="Plain text; at most 5000 characters (TOO_LONG).")
    is_published: bool = strawberry.field(
        default=True, description="Whether the storefront shows it (true by default)."
    )
    translations: list[CollectionTranslationInput] = strawberry.field(
        default_factory=list, description="Texts in other languages, each language once."
    )


@strawberry.input(description="Only the fields given are changed.")
class CollectionUpdateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="1–200 characters (INVALID_NAME).")
    slug: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Lowercase letters, digits and single hyphens, at most 200 (INVALID_SLUG), unique within "
            "the brand (SLUG_TAKEN)."
        ),
    )
    description: str | None = strawberry.field(default=strawberry.UNSET, description="At most 5000 characters.")
    is_published: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether the storefront shows it."
    )
    translations: list[CollectionTranslationInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces all translations."
    )


@strawberry.input(description="Products of the collection's brand, each once.")
class CollectionProductsInput:
    product_ids: list[relay.GlobalID] = strawberry.field(
        description="Product global IDs, at most 500 (TOO_MANY_PRODUCTS); one not of this brand: NOT_FOUND."
    )


@strawberry.input(description="One choice of a CHOICE attribute.")
class AttributeChoiceInput:
    code: str = strawberry.field(
        description=("1–64 lowercase letters, digits, - and _ (INVALID_CODE), unique in the attribute (CODE_TAKEN).")
    )
    label: str = strawberry.field(
        description="The label in the brand's default language; 1–200 characters (INVALID_LABEL)."
    )
    translations: list[AttributeChoiceTranslationInput] = strawberry.field(
        default_factory=list, description="The label in other languages."
    )


@strawberry.input(description="A new product attribute.")
class AttributeCreateInput:
    code: str = strawberry.field(description="The handle filters use: lowercase letters, digits, - and _.")
    name: str = strawberry.field(
        description="The name in the brand's default language; 1–200 characters (INVALID_NAME)."
    )
    type: AttributeTypeEnum = strawberry.field(description="What kind of value it holds.")  # type: ignore[valid-type]
    unit: str = strawberry.field(
        default="", description="The unit of a NUMBER attribute (e.g. `cm`, `g/m²`); at most 16 characters."
    )
    filterable: bool = strawberry.field(
        default=True, description="Whether the storefront should offer it as a filter (true by default)."
    )
    choices: list[AttributeChoiceInput] = strawberry.field(default_factory=list, description="CHOICE only.")
    translations: list[AttributeTranslationInput] = strawberry.field(
        default_factory=list, description="The name in other languages."
    )


@strawberry.input(description="Only the fields given are changed.")
class AttributeUpdateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="1–200 characters (INVALID_NAME).")
    type: AttributeTypeEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET,
        description="A new type; refused with ATTRIBUTE_IN_USE once products carry values of it.",
    )
    unit: str | None = strawberry.field(default=strawberry.UNSET, description="At most 16 characters.")
    filterable: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether the storefront should offer it as a filter."
    )
    choices: list[AttributeChoiceInput] | None = strawberry.field(
        default=strawberry.UNSET, description="The full list: choices kept by code, others added or removed."
    )
    translations: list[AttributeTranslationInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the name's translations."
    )


@strawberry.type(description="The category after the change, or the errors and no change.")
class CategoryPayload:
    category: Category | None = strawberry.field(
        default=None,
        description=(
            "The category (in the edited language after a translation, else the brand's default); null when refused."
        ),
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type(description="The collection after the change, or the errors and no change.")
class CollectionPayload:
    collection: Collection | None = strawberry.field(default=None, description="The collection; null when refused.")
    products: list[Product] = strawberry.field(default_factory=list, description="The collection's products, in order.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type(description="The attribute after the change, or the errors and no change.")
class AttributePayload:
    attribute: Attribute | None = strawberry.field(
        default=None, description="The attribute with its choices; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type(description="The choice after the change, or the errors and no change.")
class AttributeChoicePayload:
    choice: AttributeChoice | None = strawberry.field(
        default=None, description="The choice, labelled in the edited language; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


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
        self,
        info: Info,
        input: Annotated[CategoryCreateInput, strawberry.argument(description="The new category.")],
        brand: BrandSlug = None,
    ) -> CategoryPayload:
        actor = await info.context.actor()

        async def run() -> CategoryModel:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_PRODUCTS)
            data = {**plain(input), "parent_id": decode_optional(input.parent_id, "Category", "parent_id")}
            return await taxonomy.create_category(actor, found, data)

        return await _category(*await attempt(run))

    @strawberry.mutation(**guard("Change or move a category (its sub-categories move with it).", MANAGE_PRODUCTS))
    async def category_update(
        self,
        info: Info,
        id: CategoryId,
        input: Annotated[CategoryUpdateInput, strawberry.argument(description="The fields to change.")],
    ) -> CategoryPayload:
        actor = await info.context.actor()

        async def run() -> CategoryModel:
            data = changes(input, nullable=("parent_id",))
            if "parent_id" in data:
                data["parent_id"] = decode_optional(input.parent_id, "Category", "parent_id")
            return await taxonomy.update_category(actor, decode_id(id, "Category"), data)

        return await _category(*await attempt(run))

    @strawberry.mutation(**guard("Delete a category without sub-categories; its products stay.", MANAGE_PRODUCTS))
    async def category_delete(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The Category's global ID; one of a brand you may not manage (or none) is refused with "
                    "FORBIDDEN. One with sub-categories: CATEGORY_HAS_CHILDREN."
                )
            ),
        ],
    ) -> CategoryPayload:
        actor = await info.context.actor()
        return await _category(*await attempt(lambda: taxonomy.delete_category(actor, decode_id(id, "Category"))))

    @strawberry.mutation(**guard("Set a category's texts in one language.", MANAGE_PRODUCTS))
    async def category_translation_update(
        self,
        info: Info,
        id: CategoryId,
        input: Annotated[CategoryTranslationInput, strawberry.argument(description="The language and its texts.")],
    ) -> CategoryPayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: taxonomy.translate_category(actor, decode_id(id, "Category"), input.language, _texts(input))
        )
        return await _category(row, errors, input.language)

    @strawberry.mutation(**guard("Create a collection (empty; add products next).", MANAGE_PRODUCTS))
    async def collection_create(
        self,
        info: Info,
        input: Annotated[CollectionCreateInput, strawberry.argument(description="The new collection.")],
        brand: BrandSlug = None,
    ) -> CollectionPayload:
        actor = await info.context.actor()

        async def run() -> CollectionModel:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_PRODUCTS)
            return await taxonomy.create_collection(actor, found, plain(input))

        return await _collection(*await attempt(run))

    @strawberry.mutation(**guard("Change a collection; only the fields given.", MANAGE_PRODUCTS))
    async def collection_update(
        self,
        info: Info,
        id: CollectionId,
        input: Annotated[CollectionUpdateInput, strawberry.argument(description="The fields to change.")],
    ) -> CollectionPayload:
        actor = await info.context.actor()
        return await _collection(
            *await attempt(lambda: taxonomy.update_collection(actor, decode_id(id, "Collection"), changes(input)))
        )

    @strawberry.mutation(**guard("Delete a collection; its products stay.", MANAGE_PRODUCTS))
    async def collection_delete(
        self,
        info: Info,
        id: CollectionId,
    ) -> CollectionPayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: taxonomy.delete_collection(actor, decode_id(id, "Collection")))
        return await _collection(row, errors, deleted=True)

    @strawberry.mutation(**guard("Set a collection's texts in one language.", MANAGE_PRODUCTS))
    async def collection_translation_update(
        self,
        info: Info,
        id: CollectionId,
        input: Annotated[CollectionTranslationInput, strawberry.argument(description="The language and its texts.")],
    ) -> CollectionPayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: taxonomy.translate_collection(actor, decode_id(id, "Collection"), input.language, _texts(input))
        )
        return await _collection(row, errors, input.language)

    @strawberry.mutation(**guard("Append products to a collection, in the order given.", MANAGE_PRODUCTS))
    async def collection_add_products(
        self,
        info: Info,
        id: CollectionId,
        input: Annotated[
            CollectionProductsInput,
            strawberry.argument(
                description="The products to append after those already in; ones already in stay where they are."
            ),
        ],
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
        self,
        info: Info,
        id: CollectionId,
        input: Annotated[CollectionProductsInput, strawberry.argument(description="The products to take out.")],
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
        self,
        info: Info,
        id: CollectionId,
        input: Annotated[
            CollectionProductsInput,
            strawberry.argument(
                description=(
                    "The products to put first, in this order (DUPLICATE_PRODUCT if one is listed twice, "
                    "NOT_IN_COLLECTION for one not in it); the rest follow in their current order."
                )
            ),
        ],
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
        self,
        info: Info,
        input: Annotated[
            AttributeCreateInput,
            strawberry.argument(description="The new attribute; a code the brand already has: CODE_TAKEN."),
        ],
        brand: BrandSlug = None,
    ) -> AttributePayload:
        actor = await info.context.actor()

        async def run() -> AttributeModel:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_PRODUCTS)
            return await attributes.create_attribute(actor, found, plain(input))

        return await _attribute(*await attempt(run))

    @strawberry.mutation(**guard("Change an attribute; only the fields given.", MANAGE_PRODUCTS))
    async def attribute_update(
        self,
        info: Info,
        id: AttributeId,
        input: Annotated[AttributeUpdateInput, strawberry.argument(description="The fields to change.")],
    ) -> AttributePayload:
        actor = await info.context.actor()
        data = changes(input)
        if "type" in data:
            data["type"] = AttributeType(data["type"])
        return await _attribute(
            *await attempt(lambda: attributes.update_attribute(actor, decode_id(id, "Attribute"), data))
        )

    @strawberry.mutation(**guard("Delete an attribute and every product's values of it.", MANAGE_PRODUCTS))
    async def attribute_delete(
        self,
        info: Info,
        id: AttributeId,
    ) -> AttributePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: attributes.delete_attribute(actor, decode_id(id, "Attribute")))
        return AttributePayload(attribute=Attribute.from_model(row, []) if row else None, errors=errors)

    @strawberry.mutation(**guard("Set an attribute's name in one language.", MANAGE_PRODUCTS))
    async def attribute_translation_update(
        self,
        info: Info,
        id: AttributeId,
        input: Annotated[
            AttributeTranslationInput, strawberry.argument(description="The language and the name in it.")
        ],
    ) -> AttributePayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: attributes.translate_attribute(actor, decode_id(id, "Attribute"), input.language, input.name)
        )
        return await _attribute(row, errors, input.language)

    @strawberry.mutation(**guard("Set an attribute choice's label in one language.", MANAGE_PRODUCTS))
    async def attribute_choice_translation_update(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The AttributeChoice's global ID; one of a brand you may not manage (or none) is refused "
                    "with FORBIDDEN."
                )
            ),
        ],
        input: Annotated[
            AttributeChoiceTranslationInput, strawberry.argument(description="The language and the label in it.")
        ],
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
