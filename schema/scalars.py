"""Shared value types: `Money` (amount as a Decimal string plus currency)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from core.money import Money as CoreMoney
from core.money import display, quantize


@strawberry.type(description="An amount of money. `amount` is a decimal string, never a float.")
class Money:
    amount: Decimal
    currency: str

    @strawberry.field(
        description="The amount written for people of `locale` (a BCP 47 tag, default id-ID), with the currency's "
        "symbol, separators and customary decimals from CLDR: Rp389.000, RM108.00, ₺99,90. For display only: "
        "compute with `amount`. An unknown locale is the error INVALID_LOCALE."
    )
    def formatted(self, locale: str = "id-ID") -> str:
        return display(self.amount, self.currency, locale)

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> Money:
        return cls(amount=quantize(amount, currency), currency=currency)

    @classmethod
    def from_core(cls, money: CoreMoney) -> Money:
        return cls.of(money.amount, money.currency)


@strawberry.type(description="The lowest and highest of a set of prices.")
class MoneyRange:
    start: Money | None
    stop: Money | None
