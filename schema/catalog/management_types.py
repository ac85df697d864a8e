"""Types shared by the catalog management API (`schema.catalog.management*`): what staff see in payloads, the
translation inputs (schema/inputs.py turns strawberry inputs into the plain dicts the core services take).

Products, variants, categories and collections are returned as the storefront types of `schema.catalog.products`,
rendered in the brand's own language and currency, so one client model serves both sides.
"""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors.models import Brand as BrandModel
from core.auth.permissions import Permission
from core.catalog.models import Attribute as AttributeModel
from core.catalog.models import AttributeChoice as ChoiceModel
from core.catalog.models import Product as ProductModel
from core.catalog.models import ProductMedia as MediaModel
from core.catalog.translations import pick
from schema.catalog.products import AttributeTypeEnum, Product
from schema.errors import UserError
from schema.locale import Locale
from schema.relay import decode_id


async def brand_locale(brand_id: int, language: str | None = None) -> Locale:
    """How management payloads render storefront types: the brand's own language (or the one just edited)."""
    brand = await BrandModel.get(id=brand_id)
    return Locale(language=language or brand.default_language, currency=brand.default_currency)


async def render_product(product: ProductModel | None, language: str | None = None) -> Product | None:
    if product is None:
        return None
    return Product.from_model(product, await brand_locale(product.brand_id, language))


def decode_ids(ids: list[relay.GlobalID], type_name: str, field: str) -> list[int]:
    return [decode_id(id, type_name, field) for id in ids]


def decode_optional(id: relay.GlobalID | None, type_name: str, field: str) -> int | None:
    return None if id is None else decode_id(id, type_name, field)


# --- translations ------------------------------------------------------------------------------------------


@strawberry.input(description="A product's texts in one language (id, en, ms, tr, ar); an empty text is removed.")
class ProductTranslationInput:
    language: str = strawberry.field(
        description=("The language (`id`, `en`, `ms`, `tr` or `ar`); another, or one given twice: INVALID_LANGUAGE.")
    )
    name: str | None = strawberry.field(
        default=None, description="The name; at most 250 characters. Null keeps the current text, empty removes it."
    )
    description: str | None = strawberry.field(
        default=None, description="The description; at most 20,000 characters. Null keeps, empty removes."
    )
    seo_title: str | None = strawberry.field(
        default=None, description="At most 250 characters. Null keeps, empty removes."
    )
    seo_description: str | None = strawberry.field(
        default=None, description="At most 500 characters. Null keeps, empty removes."
    )


@strawberry.input(description="A category's texts in one language (id, en, ms, tr, ar); an empty text is removed.")
class CategoryTranslationInput:
    language: str = strawberry.field(
        description=("The language (`id`, `en`, `ms`, `tr` or `ar`); another, or one given twice: INVALID_LANGUAGE.")
    )
    name: str | None = strawberry.field(
        default=None, description="The name; at most 200 characters. Null keeps the current text, empty removes it."
    )
    description: str | None = strawberry.field(
        default=None, description=("The description; at most 5000 characters. Null keeps, empty removes.")
    )


@strawberry.input(description="A collection's texts in one language (id, en, ms, tr, ar); an empty text is removed.")
class CollectionTranslationInput:
    language: str = strawberry.field(
        description=("The language (`id`, `en`, `ms`, `tr` or `ar`); another, or one given twice: INVALID_LANGUAGE.")
    )
    name: str | None = strawberry.field(
        default=None, description="The name; at most 200 characters. Null keeps the current text, empty removes it."
    )
    description: str | None = strawberry.field(
        default=None, description=("The description; at most 5000 characters. Null keeps, empty removes.")
    )


@strawberry.input(description="An attribute's name in one language.")
class AttributeTranslationInput:
    language: str = strawberry.field(
        description=("The language (`id`, `en`, `ms`, `tr` or `ar`); another, or one given twice: INVALID_LANGUAGE.")
    )
    name: str | None = strawberry.field(
        default=None,
        description="The attribute's name in that language. Null keeps the current text, empty removes it.",
    )


@strawberry.input(description="An attribute choice's label in one language.")
class AttributeChoiceTranslationInput:
    language: str = strawberry.field(
        description=("The language (`id`, `en`, `ms`, `tr` or `ar`); another, or one given twice: INVALID_LANGUAGE.")
    )
    label: str | None = strawberry.field(
        default=None, description="The choice's label in that language. Null keeps the current text, empty removes it."
    )


@strawberry.input(description="An image's alternative text in one language.")
class ProductMediaTranslationInput:
    language: str = strawberry.field(
        description=("The language (`id`, `en`, `ms`, `tr` or `ar`); another, or one given twice: INVALID_LANGUAGE.")
    )
    alt: str | None = strawberry.field(
        default=None,
        description=("The image's alternative text in that language. Null keeps the current text, empty removes it."),
    )


# --- management types --------------------------------------------------------------------------------------


async def _can_manage(info: Info, brand_ids: dict[int, int]) -> set[int]:
    """The rows (id → brand id) whose brand the caller may manage: management nodes are not public."""
    actor = await info.context.actor()
    return {row_id for row_id, brand_id in brand_ids.items() if actor.can(brand_id, Permission.MANAGE_PRODUCTS)}


