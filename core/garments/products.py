"""Made-to-measure products: what a brand offers to make (garment type, making price, size bands, lead time,
option groups with surcharges, fabrics with their consumption), and reading it back in batch.

`configure` replaces a product's whole configuration in one transaction (permission MANAGE_PRODUCTS); it
keeps one variant on the product, which checkout lines hang on (the price of a made-to-measure line never
comes from that variant: it is quoted, see `core.garments.quote`). `load_configs` reads the configurations of
any number of products in five statements.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from core.actors.models import ActorStatus, Brand
from core.catalog.models import Product, Variant
from core.catalog.translations import SUPPORTED
from core.catalog.validation import load_owned, products_changed
from core.context import Actor
from core.errors import DomainError
from core.events import emit
from core.garments import types
from core.garments.models import (
    Fabric,
    FabricStatus,
    GarmentType,
    MadeToMeasure,
    MeasurementField,
    OptionGroup,
    OptionKind,
    OptionValue,
    ProductFabric,
)
from core.money import decimal_or_none, exponent, is_currency
from core.validation import Problems

CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")
MAX_GROUPS = 30
MAX_VALUES = 50
MAX_FABRICS = 100
MAX_BANDS = 20
MAX_TEXT_LENGTH = 200
MAX_PRODUCTION_DAYS = 365
MAX_METRES = Decimal(100)
MAX_AMOUNT = Decimal(10) ** 12
MAX_NAME = 100


@dataclass(frozen=True, slots=True)
class PriceInput:
    currency: str
    amount: Any


@dataclass(frozen=True, slots=True)
class OptionValueInput:
    code: str
    names: Mapping[str, str] = field(default_factory=dict)
    surcharges: Sequence[PriceInput] = ()


@dataclass(frozen=True, slots=True)
class OptionGroupInput:
    code: str
    kind: str = OptionKind.SINGLE
    names: Mapping[str, str] = field(default_factory=dict)
    required: bool = False
    max_length: int = 0  # TEXT only
    surcharges: Sequence[PriceInput] = ()  # TEXT only: charged when a text is given
    values: Sequence[OptionValueInput] = ()


@dataclass(frozen=True, slots=True)
class SizeBandInput:
    code: str
    max_cm: Any = None  # None: the last, open-ended band


@dataclass(frozen=True, slots=True)
class FabricInput:
    fabric_id: int
    consumption: Mapping[str, Any]  # size band code -> metres per garment


@dataclass(frozen=True, slots=True)
class ConfigInput:
    garment_type: str
    base_prices: Sequence[PriceInput]
    size_bands: Sequence[SizeBandInput]
    size_band_field: str = ""
    production_days: int = 14
    option_groups: Sequence[OptionGroupInput] = ()
    fabrics: Sequence[FabricInput] = ()


@dataclass(slots=True)
class Config:
    """A product's made-to-measure configuration as read: groups and values in display order, every allowed
    fabric (with its supplier) including those no longer orderable, which `orderable` tells apart."""

    product_id: int
    mtm: MadeToMeasure
    garment_type: GarmentType
    fields: list[MeasurementField]
    groups: list[OptionGroup]
    values: dict[int, list[OptionValue]]  # by group id
    fabrics: list[ProductFabric]

    def group(self, code: str) -> OptionGroup | None:
        return next((g for g in self.groups if g.code == code), None)

    def fabric(self, fabric_id: int) -> ProductFabric | None:
        return next((f for f in self.fabrics if f.fabric_id == fabric_id), None)


def orderable(fabric: Fabric) -> bool:
    """A fabric can be ordered while active and its supplier approved."""
    return fabric.status == FabricStatus.ACTIVE and fabric.supplier.status == ActorStatus.APPROVED


def price_in(prices: Sequence[Mapping[str, str]], currency: str) -> Decimal | None:
    """The amount in `currency` of a stored `[{"currency", "amount"}]` list, None when it has none."""
    for row in prices:
        if row.get("currency") == currency:
            return Decimal(str(row["amount"]))
    return None


def band_for(mtm: MadeToMeasure, measurements: Sequence[Mapping[str, str]]) -> str | None:
    """The size band the measurement that picks it falls in; None when that measurement is missing."""
    bands = mtm.size_bands or []
    if not mtm.size_band_field:
        return str(bands[0]["code"]) if bands else None
    value = next((Decimal(m["cm"]) for m in measurements if m["code"] == mtm.size_band_field), None)
    if value is None:
        return None
    for band in bands:
        if band.get("max_cm") is None or value <= Decimal(str(band["max_cm"])):
            return str(band["code"])
    return str(bands[-1]["code"]) if bands else None


# --- reading ---------------------------------------------------------------------------------------------


async def load_configs(product_ids: Iterable[int]) -> dict[int, Config]:
    """The configurations of the made-to-measure products among `product_ids`: five statements in all."""
    ids = list(set(product_ids))
    rows = await MadeToMeasure.filter(product_id__in=ids).select_related("garment_type")
    if not rows:
        return {}
    ids = [row.product_id for row in rows]
    fields = await types.fields_by_type([row.garment_type_id for row in rows])
    groups: dict[int, list[OptionGroup]] = defaultdict(list)
    for group in await OptionGroup.filter(product_id__in=ids).order_by("position", "id"):
        groups[group.product_id].append(group)
    values: dict[int, list[OptionValue]] = defaultdict(list)
    for value in await OptionValue.filter(group__product_id__in=ids).order_by("position", "id"):
        values[value.group_id].append(value)
    fabrics: dict[int, list[ProductFabric]] = defaultdict(list)
    for allowed in (
        await ProductFabric.filter(product_id__in=ids).select_related("fabric__supplier").order_by("position", "id")
    ):
        fabrics[allowed.product_id].append(allowed)
    return {
        row.product_id: Config(
            product_id=row.product_id,
            mtm=row,
            garment_type=row.garment_type,
            fields=fields.get(row.garment_type_id, []),
            groups=groups[row.product_id],
            values=values,
            fabrics=fabrics[row.product_id],
        )
        for row in rows
    }


async def line_variants(product_ids: Iterable[int]) -> dict[int, int]:
    """The variant each made-to-measure product's checkout lines hang on (its first), by product id."""
    found: dict[int, int] = {}
    for product_id, variant_id in (
        await Variant.filter(product_id__in=list(product_ids))
        .order_by("-position", "-id")
        .values_list("product_id", "id")
    ):
        found[product_id] = variant_id  # the last written is the first by (position, id)
    return found


