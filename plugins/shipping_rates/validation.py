"""Checks on what staff send for zones and methods: every problem at once (`Problems`), nothing written.

A zone's countries must be among those the brand ships to, and its provinces Indonesian ones; a method's prices
and thresholds must be in the brand's enabled currencies, its weight brackets sound and, per currency, apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lini.plugin import MAX_AMOUNT, Brand, Problems, optional_text, quantize, required_text
from plugins.shipping_rates.provinces import INDONESIA, canonical_province

MAX_NAME = 100
MAX_CARRIER = 50
MAX_DAYS = 365
MAX_RATES = 100


@dataclass(frozen=True)
class RateRow:
    currency: str
    min_weight_grams: int
    max_weight_grams: int | None
    price: Decimal


@dataclass(frozen=True)
class ThresholdRow:
    currency: str
    amount: Decimal


def zone_values(problems: Problems, brand: Brand, data: Mapping[str, Any]) -> dict[str, Any]:
    """A whole zone (`name`, `countries`, `provinces`) as it will be stored: upper-case countries, pycountry's
    province names."""
    name = required_text(problems, data.get("name"), "name", MAX_NAME)
    countries: list[str] = []
    for i, code in enumerate(data.get("countries") or []):
        code = (code or "").strip().upper()
        if code not in brand.ships_to:
            problems.add(
                "COUNTRY_NOT_SHIPPED_TO",
                f"{code or 'This'} is not among the countries the brand ships to ({', '.join(brand.ships_to)}).",
                f"countries.{i}",
            )
        elif code not in countries:
            countries.append(code)
    if not data.get("countries"):
        problems.add("COUNTRIES_REQUIRED", "A zone needs at least one country.", "countries")
    provinces: list[str] = []
    for i, text in enumerate(data.get("provinces") or []):
        province = canonical_province(text or "")
        if province is None:
            problems.add("INVALID_PROVINCE", f"{text!r} is not an Indonesian province.", f"provinces.{i}")
        elif province not in provinces:
            provinces.append(province)
    if data.get("provinces") and INDONESIA not in [(c or "").strip().upper() for c in data.get("countries") or []]:
        problems.add("PROVINCES_NEED_INDONESIA", "Provinces narrow a zone's Indonesian part: add ID.", "provinces")
    return {"name": name, "countries": countries, "provinces": provinces}


def method_values(problems: Problems, data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """The method's own columns among `data` (all of them unless `partial`)."""
    values: dict[str, Any] = {}
    if not partial or data.get("name") is not None:
        values["name"] = required_text(problems, data.get("name"), "name", MAX_NAME)
    if data.get("carrier") is not None:
        values["carrier"] = optional_text(problems, data["carrier"], "carrier", MAX_CARRIER)
    for key in ("min_days", "max_days"):
        if key in data:
            days = data[key]
            if days is not None and not 0 <= days <= MAX_DAYS:
                problems.add("INVALID_DAYS", f"Use 0–{MAX_DAYS} days.", key)
            values[key] = days
    if data.get("active") is not None:
        values["active"] = bool(data["active"])
    if data.get("position") is not None:
        if data["position"] < 0:
            problems.add("INVALID_POSITION", "A position is 0 or more.", "position")
        values["position"] = data["position"]
    return values


def delivery_days(problems: Problems, min_days: int | None, max_days: int | None) -> None:
    if min_days is not None and max_days is not None and min_days > max_days:
        problems.add("INVALID_DAYS", "The fewest days cannot be more than the most days.", "min_days")


def _amount(problems: Problems, value: Decimal | None, currency: str, field: str) -> Decimal:
    if value is None or not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        problems.add("INVALID_AMOUNT", "Use an amount of 0 or more.", field)
        return Decimal(0)
    return quantize(value, currency)


def _currency(problems: Problems, value: str | None, enabled: Sequence[str], field: str) -> str:
    currency = (value or "").strip().upper()
    if currency not in enabled:
        problems.add("CURRENCY_NOT_ENABLED", f"Use one of the brand's currencies: {', '.join(enabled)}.", field)
    return currency


def rates(problems: Problems, entries: Sequence[Mapping[str, Any]], enabled: Sequence[str]) -> list[RateRow]:
    """Prices by weight bracket; brackets in one currency may not overlap (both ends count)."""
    if len(entries) > MAX_RATES:
        problems.add("TOO_MANY_RATES", f"A method has at most {MAX_RATES} rates.", "rates")
        return []
    rows: list[RateRow] = []
    for i, entry in enumerate(entries):
        at = problems.at(f"rates.{i}")
        currency = _currency(at, entry.get("currency"), enabled, "currency")
        low = entry.get("min_weight_grams") or 0
        high = entry.get("max_weight_grams")
        if low < 0:
            at.add("INVALID_WEIGHT", "A weight is 0 grams or more.", "min_weight_grams")
        if high is not None and high <= low:
            at.add("INVALID_WEIGHT_RANGE", "The top of a bracket must be above its bottom.", "max_weight_grams")
        price = _amount(at, entry.get("price"), currency, "price")
        row = RateRow(currency, low, high, price)
        clash = next((j for j, other in enumerate(rows) if _overlap(row, other)), None)
        if clash is not None:
            at.add("OVERLAPPING_WEIGHTS", f"This bracket overlaps rate {clash} in {currency}.", "min_weight_grams")
        rows.append(row)
    return rows


def _overlap(a: RateRow, b: RateRow) -> bool:
    if a.currency != b.currency:
        return False
    a_top = a.max_weight_grams if a.max_weight_grams is not None else float("inf")
    b_top = b.max_weight_grams if b.max_weight_grams is not None else float("inf")
    return a.min_weight_grams <= b_top and b.min_weight_grams <= a_top


def thresholds(problems: Problems, entries: Sequence[Mapping[str, Any]], enabled: Sequence[str]) -> list[ThresholdRow]:
    """Free shipping from an order subtotal, at most one per currency."""
    rows: list[ThresholdRow] = []
    for i, entry in enumerate(entries):
        at = problems.at(f"free_shipping_thresholds.{i}")
        currency = _currency(at, entry.get("currency"), enabled, "currency")
        if any(row.currency == currency for row in rows):
            at.add("DUPLICATE_CURRENCY", f"{currency} has a threshold already.", "currency")
        rows.append(ThresholdRow(currency, _amount(at, entry.get("amount"), currency, "amount")))
    return rows
