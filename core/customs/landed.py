"""What a parcel abroad costs on arrival: the destination's duty per HS code and its import tax.

The customs value of each line is its price plus its share of the shipping (CIF, as Malaysia, Saudi Arabia and
Turkey value imports), shared by value. Below the destination's de-minimis threshold (compared on the goods'
value, converted with the platform's exchange rates) no duty is due, and below the tax threshold no tax. Each
line's duty is rounded to the checkout currency once; the tax is computed on the sum, so the totals add up to the
sen as an invoice shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.customs.models import CustomsDuty, ImportTax
from core.garments.rates import convert
from core.money import Money, quantize

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DutiableLine:
    key: str  # the caller's line key
    hs_code: str  # six digits (core.customs.rules)
    value: Money  # the line's total price


@dataclass(frozen=True)
class LineDuty:
    key: str
    hs_code: str
    customs_value: Money
    rate: Decimal  # percent; 0 where no duty is listed for the code
    duty: Money


@dataclass(frozen=True)
class LandedCost:
    country: str
    goods: Money
    customs_value: Money  # goods and shipping
    duty: Money
    tax: Money
    tax_name: str
    tax_rate: Decimal
    duty_exempt: bool  # under the de-minimis threshold
    tax_exempt: bool
    lines: tuple[LineDuty, ...]

    @property
    def total(self) -> Money:
        return self.duty + self.tax


def _duty_rate(duties: Sequence[CustomsDuty], hs_code: str) -> Decimal:
    """The longest listed prefix of the code (subheading before heading); none listed: duty-free."""
    best = max((d for d in duties if hs_code.startswith(d.hs_prefix)), key=lambda d: len(d.hs_prefix), default=None)
    return Decimal(best.rate) if best is not None else Decimal(0)


async def landed_cost(country: str, lines: Sequence[DutiableLine], shipping: Money) -> LandedCost | None:
    """None when the platform keeps no import tax for `country` (its rules are unknown, so nothing is estimated)."""
    tax = await ImportTax.get_or_none(country=country)
    if tax is None or not lines:
        return None
    currency = shipping.currency
    duties = await CustomsDuty.filter(country=country)
    goods = sum((line.value.amount for line in lines), Decimal(0))
    in_threshold_currency = await convert(goods, currency, tax.currency)
    duty_exempt = in_threshold_currency <= Decimal(tax.duty_free_up_to)
    tax_exempt = in_threshold_currency <= Decimal(tax.tax_free_up_to)
    shared = Decimal(0)
    priced: list[LineDuty] = []
    for index, line in enumerate(lines):
        # shipping shared by value; the last line takes the rounding rest, so the shares sum to the shipping
        share = (
            shipping.amount - shared
            if index == len(lines) - 1
            else quantize(shipping.amount * line.value.amount / goods if goods else Decimal(0), currency)
        )
        shared += share
        value = line.value.amount + share
        rate = Decimal(0) if duty_exempt else _duty_rate(duties, line.hs_code)
        priced.append(
            LineDuty(
                key=line.key,
                hs_code=line.hs_code,
                customs_value=Money.of(value, currency),
                rate=rate,
                duty=Money.of(quantize(value * rate / HUNDRED, currency), currency),
            )
        )
    customs_value = goods + shipping.amount
    duty = sum((p.duty.amount for p in priced), Decimal(0))
    base = customs_value + (duty if tax.tax_includes_duty else 0)
    tax_amount = Decimal(0) if tax_exempt else quantize(base * Decimal(tax.rate) / HUNDRED, currency)
    return LandedCost(
        country=country,
        goods=Money.of(goods, currency),
        customs_value=Money.of(customs_value, currency),
        duty=Money.of(duty, currency),
        tax=Money.of(tax_amount, currency),
        tax_name=tax.name,
        tax_rate=Decimal(tax.rate),
        duty_exempt=duty_exempt,
        tax_exempt=tax_exempt,
        lines=tuple(priced),
    )
