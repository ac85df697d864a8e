"""A brand's dispatch settings, read and changed by its staff with MANAGE_ORDERS (the permission production
assignment asks for): the ranking a dispatcher makes is a way of assigning, so the same people decide it.

A brand that never saved settings has the defaults (not a row); the first change writes its row. Every mistake
in one change is reported together and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from lini.plugin import Actor, Brand, Permission, Problems
from plugins.tailor_dispatch import strategies
from plugins.tailor_dispatch.models import DispatchSettings

PERMISSION = Permission.MANAGE_ORDERS
WEIGHTS = ("quality_weight", "on_time_weight", "load_weight", "distance_weight", "rotation_weight", "price_weight")
MAX_WEIGHT = Decimal(100)
CENT = Decimal("0.01")
MAX_HISTORY = 200
DEFAULT_HISTORY = 20  # the default of `history_jobs`, what a tailor's own metrics are counted over
OFFER_MINUTES = (5, 7 * 24 * 60)  # from five minutes to a week
MAX_MISSES = 50


# Each weight's column, by the term code a strategy reads it under (`DispatchContext.weights`).
TERM_WEIGHTS = {
    "QUALITY": "quality_weight",
    "ON_TIME": "on_time_weight",
    "LOAD": "load_weight",
    "DISTANCE": "distance_weight",
    "ROTATION": "rotation_weight",
    "PRICE": "price_weight",
}


def weights_of(row: DispatchSettings) -> dict[str, float]:
    return {term: float(getattr(row, column)) for term, column in TERM_WEIGHTS.items()}


async def settings_of(brand_id: int) -> DispatchSettings:
    """The brand's settings, or unsaved defaults (no permission check: callers have made theirs)."""
    return await DispatchSettings.get_or_none(brand_id=brand_id) or DispatchSettings(brand_id=brand_id)


async def read(actor: Actor, brand: Brand) -> DispatchSettings:
    actor.require(brand.id, PERMISSION)
    return await settings_of(brand.id)


async def update(actor: Actor, brand: Brand, given: Mapping[str, Any]) -> DispatchSettings:
    actor.require(brand.id, PERMISSION)
    row = await settings_of(brand.id)
    problems = Problems()
    for name in WEIGHTS:
        value = given.get(name)
        if value is not None and (not Decimal(0) <= value <= MAX_WEIGHT or value != value.quantize(CENT)):
            problems.add("INVALID_WEIGHT", f"A weight is from 0 to {MAX_WEIGHT}, with at most 2 decimals.", name)
    if "history_jobs" in given and not 1 <= given["history_jobs"] <= MAX_HISTORY:
        problems.add("INVALID_HISTORY", f"Judge tailors on 1 to {MAX_HISTORY} of their last jobs.", "history_jobs")
    if "offer_minutes" in given and not OFFER_MINUTES[0] <= given["offer_minutes"] <= OFFER_MINUTES[1]:
        problems.add(
            "INVALID_OFFER_MINUTES",
            f"An offer stays open {OFFER_MINUTES[0]} to {OFFER_MINUTES[1]} minutes.",
            "offer_minutes",
        )
    if "strategy" in given and given["strategy"] not in strategies.available():
        known = ", ".join(sorted(strategies.available()))
        problems.add(
            "UNKNOWN_STRATEGY", f"There is no dispatch strategy of that name (installed: {known}).", "strategy"
        )
    if "max_misses" in given and not 1 <= given["max_misses"] <= MAX_MISSES:
        problems.add("INVALID_MAX_MISSES", f"Tell staff after 1 to {MAX_MISSES} missed offers.", "max_misses")
    for name, limit in (("origin_latitude", 90), ("origin_longitude", 180)):
        value = given.get(name)
        if value is not None and not -limit <= Decimal(value) <= limit:
            problems.add("INVALID_COORDINATE", f"Give a value from -{limit} to {limit}.", name)
    merged = {name: given.get(name, getattr(row, name)) for name in ("origin_latitude", "origin_longitude")}
    if (merged["origin_latitude"] is None) != (merged["origin_longitude"] is None):
        problems.add("INVALID_COORDINATE", "Give both the latitude and the longitude, or neither.", "origin_latitude")
    problems.raise_any()
    for name, value in given.items():
        setattr(row, name, value)
    row.updated_by = actor.label
    await row.save()
    return row
