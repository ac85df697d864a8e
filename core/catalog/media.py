"""Product images: linked by URL (a CDN the brand already uses) or uploaded and kept by a storage backend.

The type of an upload is decided by its bytes, never by its name or the client's content type, so a script
renamed `.jpg` is refused: the first bytes for a cheap refusal, then Pillow decodes the whole image, which is
stored encoded anew without its metadata, with thumbnails (`core.catalog.images`). The storage backend
is an object with `save`/`delete` (`MediaStorage`); the
local one writes files that the server publishes under `/media`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import orjson
from tortoise.transactions import in_transaction

from core.catalog import images, validation
from core.catalog.models import Product, ProductMedia
from core.catalog.validation import load_owned, next_position
from core.context import Actor
from core.errors import DomainError
from core.events import emit
from core.settings import Settings
from core.urls import parse_http_url
from core.validation import Problems

TEXTS = {"alt": 250}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class MediaStorage(Protocol):
    async def save(self, data: bytes, extension: str) -> str:
        """Store the bytes under a new name; the public URL."""
        ...

    async def delete(self, url: str) -> None:
        """Forget a stored file, if `url` is one of this storage's (others are left alone)."""
        ...

    async def read(self, url: str) -> bytes | None:
        """A stored file's bytes; None if `url` is not one of this storage's or the file is gone."""
        ...


