"""Checks shared by the catalog's management services.

Input checks are pure functions that collect every problem (`core.validation.Problems`) instead of raising at
the first, so a form — or one row of a bulk import — shows all its mistakes at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeGuard, TypeVar, cast

from tortoise.models import Model
from tortoise.queryset import QuerySet

from core.auth.permissions import Permission
from core.catalog import search
from core.catalog.models import ProductStatus
from core.catalog.slugs import is_valid_slug
from core.catalog.translations import SUPPORTED
from core.context import Actor
from core.errors import DomainError
from core.money import quantize
from core.validation import Problems

M = TypeVar("M", bound=Model)

# Longest text per translatable field (the model's column sizes, or a sane cap for TEXT columns).
PRODUCT_TEXTS = {"name": 250, "description": 20_000, "seo_title": 250, "seo_description": 500}
SKU = re.compile(r"^\S{1,64}$")
# DecimalField(max_digits=16, decimal_places=3): anything from 10^13 up would not fit the column.
MAX_AMOUNT = Decimal(10) ** 13


async def load_owned(
    actor: Actor, model: type[M], row_id: int, noun: str, *, via: str | None = None, field: str = "id"
) -> M:
    """The row, once the actor may manage its brand's catalog; `via` names the relation that carries the brand.

    Someone else's row and a row that does not exist are refused alike (FORBIDDEN), so IDs cannot be probed.
    """
    query = model.filter(id=row_id)
    if via:
        query = query.select_related(via)
    row = await query.first()
    brand_id = -1 if row is None else (getattr(row, via).brand_id if via else row.brand_id)  # type: ignore[attr-defined]
    actor.require(brand_id, Permission.MANAGE_PRODUCTS)
    if row is None:  # only a system actor gets here
        raise DomainError("NOT_FOUND", f"There is no such {noun}.", field)
    return row


def required_text(
    problems: Problems, value: str | None, field: str, max_length: int, code: str = "INVALID_NAME"
) -> str:
    text = (value or "").strip()
    if not text or len(text) > max_length:
        problems.add(code, f"Use 1–{max_length} characters.", field)
    return text


def optional_text(problems: Problems, value: str | None, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        problems.add("TOO_LONG", f"Use at most {max_length} characters.", field)
    return text


def explicit_slug(problems: Problems, value: str | None, field: str = "slug") -> str | None:
    """A slug the user typed (None: generate one from the name); it must already be in canonical form."""
    if value is None:
        return None
    slug = value.strip().lower()
    if not is_valid_slug(slug):
        problems.add("INVALID_SLUG", "Use lowercase letters, digits and single hyphens (at most 200).", field)
    return slug


def translations(
    problems: Problems, entries: Iterable[Mapping[str, Any]] | None, limits: Mapping[str, int], field: str
) -> dict[str, dict[str, str]]:
    """`[{language, name, …}]` from the API as the models' `{"en": {"name": …}}`; empty texts are left out."""
    result: dict[str, dict[str, str]] = {}
    for i, entry in enumerate(entries or []):
        language = (entry.get("language") or "").strip().lower()
        if language not in SUPPORTED or language in result:
            problems.add("INVALID_LANGUAGE", f"Give each of {', '.join(SUPPORTED)} once.", f"{field}.{i}.language")
            continue
        texts = {name: optional_text(problems, entry.get(name), f"{field}.{i}.{name}", n) for name, n in limits.items()}
        result[language] = {name: text for name, text in texts.items() if text}
    return result


def merge_translation(
    current: Mapping[str, Mapping[str, str]] | None,
    language: str,
    values: Mapping[str, str | None],
    limits: Mapping[str, int],
) -> dict[str, dict[str, str]]:
    """One language's texts changed: None keeps a text, "" removes it (falling back to the base text)."""
    problems = Problems()
    if language not in SUPPORTED:
        problems.add("INVALID_LANGUAGE", f"Languages are {', '.join(SUPPORTED)}.", "language")
    entry = dict((current or {}).get(language, {}))
    for name, value in values.items():
        if value is None:
            continue
        text = optional_text(problems, value, name, limits[name])
        if text:
            entry[name] = text
        else:
            entry.pop(name, None)
    problems.check()
    merged = {lang: dict(texts) for lang, texts in (current or {}).items() if lang != language}
    if entry:
        merged[language] = entry
    return merged


def _decimal_in_range(value: Any, limit: Decimal) -> TypeGuard[Decimal]:
    return isinstance(value, Decimal) and value.is_finite() and Decimal(0) <= value < limit


