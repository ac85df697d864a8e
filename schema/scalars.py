"""Shared value types: `Money` (amount as a Decimal string plus currency), and how Lini's custom scalars are
encoded on the wire (`SCALAR_OVERRIDES`), so that code generators and storefront developers need not guess."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.schema.types.base_scalars import DateTimeDefinition, DecimalDefinition
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY

from core.money import Money as CoreMoney
from core.money import display, quantize


@strawberry.type(description="An amount of money. `amount` is a decimal string, never a float.")
class Money:
    amount: Decimal = strawberry.field(
        description="The amount, a Decimal string with the currency's ISO 4217 decimals (`389000.00` IDR)."
    )
    currency: str = strawberry.field(description="The ISO 4217 currency code, e.g. IDR, MYR, SAR, TRY, USD.")

    @strawberry.field(
        description="The amount written for people of `locale` (a BCP 47 tag, default id-ID), with the currency's "
        "symbol, separators and customary decimals from CLDR: Rp389.000, RM108.00, ₺99,90. For display only: "
        "compute with `amount`. An unknown locale is the error INVALID_LOCALE."
    )
    def formatted(
        self,
        locale: Annotated[
            str, strawberry.argument(description="A BCP 47 language tag such as id-ID, ms-MY, ar-SA, tr-TR, en.")
        ] = "id-ID",
    ) -> str:
        return display(self.amount, self.currency, locale)

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> Money:
        return cls(amount=quantize(amount, currency), currency=currency)

    @classmethod
    def from_core(cls, money: CoreMoney) -> Money:
        return cls.of(money.amount, money.currency)


@strawberry.type(description="The lowest and highest of a set of prices.")
class MoneyRange:
    start: Money | None = strawberry.field(description="The lowest price; null when nothing is priced.")
    stop: Money | None = strawberry.field(description="The highest price; null when nothing is priced.")


def _decimal_out(value: Decimal) -> str:
    """Fixed-point digits always: `str(Decimal)` would answer `1E+3` or `0E-8` for some stored values."""
    return format(value, "f")


def _datetime_out(value: dt.datetime) -> str:
    """Lini stores UTC; a value without its offset (SQLite hands some back naive) is UTC, and says so."""
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


DECIMAL = dataclasses.replace(
    DecimalDefinition,
    description=(
        "A decimal number sent as a JSON string of digits: an optional `-`, digits and an optional `.` with more "
        'digits (`"150000"`, `"45.90"`, `"-0.5"`), never a float and never an exponent. Money amounts have their '
        'currency\'s ISO 4217 decimals (IDR and MYR 2, JPY 0: `"549000.00"`); `Money.formatted` is the display '
        "form (Rp549.000). Inputs take the same strings; a field "
        "that wants an amount answers a typed error (`INVALID_AMOUNT`, ...) for one out of its range."
    ),
    specified_by_url="https://speleotrove.com/decimal/daconvs.html",
    serialize=_decimal_out,
)
DATETIME = dataclasses.replace(
    DateTimeDefinition,
    description=(
        "A point in time as an ISO 8601 / RFC 3339 string with its UTC offset, e.g. `2026-03-30T08:15:00+00:00`. "
        "Lini answers in UTC; send the offset in inputs too."
    ),
    specified_by_url="https://scalars.graphql.org/andimarek/date-time",
    serialize=_datetime_out,
)
JSON_SCALAR = dataclasses.replace(
    DEFAULT_SCALAR_REGISTRY[JSON],
    description=(
        "Any JSON value (ECMA-404), sent as is rather than as a string: a plugin's settings, a payment's next action "
        "(bank transfer instructions), a refund's lines. Each field's description says which shape it holds."
    ),
)

# Passed to the schema as `scalar_overrides`: the same Python types, with descriptions and `@specifiedBy`.
SCALAR_OVERRIDES: dict[object, object] = {Decimal: DECIMAL, dt.datetime: DATETIME, JSON: JSON_SCALAR}