class LocalStorage:
    """Files in a folder, published by the server's `/media` route (put a CDN in front in production)."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.root = root
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalStorage:
        # `[media] root`, overridden by LINI_MEDIA_ROOT like every setting; the folder /media serves.
        return cls(Path(settings.media.root), f"{settings.server.public_url.rstrip('/')}/media")

    async def save(self, data: bytes, extension: str) -> str:
        name = f"{uuid.uuid4().hex}.{extension}"  # random: names cannot be guessed or collide
        await asyncio.to_thread(self._write, self.root / name, data)
        return f"{self.base_url}/{name}"

    async def delete(self, url: str) -> None:
        name = self._name(url)
        if name:
            await asyncio.to_thread((self.root / name).unlink, missing_ok=True)

    async def read(self, url: str) -> bytes | None:
        name = self._name(url)
        if not name:
            return None
        try:
            return await asyncio.to_thread((self.root / name).read_bytes)
        except FileNotFoundError:
            return None

    def _name(self, url: str) -> str:
        """The file a URL of this storage names; empty for any other URL (or one that leaves the folder)."""
        prefix = f"{self.base_url}/"
        name = url[len(prefix) :] if url.startswith(prefix) else ""
        return name if name and "/" not in name and not name.startswith(".") else ""

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)  # readers never see half a file


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG or WebP image from its magic bytes; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def _texts(problems: Problems, alt: str | None, entries: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    return {
        "alt": validation.optional_text(problems, alt, "alt", TEXTS["alt"]),
        "translations": validation.translations(problems, entries, TEXTS, "translations"),
    }


async def _add(product: Product, url: str, values: Mapping[str, Any]) -> ProductMedia:
    async with in_transaction():
        position = await next_position(ProductMedia.filter(product_id=product.id))
        media = await ProductMedia.create(product_id=product.id, url=url, position=position, **values)
        await emit(
            "product.media_added",
            {"product_id": product.id, "media_id": media.id, "url": url},
            brand_id=product.brand_id,
        )
    return media


async def create_from_url(
    actor: Actor, product_id: int, url: str, alt: str = "", translations: Sequence[Mapping[str, Any]] | None = None
) -> ProductMedia:
    """Link an image the brand hosts elsewhere; it goes last."""
    product = await load_owned(actor, Product, product_id, "product", field="product_id")
    problems = Problems()
    url = (url or "").strip()
    if len(url) > 1000 or parse_http_url(url) is None:
        problems.add("INVALID_URL", "Give an http(s) URL of at most 1000 characters.", "url")
    values = _texts(problems, alt, translations)
    problems.check()
    return await _add(product, url, values)


async def upload(
    actor: Actor,
    product_id: int,
    data: bytes,
    storage: MediaStorage,
    *,
    alt: str = "",
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> ProductMedia:
    """Store an uploaded JPEG, PNG or WebP image (at most `max_bytes`), without metadata and with its
    thumbnails, and add it last. Nothing is stored when anything is refused."""
    product = await load_owned(actor, Product, product_id, "product", field="product_id")
    problems = Problems()
    kind = sniff(data)
    if len(data) > max_bytes:
        problems.add("FILE_TOO_LARGE", f"An image is at most {max_bytes // (1024 * 1024) or 1} MB.", "file")
    elif kind is None:
        problems.add("INVALID_FILE_TYPE", "Upload a JPEG, PNG or WebP image.", "file")
    values = _texts(problems, alt, None)
    problems.check()
    # Decoding and resizing take CPU for a while: off the event loop, so other requests are served meanwhile.
    image = await asyncio.to_thread(images.clean, data)
    saved: list[str] = []
    try:
        url = await storage.save(image.data, image.extension)
        saved.append(url)
        thumbnails = {}
        for size, thumbnail in image.thumbnails.items():
            thumbnails[str(size)] = await storage.save(thumbnail, image.extension)
            saved.append(thumbnails[str(size)])
        return await _add(product, url, {**values, "thumbnails": thumbnails})
    except BaseException:
        for stored in saved:  # no row points at them: do not leave them behind
            await storage.delete(stored)
        raise


async def backfill_thumbnails(storage: MediaStorage) -> tuple[int, int]:
    """Thumbnails for the images uploaded before Lini made them (`server.py media-thumbnails`): (made, skipped).

    Linked images and files the storage no longer has are skipped; each image is one short write, so the command
    can be stopped and run again and only what is left is done.
    """
    made = skipped = 0
    rows = await ProductMedia.all().order_by("id").values_list("id", "url", "thumbnails")
    for media_id, url, existing in rows:
        if isinstance(existing, str | bytes):  # a JSON column some drivers hand back undecoded
            existing = orjson.loads(existing)
        if existing:
            continue
        data = await storage.read(str(url))
        if data is None:
            skipped += 1
            continue
        try:
            image = await asyncio.to_thread(images.clean, data)
        except DomainError:
            skipped += 1  # not an image Pillow can read: served as it is
            continue
        thumbnails = {str(size): await storage.save(blob, image.extension) for size, blob in image.thumbnails.items()}
        if not await ProductMedia.filter(id=media_id).update(thumbnails=thumbnails):
            for stored in thumbnails.values():  # deleted meanwhile
                await storage.delete(stored)
            continue
        made += 1
    return made, skipped


async def delete(actor: Actor, media_id: int, storage: MediaStorage | None = None) -> ProductMedia:
    """Remove the image; a file kept by `storage` is deleted once the row is gone."""
    media = await load_owned(actor, ProductMedia, media_id, "image", via="product")
    async with in_transaction():
        await ProductMedia.filter(id=media.id).delete()
        await emit(
            "product.media_deleted",
            {"product_id": media.product_id, "media_id": media.id},
            brand_id=media.product.brand_id,
        )
    if storage is not None:
        for url in [media.url, *(media.thumbnails or {}).values()]:
            await storage.delete(url)
    return media


async def reorder(actor: Actor, product_id: int, media_ids: Sequence[int]) -> list[ProductMedia]:
    """The given images first, in that order; any not mentioned follow in their current order."""
    product = await load_owned(actor, Product, product_id, "product", field="product_id")
    if len(set(media_ids)) < len(media_ids):
        raise DomainError("DUPLICATE_MEDIA", "Each image may be listed once.", "media_ids")
    async with in_transaction():
        rows = await ProductMedia.filter(product_id=product.id).order_by("position", "id")
        by_id = {row.id: row for row in rows}
        if any(media_id not in by_id for media_id in media_ids):
            raise DomainError("NOT_FOUND", "Some of these images are not this product's.", "media_ids")
        mentioned = set(media_ids)
        order = [by_id[i] for i in media_ids] + [row for row in rows if row.id not in mentioned]
        for position, row in enumerate(order):
            row.position = position
        if order:
            await ProductMedia.bulk_update(order, fields=["position"])
        await emit(
            "product.media_reordered",
            {"product_id": product.id, "media_ids": [row.id for row in order]},
            brand_id=product.brand_id,
        )
    return order