# --- configuring -----------------------------------------------------------------------------------------


async def configure(actor: Actor, product_id: int, data: ConfigInput) -> Config:
    """Replace the product's made-to-measure configuration (the product must be flagged made-to-measure)."""
    product = await load_owned(actor, Product, product_id, "product", field="product_id")
    if not product.made_to_measure:
        raise DomainError(
            "PRODUCT_NOT_MADE_TO_MEASURE", "Flag the product made-to-measure first (productUpdate).", "product_id"
        )
    brand = await Brand.get(id=product.brand_id)
    problems = Problems()
    garment_type: GarmentType | None = None
    try:
        garment_type = await types.get_type(data.garment_type, brand.id)
    except DomainError as error:
        problems.add(error.code, error.message, "garment_type")
    fields = await types.fields_of(garment_type.id) if garment_type else []
    currencies = brand.currencies or [brand.default_currency]
    base_prices = _prices(problems.at("base_prices"), data.base_prices, currencies, required=True)
    band_field, bands = _bands(problems, data.size_band_field, data.size_bands, fields if garment_type else None)
    if not 1 <= data.production_days <= MAX_PRODUCTION_DAYS:
        problems.add("INVALID_PRODUCTION_DAYS", f"Give 1–{MAX_PRODUCTION_DAYS} days.", "production_days")
    groups = _groups(problems, data.option_groups, currencies)
    fabrics = await _fabrics(problems, data.fabrics, [b["code"] for b in bands])
    problems.check()
    assert garment_type is not None
    async with in_transaction():
        await MadeToMeasure.update_or_create(
            defaults={
                "garment_type_id": garment_type.id,
                "base_prices": base_prices,
                "size_band_field": band_field,
                "size_bands": bands,
                "production_days": data.production_days,
            },
            product_id=product.id,
        )
        await OptionGroup.filter(product_id=product.id).delete()
        for position, (group_row, value_rows) in enumerate(groups):
            group = await OptionGroup.create(product_id=product.id, position=position, **group_row)
            await OptionValue.bulk_create(
                [OptionValue(group_id=group.id, position=i, **row) for i, row in enumerate(value_rows)]
            )
        await ProductFabric.filter(product_id=product.id).delete()
        await ProductFabric.bulk_create(
            [ProductFabric(product_id=product.id, position=i, **row) for i, row in enumerate(fabrics)]
        )
        await _ensure_variant(product)
        await products_changed([product.id])
        await emit(
            "product.made_to_measure_set",
            {"product_id": product.id, "garment_type": garment_type.code},
            brand_id=product.brand_id,
        )
    return (await load_configs([product.id]))[product.id]


