"""A parcel that leaves the brand's country: which lines lack customs data, and what it owes on arrival.

The data is checked (`core.checkout.services.exportable`) when the shipping address is set, when a line joins a
parcel already going abroad, before a payment starts and when the checkout becomes an order (a category's
defaults may have been cleared meanwhile). A domestic parcel needs nothing: a brand can sell at home before it
has classified its catalog. `landed_for` prices the duty and import tax (a plugin's answer first, the platform's
tables otherwise) for every pricing of a parcel abroad; the order keeps it as `landed_snapshot`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from core.actors.models import Brand
from core.customs.landed import DutiableLine, LandedCost, LineDuty, landed_cost
from core.customs.services import for_variants
from core.errors import DomainError
from core.money import Money

if TYPE_CHECKING:
    from core.checkout.models import Checkout
    from core.checkout.pricing import PricedCheckoutLine
    from core.checkout.totals import Totals
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


async def landed_for(
    brand: Brand, checkout: Checkout, lines: Sequence[PricedCheckoutLine], totals: Totals, host: PluginHost
) -> LandedCost | None:
    """The duty and import tax the checkout's parcel will owe on arrival, on the lines' totals after discounts
    and the shipping charged; None at home, before an address, or where a line lacks its HS code (the checkout
    then reports CUSTOMS_DATA_MISSING) or the destination's rules are unknown. A plugin's `landed_cost` answer
    comes first, the platform's tables otherwise."""
    country = (checkout.shipping_address or {}).get("country")
    if not crosses_border(brand, country) or not lines:
        return None
    customs = await for_variants(p.line.variant_id for p in lines)
    line_totals = {t.key: t for t in totals.lines}
    dutiable = []
    for p in lines:
        found, total = customs.get(p.line.variant_id), line_totals.get(str(p.line.id))
        if found is None or found.hs_code is None or total is None:
            return None
        dutiable.append(DutiableLine(key=str(p.line.id), hs_code=found.hs_code, value=total.total))
    shipping = totals.shipping_total
    for answer in await host.call(
        "landed_cost", country=str(country), lines=dutiable, shipping=shipping, brand_id=brand.id
    ):
        if answer is not None:
            if len(answer.lines) != len(dutiable) or answer.duty.currency != shipping.currency:
                raise RuntimeError("a landed_cost hook answered for other lines or in another currency")
            return answer
    return await landed_cost(str(country), dutiable, shipping)


def landed_snapshot(cost: LandedCost | None, incoterm: str) -> dict[str, object] | None:
    """The estimate as the order keeps it (for its papers and its page), amounts as strings."""
    if cost is None:
        return None
    return {
        "country": cost.country,
        "incoterm": str(incoterm),
        "currency": cost.duty.currency,
        "customs_value": str(cost.customs_value.amount),
        "duty": str(cost.duty.amount),
        "tax": str(cost.tax.amount),
        "tax_name": cost.tax_name,
        "tax_rate": str(cost.tax_rate),
        "duty_exempt": cost.duty_exempt,
        "tax_exempt": cost.tax_exempt,
        "lines": [
            {
                "hs_code": line.hs_code,
                "customs_value": str(line.customs_value.amount),
                "rate": str(line.rate),
                "duty": str(line.duty.amount),
            }
            for line in cost.lines
        ],
    }


def from_snapshot(data: dict[str, object]) -> LandedCost:
    """An order's kept estimate back as a `LandedCost`."""
    currency = str(data["currency"])

    def money(value: object) -> Money:
        return Money.of(Decimal(str(value)), currency)

    lines = [dict(line) for line in data.get("lines") or []]  # type: ignore[attr-defined]
    duty, tax = money(data["duty"]), money(data["tax"])
    customs_value = money(data["customs_value"])
    return LandedCost(
        country=str(data["country"]),
        goods=customs_value,
        customs_value=customs_value,
        duty=duty,
        tax=tax,
        tax_name=str(data["tax_name"]),
        tax_rate=Decimal(str(data["tax_rate"])),
        duty_exempt=bool(data.get("duty_exempt")),
        tax_exempt=bool(data.get("tax_exempt")),
        lines=tuple(
            LineDuty(
                key=str(i),
                hs_code=str(line["hs_code"]),
                customs_value=money(line["customs_value"]),
                rate=Decimal(str(line["rate"])),
                duty=money(line["duty"]),
            )
            for i, line in enumerate(lines)
        ),
    )
