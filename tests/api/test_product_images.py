"""Uploaded product images through GraphQL: decoded by Pillow, stored without EXIF/GPS, thumbnails made once at
upload in bounded sizes and served by `thumbnail(size:)`; forged and oversized pictures refused, nothing stored."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from core.actors.models import StaffRole
from core.catalog import images, media
from core.catalog.models import ProductMedia
from tests.factories import make_brand, make_staff

GPS_IFD = 0x8825
FIELDS = "media { id url } errors { field code }"
THUMBNAIL = """query($slug: String!, $size: Int) { product(slug: $slug) { thumbnail(size: $size) { url alt } } }"""


@pytest.fixture
def settings(settings, tmp_path: Path):
    return settings.model_copy(update={"media": settings.media.model_copy(update={"root": str(tmp_path / "media")})})


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar")
    _, token = await make_staff(brand, StaffRole.STAFF)
    gql.storefront, gql.token = "sekar", token
    created = await gql(
        """mutation { productCreate(input: { name: "Gamis Aisyah", status: PUBLISHED }) {
          product { id slug } errors { code } } }"""
    )
    return {"token": token, **created["productCreate"]["product"]}


def photo(size: tuple[int, int] = (1600, 1200), *, orientation: int = 6) -> bytes:
    """A phone photo: EXIF with the camera, an orientation and the GPS position of a workshop in Bandung."""
    image = Image.new("RGB", size, (190, 40, 70))
    image.paste((20, 20, 160), (0, 0, size[0] // 4, size[1] // 4))  # a corner to see the rotation by
    exif = Image.Exif()
    exif[0x010F] = "Lini Phone"
    exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "S", 2: (6.0, 54.0, 52.0), 3: "E", 4: (107.0, 36.0, 35.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"Jl. Braga 12", quality=90)
    return out.getvalue()


async def upload(client, token: str, product_id: str, data: bytes, name: str = "front.jpg") -> dict[str, Any]:
    query = f"""mutation($p: ID!, $file: Upload!) {{ productMediaUpload(productId: $p, file: $file, alt: "Depan") {{
      {FIELDS} }} }}"""
    response = await client.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": query, "variables": {"p": product_id, "file": None}}),
            "map": '{"0": ["variables.file"]}',
        },
        files={"0": (name, data, "image/jpeg")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["productMediaUpload"]


def stored(settings, url: str) -> Image.Image:
    return Image.open(io.BytesIO((Path(settings.media.root) / url.rsplit("/", 1)[1]).read_bytes()))


def files(settings) -> list[Path]:
    root = Path(settings.media.root)
    return sorted(root.iterdir()) if root.exists() else []


async def test_an_upload_is_stored_upright_without_exif_or_gps_with_its_thumbnails(client, gql, shop, settings):
    original = photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the phone did record where
    uploaded = await upload(client, shop["token"], shop["id"], original)
    assert uploaded["errors"] == []
    kept = stored(settings, uploaded["media"]["url"])
    assert kept.format == "JPEG"
    assert dict(kept.getexif()) == {} and not kept.getexif().get_ifd(GPS_IFD)
    assert "comment" not in kept.info and "exif" not in kept.info
    assert kept.size == (1200, 1600)  # orientation 6 applied to the pixels, then dropped
    row = await ProductMedia.get()
    assert sorted(int(size) for size in row.thumbnails) == list(images.THUMBNAIL_SIZES)
    for size, url in row.thumbnails.items():
        thumbnail = stored(settings, url)
        assert max(thumbnail.size) == int(size) and dict(thumbnail.getexif()) == {}
        assert thumbnail.size[0] < thumbnail.size[1]  # upright too
    assert len(files(settings)) == 1 + len(images.THUMBNAIL_SIZES)


async def test_thumbnail_size_serves_the_nearest_stored_size_and_is_bounded(client, gql, shop):
    uploaded = await upload(client, shop["token"], shop["id"], photo())
    thumbnails = (await ProductMedia.get()).thumbnails

    async def url(size: int | None) -> str:
        found = await gql(THUMBNAIL, {"slug": shop["slug"], "size": size}, token=None)
        return found["product"]["thumbnail"]["url"]

    assert await url(None) == uploaded["media"]["url"]
    assert await url(200) == thumbnails["256"]
    assert await url(256) == thumbnails["256"]
    assert await url(1) == thumbnails["64"]
    assert await url(100_000) == thumbnails["1024"]  # never a new, larger file
    refused = await gql.error(THUMBNAIL, {"slug": shop["slug"], "size": 0}, token=None)
    assert refused["extensions"]["code"] == "INVALID_SIZE"


async def test_thumbnails_are_made_at_upload_not_per_request(client, gql, shop, settings, monkeypatch):
    await upload(client, shop["token"], shop["id"], photo((400, 300), orientation=1))
    before = files(settings)

    def no_resizing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request resized an image")

    monkeypatch.setattr(images, "clean", no_resizing)
    monkeypatch.setattr(Image.Image, "thumbnail", no_resizing)
    for size in (64, 300, 2000):
        assert (await gql(THUMBNAIL, {"slug": shop["slug"], "size": size}, token=None))["product"]["thumbnail"]
    assert files(settings) == before


async def test_a_linked_image_is_its_own_thumbnail(gql, shop):
    linked = await gql(
        """mutation($p: ID!) { productMediaCreate(productId: $p, input: { url: "https://cdn.sekar.id/a.jpg" }) {
          errors { code } } }""",
        {"p": shop["id"]},
    )
    assert linked["productMediaCreate"]["errors"] == []
    found = await gql(THUMBNAIL, {"slug": shop["slug"], "size": 128}, token=None)
    assert found["product"]["thumbnail"]["url"] == "https://cdn.sekar.id/a.jpg"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 500, "INVALID_IMAGE"),  # JPEG magic, no picture
        (photo((300, 200))[:700], "INVALID_IMAGE"),  # truncated
        (b"GIF89a" + b"\x00" * 100, "INVALID_FILE_TYPE"),
    ],
)
async def test_a_forged_or_broken_image_is_refused_and_nothing_is_stored(client, shop, settings, data, code):
    refused = await upload(client, shop["token"], shop["id"], data)
    assert refused == {"media": None, "errors": [{"field": "file", "code": code}]}
    assert await ProductMedia.all().count() == 0
    assert files(settings) == []


async def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, shop, settings, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    refused = await upload(client, shop["token"], shop["id"], photo((400, 300), orientation=1))
    assert refused["errors"] == [{"field": "file", "code": "IMAGE_TOO_LARGE"}]
    assert await ProductMedia.all().count() == 0


async def test_images_uploaded_before_thumbnails_existed_get_them_from_the_backfill(client, gql, shop, settings):
    uploaded = await upload(client, shop["token"], shop["id"], photo((800, 600), orientation=1))
    row = await ProductMedia.get()
    for url in row.thumbnails.values():  # as an upload from before: no thumbnails, no files
        (Path(settings.media.root) / url.rsplit("/", 1)[1]).unlink()
    await ProductMedia.filter(id=row.id).update(thumbnails=None)
    linked = await gql(
        """mutation($p: ID!) { productMediaCreate(productId: $p, input: { url: "https://cdn.sekar.id/a.jpg" }) {
          errors { code } } }""",
        {"p": shop["id"]},
    )
    assert linked["productMediaCreate"]["errors"] == []
    found = await gql(THUMBNAIL, {"slug": shop["slug"], "size": 128}, token=None)
    assert found["product"]["thumbnail"]["url"] == uploaded["media"]["url"]  # the image itself meanwhile

    storage = media.LocalStorage.from_settings(settings)
    assert await media.backfill_thumbnails(storage) == (1, 1)  # the linked image is skipped
    assert await media.backfill_thumbnails(storage) == (0, 1)  # run again: nothing left to do
    thumbnails = (await ProductMedia.get(id=row.id)).thumbnails
    found = await gql(THUMBNAIL, {"slug": shop["slug"], "size": 128}, token=None)
    assert found["product"]["thumbnail"]["url"] == thumbnails["128"]
    assert max(stored(settings, thumbnails["128"]).size) == 128
