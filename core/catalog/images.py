"""Uploaded product images, decoded and checked by Pillow: re-encoded without metadata, with their thumbnails.

The first bytes only say what a file claims to be; Pillow decodes the whole image, so a truncated or forged
file is refused before anything is stored. A phone photo carries EXIF (the camera, the time, often the GPS
position of a tailor's workshop or a customer's home): the stored image is encoded anew from its pixels, turned
upright as EXIF said, with no EXIF, XMP or text chunks (the colour profile stays: it is no one's secret and
colours matter to a clothing shop). Thumbnails are made once, at upload, in a few fixed sizes: a storefront
asks `thumbnail(size:)` and gets the nearest stored one, so no request ever resizes an image and no client can
make the server store one file per pixel width.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from core.errors import DomainError

# Bounding boxes (pixels, the longer side) of the thumbnails made for each upload.
THUMBNAIL_SIZES = (64, 128, 256, 512, 1024)
# Largest picture accepted, in pixels (width × height): a 5 MB file can still decode to gigabytes
# (a "decompression bomb"); 40 megapixels is more than any phone camera gives.
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True, slots=True)
class CleanImage:
    """An upload's pixels encoded anew, without metadata, and its thumbnails by size."""

    data: bytes
    extension: str
    content_type: str
    width: int
    height: int
    thumbnails: dict[int, bytes]


def thumbnail_size(requested: int) -> int:
    """The stored size a request for `requested` pixels gets: the smallest one at least that large, else the
    largest (a thumbnail is a preview: past 1024 pixels the storefront wants the image itself)."""
    if requested < 1:
        raise DomainError("INVALID_SIZE", "A thumbnail size is a positive number of pixels.", "size")
    return next((size for size in THUMBNAIL_SIZES if size >= requested), THUMBNAIL_SIZES[-1])


def clean(data: bytes, *, max_pixels: int | None = None) -> CleanImage:
    """Decode, check and re-encode an uploaded JPEG, PNG or WebP image; INVALID_IMAGE or IMAGE_TOO_LARGE."""
    image = _opened(data, max_pixels or MAX_PIXELS)
    kind = image.format or ""
    content_type, extension = FORMATS[kind]
    icc = image.info.get("icc_profile")
    upright = _encodable(ImageOps.exif_transpose(image), kind)  # upright as EXIF's orientation said
    upright.info = {}  # then every piece of metadata goes: EXIF, XMP, comments, PNG text chunks
    return CleanImage(
        data=_encode(upright, kind, icc),
        extension=extension,
        content_type=content_type,
        width=upright.width,
        height=upright.height,
        thumbnails=_thumbnails(upright, kind, icc),
    )


def _opened(data: bytes, max_pixels: int) -> Image.Image:
    refused = DomainError("INVALID_IMAGE", "This file is not a readable JPEG, PNG or WebP image.", "file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=list(FORMATS))
            if probe.width * probe.height > max_pixels:
                raise DomainError(
                    "IMAGE_TOO_LARGE", f"An image has at most {max_pixels // 1_000_000} megapixels.", "file"
                )
            probe.verify()  # structure and checksums, without decoding
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            image.load()  # every pixel: a truncated file fails here
    except DomainError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise DomainError(
            "IMAGE_TOO_LARGE", f"An image has at most {max_pixels // 1_000_000} megapixels.", "file"
        ) from None
    except (OSError, SyntaxError, ValueError, Image.UnidentifiedImageError):
        raise refused from None
    if image.format not in FORMATS:
        raise refused
    return image


def _encodable(image: Image.Image, kind: str) -> Image.Image:
    """A mode the format can store: JPEG has no alpha or palette; PNG and WebP keep transparency."""
    if kind == "JPEG":
        return image if image.mode in ("RGB", "L", "CMYK") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA", "L", "LA") or (kind == "PNG" and image.mode in ("P", "I", "I;16")):
        return image
    return image.convert("RGBA")


def _encode(image: Image.Image, kind: str, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if kind == "JPEG":
        options.update(quality=88, optimize=True, progressive=True)
    elif kind == "WEBP":
        options.update(quality=85, method=4)
    else:
        options.update(optimize=True)
    # No `exif`, `xmp` or `pnginfo` is passed, and `info` was emptied: the file holds pixels and the profile.
    image.save(out, format=kind, **options)
    return out.getvalue()


def _thumbnails(image: Image.Image, kind: str, icc: bytes | None) -> dict[int, bytes]:
    """Largest first, each made from the one before: resizing a 1024-pixel image is a fraction of resizing
    the 4000-pixel original, and LANCZOS from twice the size loses nothing visible."""
    made: dict[int, bytes] = {}
    source = image
    for size in sorted(THUMBNAIL_SIZES, reverse=True):
        source = source.copy()
        source.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)  # keeps the ratio, never enlarges
        made[size] = _encode(source, kind, icc)
    return dict(sorted(made.items()))
