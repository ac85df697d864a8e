"""The tax terms a brand charges in a destination country, and the per-line taxes a tax plugin may return.

`TaxTerms` is what `core.checkout.totals` needs to compute taxes itself: a percentage of a base that is a
fraction of the net price. Indonesia's PPN since 2025 is 12% of 11/12 of the price (11% in effect); most
countries tax the whole net price (a base of 1/1).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.money import Money
from core.taxes.models import TaxRate


@dataclass(frozen=True)
class TaxTerms:
    name: str
    country: str
    rate: Decimal  # percent, e.g. Decimal("12")
    base_numerator: int
    base_denominator: int

    @property
    def effective_rate(self) -> tuple[Decimal, Decimal]:
        """The share of the net price that is tax, as an exact fraction (numerator, denominator).

        Kept as a fraction so that a base such as 1/3 never loses precision before the one rounding.
        """
        return self.rate * self.base_numerator, Decimal(100 * self.base_denominator)


@dataclass(frozen=True)
class LineTax:
    """One checkout line's tax as a `tax_lines` plugin computed it, on the line's full amount as shown to
    the plugin (unit price × quantity, before any voucher); a discount reduces it in proportion."""

    rate: Decimal
    amount: Money
    name: str = ""


def from_model(row: TaxRate) -> TaxTerms:
    return TaxTerms(
        name=row.name,
        country=row.country,
        rate=row.rate,
        base_numerator=row.base_numerator,
        base_denominator=row.base_denominator,
    )


async def tax_terms(brand_id: int, country: str | None) -> TaxTerms | None:
    """The brand's rate for shipping to `country` (ISO 3166-1 alpha-2), or None: no tax is charged there."""
    if not country:
        return None
    row = await TaxRate.get_or_none(brand_id=brand_id, country=country.strip().upper())
    return from_model(row) if row else None