async def _ensure_variant(product: Product) -> None:
    """A made-to-measure product keeps one variant for its checkout and order lines to point at."""
    if await Variant.exists(product_id=product.id):
        return
    sku = f"MTM-{product.id}"
    while await Variant.exists(brand_id=product.brand_id, sku=sku):
        sku += "-X"
    await Variant.create(brand_id=product.brand_id, product_id=product.id, sku=sku, size="", colour="")


def _prices(
    problems: Problems, prices: Sequence[PriceInput], currencies: Sequence[str], *, required: bool
) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    if required and not prices:
        problems.add("REQUIRED", "Give a price in at least one of the storefront's currencies.", "")
    for i, price in enumerate(prices):
        code = (price.currency or "").strip().upper()
        if not is_currency(code) or code not in currencies:
            problems.add("CURRENCY_NOT_ENABLED", f"The storefront sells in {', '.join(currencies)}.", f"{i}.currency")
            continue
        if code in seen:
            problems.add("DUPLICATE_CURRENCY", f"{code} is given twice.", f"{i}.currency")
            continue
        seen.add(code)
        amount = decimal_or_none(price.amount)
        places = Decimal(1).scaleb(-exponent(code))
        if amount is None or amount < 0 or amount >= MAX_AMOUNT or amount != amount.quantize(places):
            problems.add("INVALID_AMOUNT", f"Give an amount of 0 or more in {code}'s minor units.", f"{i}.amount")
            continue
        rows.append({"currency": code, "amount": str(amount.quantize(places))})
    return rows


def _bands(
    problems: Problems,
    band_field: str,
    bands: Sequence[SizeBandInput],
    fields: list[MeasurementField] | None,
) -> tuple[str, list[dict[str, Any]]]:
    code = (band_field or "").strip().upper()
    if fields is not None and code and code not in {f.code for f in fields}:
        problems.add("UNKNOWN_MEASUREMENT", f"{code} is not measured for this garment type.", "size_band_field")
    if not bands:
        problems.add("REQUIRED", "Give at least one size band.", "size_bands")
    if len(bands) > MAX_BANDS:
        problems.add("TOO_MANY", f"At most {MAX_BANDS} size bands.", "size_bands")
    if len(bands) > 1 and not code:
        problems.add("REQUIRED", "Name the measurement that picks the size band.", "size_band_field")
    rows: list[dict[str, Any]] = []
    previous: Decimal | None = None
    for i, band in enumerate(bands):
        at = problems.at(f"size_bands.{i}")
        band_code = (band.code or "").strip().upper()
        if not CODE.match(band_code) or band_code in {r["code"] for r in rows}:
            at.add("INVALID_CODE", "Band codes are unique capital letters, digits and underscores.", "code")
        last = i == len(bands) - 1
        limit = None if band.max_cm is None else decimal_or_none(band.max_cm)
        if band.max_cm is None and not last:
            at.add("INVALID_SIZE_BAND", "Only the last band may be open-ended.", "max_cm")
        elif band.max_cm is not None and (limit is None or limit <= 0 or (previous is not None and limit <= previous)):
            at.add("INVALID_SIZE_BAND", "Bands rise: each limit is above the one before, in cm.", "max_cm")
        previous = limit if limit is not None else previous
        rows.append({"code": band_code, "max_cm": None if limit is None else str(limit.quantize(Decimal("0.01")))})
    return code, rows