@strawberry.type(description="One of the values a CHOICE attribute offers (chiffon, crepe, wolfis…).")
class AttributeChoice(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(
        description=(
            "The choice's code within its attribute (1–64 lowercase letters, digits, - and _), used "
            "in filters and `choiceCodes`."
        )
    )
    label: str = strawberry.field(description="The label shoppers see, in the brand's default language.")
    position: int = strawberry.field(description="Its place in the attribute's list, smallest first.")

    @classmethod
    def from_model(cls, choice: ChoiceModel, language: str | None = None) -> AttributeChoice:
        label = pick(choice.translations, "label", choice.label, language) if language else choice.label
        return cls(id=choice.id, code=choice.code, label=label, position=choice.position)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[AttributeChoice | None]:
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {c.id: c for c in await ChoiceModel.filter(id__in=ids).select_related("attribute")}
        visible = await _can_manage(info, {c.id: c.attribute.brand_id for c in rows.values()})
        return [cls.from_model(rows[int(i)]) if i.isdigit() and int(i) in visible else None for i in node_ids]


@strawberry.type(description="A typed product property the brand defines, as its staff manage it.")
class Attribute(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(
        description=(
            "The attribute's code within the brand (1–64 lowercase letters, digits, - and _), used in"
            " filters and `attributeCode`."
        )
    )
    name: str = strawberry.field(description="The name shoppers see, in the brand's default language.")
    type: AttributeTypeEnum = strawberry.field(  # type: ignore[valid-type]
        description="The kind of value it holds; fixed once products carry values."
    )
    unit: str = strawberry.field(description="The unit of a NUMBER attribute (e.g. `cm`, `g/m²`); empty otherwise.")
    filterable: bool = strawberry.field(
        description=(
            "Whether the brand marks it for storefront filters (a hint for the storefront's filter "
            "UI: `AttributeFilter` takes any attribute)."
        )
    )
    position: int = strawberry.field(description="Its place in the brand's attribute list, smallest first.")
    choices: list[AttributeChoice] = strawberry.field(
        description="A CHOICE attribute's choices in order; empty for other types."
    )

    @classmethod
    def from_model(
        cls, attribute: AttributeModel, choices: list[ChoiceModel], language: str | None = None
    ) -> Attribute:
        name = pick(attribute.translations, "name", attribute.name, language) if language else attribute.name
        return cls(
            id=attribute.id,
            code=attribute.code,
            name=name,
            type=attribute.type,
            unit=attribute.unit,
            filterable=attribute.filterable,
            position=attribute.position,
            choices=[AttributeChoice.from_model(c, language) for c in choices],
        )

    @classmethod
    async def load(cls, attribute: AttributeModel, language: str | None = None) -> Attribute:
        choices = await ChoiceModel.filter(attribute_id=attribute.id).order_by("position", "id")
        return cls.from_model(attribute, list(choices), language)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Attribute | None]:
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {a.id: a for a in await AttributeModel.filter(id__in=ids)}
        visible = await _can_manage(info, {a.id: a.brand_id for a in rows.values()})
        return [await cls.load(rows[int(i)]) if i.isdigit() and int(i) in visible else None for i in node_ids]


@strawberry.type(
    description="A product image as staff manage it; `id` is what `productMediaDelete` and `productMediaReorder` "
    "take. A `Node`: `node(id:)` refetches it for staff who may manage the brand's products (null for anyone "
    "else); IDs issued before it was one (`ProductMedia:<n>`) still resolve and are still taken, for now."
)
class ManagedProductMedia(relay.Node):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="The image's absolute URL.")
    alt: str = strawberry.field(description="Alternative text in the brand's default language; may be empty.")
    position: int = strawberry.field(
        description="Its place among the product's images, smallest first (the first is the thumbnail)."
    )

    @classmethod
    def from_model(cls, media: MediaModel) -> ManagedProductMedia:
        return cls(id=media.id, url=media.url, alt=media.alt, position=media.position)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[ManagedProductMedia | None]:
        """On the terms of the media mutations that show it: MANAGE_PRODUCTS in its product's brand."""
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {m.id: m for m in await MediaModel.filter(id__in=ids).select_related("product")}
        visible = await _can_manage(info, {m.id: m.product.brand_id for m in rows.values()})
        return [cls.from_model(rows[int(i)]) if i.isdigit() and int(i) in visible else None for i in node_ids]


@strawberry.type(description="A problem with one item of a bulk input; nothing was created.")
class ProductBulkCreateError:
    field: str | None = strawberry.field(description="The input field at fault, e.g. products.3.variants.0.sku.")
    code: str = strawberry.field(
        description="A machine-readable code, as in `UserError.code` (e.g. SKU_TAKEN, INVALID_PRICE)."
    )
    message: str = strawberry.field(description="What is wrong, in English, for the person who made the input.")
    index: int | None = strawberry.field(description="The position of the product at fault in `products`.")


def bulk_errors(errors: list[UserError]) -> list[ProductBulkCreateError]:
    result = []
    for error in errors:
        parts = (error.field or "").split(".")
        index = int(parts[1]) if len(parts) > 1 and parts[0] == "products" and parts[1].isdigit() else None
        result.append(ProductBulkCreateError(field=error.field, code=error.code, message=error.message, index=index))
    return result
