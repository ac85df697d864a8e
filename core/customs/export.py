"""A parcel that leaves the brand's country needs customs data on every line; this says which lines lack it.

Checked when the shipping address is set (so the shopper hears it before paying) and again when the checkout
becomes an order (lines may have been added since, or a category's defaults cleared). A domestic parcel needs
nothing: a brand can sell at home before it has classified its catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.actors.models import Brand
from core.customs.landed import DutiableLine, LandedCost, landed_cost
from core.customs.services import for_variants
from core.errors import DomainError

if TYPE_CHECKING:
    from core.checkout.pricing import CheckoutPricing
    from core.plugins import PluginHost


def crosses_border(brand: Brand, country: str | None) -> bool:
    return bool(country) and country != brand.ships_from


async def missing_for_export(
    brand: Brand, country: str | None, lines: Sequence[tuple[int, str]], field: str = "lines"
) -> list[DomainError]:
    """One CUSTOMS_DATA_MISSING per line (variant id, name shown) that cannot cross into `country`."""
    if not crosses_border(brand, country) or not lines:
        return []
    found = await for_variants(variant_id for variant_id, _ in lines)
    problems = []
    for index, (variant_id, name) in enumerate(lines):
        customs = found.get(variant_id)
        missing = customs.missing if customs is not None else ["hs_code"]
        if missing:
            problems.append(
                DomainError(
                    "CUSTOMS_DATA_MISSING",
                    f"{name} cannot be shipped to {country} yet: the brand has not given its "
                    f"{', '.join(m.replace('_', ' ') for m in missing)}.",
                    f"{field}.{index}",
                )
            )
    return problems


async def checkout_landed_cost(pricing: CheckoutPricing, host: PluginHost) -> LandedCost | None:
    """The duty and import tax the checkout's parcel will owe on arrival, on the lines' totals after discounts
    and the shipping charged; None at home, before an address, or where a line lacks its HS code (the checkout
    then reports CUSTOMS_DATA_MISSING) or the destination's rules are unknown."""
    country = (pricing.checkout.shipping_address or {}).get("country")
    if not crosses_border(pricing.brand, country) or not pricing.lines:
        return None
    customs = await for_variants(p.line.variant_id for p in pricing.lines)
    totals = {t.key: t for t in pricing.totals.lines}
    lines = []
    for p in pricing.lines:
        found, total = customs.get(p.line.variant_id), totals.get(str(p.line.id))
        if found is None or found.hs_code is None or total is None:
            return None
        lines.append(DutiableLine(key=str(p.line.id), hs_code=found.hs_code, value=total.total))
    shipping = pricing.totals.shipping_total
    for answer in await host.call(
        "landed_cost", country=str(country), lines=lines, shipping=shipping, brand_id=pricing.brand.id
    ):
        if answer is not None:
            if len(answer.lines) != len(lines) or answer.duty.currency != shipping.currency:
                raise RuntimeError("a landed_cost hook answered for other lines or in another currency")
            return answer
    return await landed_cost(str(country), lines, shipping)