def _groups(
    problems: Problems, groups: Sequence[OptionGroupInput], currencies: Sequence[str]
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    if len(groups) > MAX_GROUPS:
        problems.add("TOO_MANY", f"At most {MAX_GROUPS} option groups.", "option_groups")
    result: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    seen: set[str] = set()
    for i, group in enumerate(groups):
        at = problems.at(f"option_groups.{i}")
        code = _code(at, group.code, seen)
        try:
            kind = OptionKind((group.kind or "").strip().upper())
        except ValueError:
            at.add("INVALID_OPTION_KIND", "The kind is SINGLE, MULTIPLE or TEXT.", "kind")
            continue
        max_length = 0
        surcharges: list[dict[str, str]] = []
        if kind == OptionKind.TEXT:
            if group.values:
                at.add("INVALID_OPTION_GROUP", "A text option has no values to choose from.", "values")
            if not 1 <= group.max_length <= MAX_TEXT_LENGTH:
                at.add("INVALID_MAX_LENGTH", f"Allow 1–{MAX_TEXT_LENGTH} characters.", "max_length")
            max_length = group.max_length
            surcharges = _prices(at.at("surcharges"), group.surcharges, currencies, required=False)
        else:
            if group.surcharges:
                at.add("INVALID_OPTION_GROUP", "Choices carry their surcharges on their values.", "surcharges")
            if not group.values or len(group.values) > MAX_VALUES:
                at.add("INVALID_OPTION_GROUP", f"Offer 1–{MAX_VALUES} values to choose from.", "values")
        values: list[dict[str, Any]] = []
        value_codes: set[str] = set()
        for j, value in enumerate(group.values if kind != OptionKind.TEXT else ()):
            vat = at.at(f"values.{j}")
            values.append(
                {
                    "code": _code(vat, value.code, value_codes),
                    "names": _names(vat, value.names),
                    "surcharges": _prices(vat.at("surcharges"), value.surcharges, currencies, required=False),
                }
            )
        row = {
            "code": code,
            "names": _names(at, group.names),
            "kind": kind,
            "required": bool(group.required),
            "max_length": max_length,
            "surcharges": surcharges,
        }
        result.append((row, values))
    return result


async def _fabrics(problems: Problems, fabrics: Sequence[FabricInput], bands: list[str]) -> list[dict[str, Any]]:
    if len(fabrics) > MAX_FABRICS:
        problems.add("TOO_MANY", f"At most {MAX_FABRICS} fabrics.", "fabrics")
    found = {f.id: f for f in await Fabric.filter(id__in=[f.fabric_id for f in fabrics]).select_related("supplier")}
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    for i, item in enumerate(fabrics):
        at = problems.at(f"fabrics.{i}")
        fabric = found.get(item.fabric_id)
        if fabric is None or not orderable(fabric):
            at.add("FABRIC_NOT_AVAILABLE", "There is no such fabric on offer.", "fabric_id")
            continue
        if fabric.id in seen:
            at.add("DUPLICATE_FABRIC", "This fabric is listed twice.", "fabric_id")
            continue
        seen.add(fabric.id)
        given = {(band or "").strip().upper(): metres for band, metres in item.consumption.items()}
        consumption: list[dict[str, str]] = []
        for band in bands:
            metres = decimal_or_none(given.pop(band, None))
            if metres is None or not 0 < metres <= MAX_METRES or metres != metres.quantize(Decimal("0.01")):
                at.add("INVALID_CONSUMPTION", f"Give the metres (up to 2 decimals) for band {band}.", "consumption")
                continue
            consumption.append({"band": band, "metres": str(metres.quantize(Decimal("0.01")))})
        for band in given:
            at.add("INVALID_CONSUMPTION", f"{band} is not one of the product's size bands.", "consumption")
        rows.append({"fabric_id": fabric.id, "consumption": consumption})
    return rows


def _code(problems: Problems, value: str, seen: set[str]) -> str:
    code = (value or "").strip().upper()
    if not CODE.match(code):
        problems.add("INVALID_CODE", "Use capital letters, digits and underscores, starting with a letter.", "code")
    elif code in seen:
        problems.add("DUPLICATE_CODE", f"{code} is given twice.", "code")
    seen.add(code)
    return code


def _names(problems: Problems, names: Mapping[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for language, text in names.items():
        lang = (language or "").strip().lower()
        cleaned = (text or "").strip()
        if lang not in SUPPORTED:
            problems.add("INVALID_LANGUAGE", f"Languages are {', '.join(SUPPORTED)}.", f"names.{language}")
        elif len(cleaned) > MAX_NAME:
            problems.add("TOO_LONG", f"Use at most {MAX_NAME} characters.", f"names.{lang}")
        elif cleaned:
            result[lang] = cleaned
    return result