def size_chart(problems: Problems, rows: Iterable[Mapping[str, Any]] | None, field: str = "size_chart") -> list[dict]:
    """Rows kept as lists (jsonb does not keep key order); values as decimal strings, never floats."""
    result: list[dict] = []
    sizes: set[str] = set()
    for i, row in enumerate(rows or []):
        size = (row.get("size") or "").strip()
        if not size or len(size) > 32 or size in sizes:
            problems.add(
                "INVALID_SIZE_CHART", "Each row needs its own size label (1–32 characters).", f"{field}.{i}.size"
            )
            continue
        sizes.add(size)
        measurements, codes = [], set()
        for j, measurement in enumerate(row.get("measurements") or []):
            code, value = (measurement.get("code") or "").strip(), measurement.get("value")
            if not code or len(code) > 16 or code in codes or not _decimal_in_range(value, Decimal(1000)):
                where = f"{field}.{i}.measurements.{j}"
                problems.add("INVALID_SIZE_CHART", "Each measurement needs its own code and 0–1000 cm.", where)
                continue
            codes.add(code)
            measurements.append({"code": code, "value": format(value.normalize(), "f")})
        result.append({"size": size, "measurements": measurements})
    return result


def product_values(problems: Problems, data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """The `Product` columns from an input; with `partial`, only the keys present (an update)."""
    values: dict[str, Any] = {}

    def given(key: str) -> bool:
        return not partial or key in data

    if given("name"):
        values["name"] = required_text(problems, data.get("name"), "name", PRODUCT_TEXTS["name"])
    if data.get("slug") is not None:
        values["slug"] = explicit_slug(problems, data["slug"])
    for key in ("description", "seo_title", "seo_description"):
        if given(key):
            values[key] = optional_text(problems, data.get(key), key, PRODUCT_TEXTS[key])
    if given("made_to_measure"):
        values["made_to_measure"] = bool(data.get("made_to_measure"))
    if given("status"):
        values["status"] = ProductStatus(data.get("status") or ProductStatus.DRAFT)
    for key in ("published_at", "category_id"):
        if given(key):
            values[key] = data.get(key)
    if given("size_chart"):
        values["size_chart"] = size_chart(problems, data.get("size_chart"))
    if given("translations"):
        values["translations"] = translations(problems, data.get("translations"), PRODUCT_TEXTS, "translations")
    return values


def variant_values(problems: Problems, data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """The `Variant` columns from an input (prices and stock are checked by their own functions)."""
    values: dict[str, Any] = {}
    if not partial or "sku" in data:
        sku = (data.get("sku") or "").strip()
        if not SKU.match(sku):
            problems.add("INVALID_SKU", "A SKU is 1–64 characters without spaces.", "sku")
        values["sku"] = sku
    for key, limit in (("barcode", 64), ("size", 32), ("colour", 64)):
        if not partial or key in data:
            values[key] = optional_text(problems, data.get(key), key, limit)
    if not partial or "weight_grams" in data:
        weight = data.get("weight_grams") or 0
        if not 0 <= weight <= 1_000_000:
            problems.add("INVALID_WEIGHT", "A weight is 0–1,000,000 grams.", "weight_grams")
        values["weight_grams"] = weight
    return values


@dataclass(frozen=True, slots=True)
class PriceRow:
    currency: str
    amount: Decimal
    compare_at_amount: Decimal | None


def prices(
    problems: Problems, entries: Iterable[Mapping[str, Any]] | None, currencies: Iterable[str], field: str = "prices"
) -> list[PriceRow]:
    """Prices in the brand's enabled currencies, >= 0, quantized to each currency's minor unit."""
    enabled, rows, seen = list(currencies), [], set()
    for entry in entries or []:
        currency = (entry.get("currency") or "").strip().upper()
        amount, compare = entry.get("amount"), entry.get("compare_at_amount")
        if currency not in enabled:
            problems.add(
                "CURRENCY_NOT_ENABLED", f"This brand sells in {', '.join(enabled)}, not {currency or '?'}.", field
            )
            continue
        if currency in seen:
            problems.add("DUPLICATE_CURRENCY", f"{currency} is priced twice.", field)
            continue
        seen.add(currency)
        if not _decimal_in_range(amount, MAX_AMOUNT) or not (compare is None or _decimal_in_range(compare, MAX_AMOUNT)):
            problems.add("INVALID_PRICE", "A price is an amount of 0 or more.", field)
            continue
        amount = quantize(amount, currency)
        compare = None if compare is None else quantize(compare, currency)
        if compare is not None and compare <= amount:
            problems.add("INVALID_COMPARE_AT_PRICE", "The compare-at price must be higher than the price.", field)
            continue
        rows.append(PriceRow(currency, amount, compare))
    return rows


def quantity(problems: Problems, value: int | None, field: str) -> int:
    if value is None or not 0 <= value <= 10_000_000:
        problems.add("INVALID_QUANTITY", "A quantity is 0 or more.", field)
        return 0
    return value


async def next_position(query: QuerySet[Any]) -> int:
    """One past the highest `position` in `query`: new rows go last. Ties from a race only tie the order."""
    positions = cast("list[int]", await query.order_by("-position").limit(1).values_list("position", flat=True))
    return int(positions[0]) + 1 if positions else 0


async def products_changed(product_ids: Iterable[int]) -> None:
    """Called by every management write, inside its transaction, with the products whose searchable content
    (texts, translations, SKUs, attribute values) changed: the one place to refresh data derived from them.

    Price ranges are refreshed separately, where prices change. The search documents are rebuilt in the
    same transaction, so a storefront never finds a product by text it no longer has.
    """
    await search.reindex(product_ids)
