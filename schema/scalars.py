"""Shared value types: `Money` (amount as a Decimal string plus currency)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from core.money import Money as CoreMoney
from core.money import quantize


@strawberry.type(description="An amount of money. `amount` is a decimal string, never a float.")
class Money:
    amount: Decimal
    currency: str

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
