"""Product images over GraphQL: linked by URL, uploaded (multipart request), removed and reordered.

Part of catalog management (`schema.catalog.management`, whose MUTATIONS include these). Uploads go to the
storage backend built from `[media]` settings; the server publishes it under `/media`.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.types import Info

from core.auth.permissions import Permission
from core.catalog import media
from core.catalog.models import Product as ProductModel
from core.catalog.models import ProductMedia as MediaModel
from schema.arguments import ProductId
from schema.catalog.management_types import (
    ManagedProductMedia,
    ProductMediaTranslationInput,
    decode_ids,
    render_product,
)
from schema.catalog.products import Product
from schema.errors import UserError, attempt
from schema.inputs import plain
from schema.permissions import BrandPermission, guard
from schema.relay import decode_id

MANAGE_PRODUCTS = BrandPermission(Permission.MANAGE_PRODUCTS)


@strawberry.input(description="An image the brand hosts elsewhere, by its http(s) URL.")
class ProductMediaCreateInput:
    url: str = strawberry.field(
        description=(
            "The image's absolute http(s) URL, at most 1000 characters (INVALID_URL); it is linked, not copied."
        )
    )
    alt: str = strawberry.field(
        default="", description="Alternative text in the brand's default language; at most 250 characters."
    )
    translations: list[ProductMediaTranslationInput] = strawberry.field(
        default_factory=list, description="The alternative text in other languages."
    )


@strawberry.input(description="The images in their new order; any not listed follow in their current order.")
class ProductMediaReorderInput:
    media_ids: list[relay.GlobalID] = strawberry.field(
        description=(
            "`ManagedProductMedia.id`s of this product, each once (DUPLICATE_MEDIA); another product's: NOT_FOUND."
        )
    )


@strawberry.type(description="The image after the change and its product, or the errors and no change.")
class ProductMediaPayload:
    media: ManagedProductMedia | None = strawberry.field(default=None, description="The image; null when refused.")
    product: Product | None = strawberry.field(default=None, description="The image's product; null when refused.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type(description="The product's images in their new order, or the errors and no change.")
class ProductMediaReorderPayload:
    media: list[ManagedProductMedia] = strawberry.field(
        default_factory=list, description="All of the product's images, in the new order; empty when refused."
    )
    product: Product | None = strawberry.field(default=None, description="The product; null when refused.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


async def _media_payload(row: MediaModel | None, errors: list[UserError]) -> ProductMediaPayload:
    if row is None:
        return ProductMediaPayload(errors=errors)
    product = await ProductModel.get_or_none(id=row.product_id)
    return ProductMediaPayload(
        media=ManagedProductMedia.from_model(row), product=await render_product(product), errors=errors
    )


@strawberry.type
class CatalogMediaMutation:
    @strawberry.mutation(**guard("Add an image by its http(s) URL; it goes last.", MANAGE_PRODUCTS))
    async def product_media_create(
        self,
        info: Info,
        product_id: ProductId,
        input: Annotated[
            ProductMediaCreateInput, strawberry.argument(description="The image's URL and alternative texts.")
        ],
    ) -> ProductMediaPayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: media.create_from_url(
                actor,
                decode_id(product_id, "Product", "product_id"),
                input.url,
                input.alt,
                plain(input.translations),
            )
        )
        return await _media_payload(row, errors)

    @strawberry.mutation(
        **guard(
            "Upload a JPEG, PNG or WebP image (multipart request); it goes last. It is decoded and stored anew "
            "without EXIF (camera, GPS position) or other metadata, with thumbnails of 64 to 1024 pixels for "
            "`Product.thumbnail(size:)`. Errors: FILE_TOO_LARGE, INVALID_FILE_TYPE, INVALID_IMAGE (not a readable "
            "image), IMAGE_TOO_LARGE (over 40 megapixels).",
            MANAGE_PRODUCTS,
        )
    )
    async def product_media_upload(
        self,
        info: Info,
        product_id: ProductId,
        file: Annotated[
            Upload,
            strawberry.argument(
                description=(
                    "The image file, as a part of a GraphQL multipart request: JPEG, PNG or WebP "
                    "(INVALID_FILE_TYPE), at most the configured size (5 MB by default; FILE_TOO_LARGE)."
                )
            ),
        ],
        alt: Annotated[
            str,
            strawberry.argument(
                description="Alternative text in the brand's default language; at most 250 characters."
            ),
        ] = "",
    ) -> ProductMediaPayload:
        actor = await info.context.actor()
        settings = info.context.settings
        limit = settings.media.max_upload_bytes

        async def run() -> MediaModel:
            target = decode_id(product_id, "Product", "product_id")
            storage = media.LocalStorage.from_settings(settings)
            return await media.upload(actor, target, data, storage, alt=alt, max_bytes=limit)

        try:
            data = await file.read(limit + 1)  # type: ignore[attr-defined]  # one byte more tells it is too large
        finally:
            await file.close()  # type: ignore[attr-defined]  # the spooled temporary file, now rather than at exit
        row, errors = await attempt(run)
        return await _media_payload(row, errors)

    @strawberry.mutation(**guard("Remove an image (and its file, if it was uploaded).", MANAGE_PRODUCTS))
    async def product_media_delete(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The `ManagedProductMedia.id`; an image of a brand you may not manage (or none) is "
                    "refused with FORBIDDEN."
                )
            ),
        ],
    ) -> ProductMediaPayload:
        actor = await info.context.actor()
        storage = media.LocalStorage.from_settings(info.context.settings)
        row, errors = await attempt(lambda: media.delete(actor, decode_id(id, "ManagedProductMedia"), storage))
        return await _media_payload(row, errors)

    @strawberry.mutation(**guard("Put a product's images in a new order.", MANAGE_PRODUCTS))
    async def product_media_reorder(
        self,
        info: Info,
        product_id: ProductId,
        input: Annotated[
            ProductMediaReorderInput, strawberry.argument(description="The images to put first, in this order.")
        ],
    ) -> ProductMediaReorderPayload:
        actor = await info.context.actor()

        async def run() -> list[MediaModel]:
            target = decode_id(product_id, "Product", "product_id")
            return await media.reorder(actor, target, decode_ids(input.media_ids, "ManagedProductMedia", "media_ids"))

        rows, errors = await attempt(run)
        if rows is None:
            return ProductMediaReorderPayload(errors=errors)
        product = await ProductModel.get(id=decode_id(product_id, "Product", "product_id"))
        return ProductMediaReorderPayload(
            media=[ManagedProductMedia.from_model(r) for r in rows], product=await render_product(product)
        )


MUTATIONS = (CatalogMediaMutation,)
