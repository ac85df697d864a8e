"""URL handles for catalog objects: readable ("gamis-aisyah"), and unique within a brand ("gamis-aisyah-2").

Staff type names, not slugs, so a slug is made from the name once and then kept when the name changes: links
already shared on WhatsApp or Instagram keep working. Two brands may use the same slug; one brand may not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from slugify import slugify as python_slugify
from tortoise.expressions import Q
from tortoise.models import Model

MAX_LENGTH = 200
# Room for a "-123" suffix and readable URLs; a longer name is cut at a hyphen boundary.
GENERATED_LENGTH = 80
PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, fallback: str = "item", max_length: int = GENERATED_LENGTH) -> str:
    """ASCII lowercase words joined by hyphens: "Gamis Ça Plissé" → "gamis-ca-plisse", "旗袍" → "qi-pao".

    python-slugify transliterates every script (Arabic and Chinese names get a readable slug, not the fallback);
    the text-unidecode backend is named so the same name gives the same slug whether or not another backend
    happens to be installed. Latin names give what Lini's own function gave, so slugs made before stay the
    slugs that would be made now. `fallback` remains for names with no letter or digit at all ("---").
    """
    slug = python_slugify(text, max_length=max_length, word_boundary=True, backend="text-unidecode")
    return slug or fallback


def is_valid_slug(slug: str) -> bool:
    return len(slug) <= MAX_LENGTH and PATTERN.match(slug) is not None


def next_free(base: str, taken: set[str]) -> str:
    """`base`, else `base-2`, `base-3`… — the first one not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


async def taken_slugs(model: type[Model], brand_id: int, bases: Iterable[str]) -> set[str]:
    """The brand's slugs that equal a base or could be one of its numbered forms, in one query per 100 bases."""
    unique = sorted(set(bases))
    taken: set[str] = set()
    for start in range(0, len(unique), 100):
        chunk = unique[start : start + 100]
        condition = Q(*(Q(slug=base) | Q(slug__startswith=f"{base}-") for base in chunk), join_type="OR")
        slugs = cast("list[str]", await model.filter(condition, brand_id=brand_id).values_list("slug", flat=True))
        taken.update(slugs)
    return taken


async def unique_slugs(model: type[Model], brand_id: int, bases: list[str], reserved: Iterable[str] = ()) -> list[str]:
    """A free slug for each base, also distinct from each other and from `reserved` (slugs about to be used)."""
    taken = await taken_slugs(model, brand_id, bases) | set(reserved)
    chosen = []
    for base in bases:
        slug = next_free(base, taken)
        taken.add(slug)
        chosen.append(slug)
    return chosen


async def unique_slug(model: type[Model], brand_id: int, name: str, fallback: str = "item") -> str:
    return (await unique_slugs(model, brand_id, [slugify(name, fallback)]))[0]
