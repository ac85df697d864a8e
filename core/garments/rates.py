"""Exchange rates the platform's administrators maintain, to price a supplier's fabric in a storefront's currency.

A rate says how much one unit of `base` is in `quote`. Conversion uses the direct rate, else the inverse of
the reverse one, and returns an unrounded Decimal: the caller rounds once, where the amount is priced.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.context import Actor
from core.errors import DomainError
from core.events import emit
from core.garments.models import ExchangeRate
from core.money import is_currency
from core.validation import Problems

RATE_PLACES = Decimal("0.00000001")  # the column's 8 decimal places
MAX_RATE = Decimal(10) ** 12  # max_digits 20 − 8 decimals


async def convert(amount: Decimal, from_currency: str, to_currency: str) -> Decimal:
    """`amount` of `from_currency` in `to_currency`, unrounded (50 significant digits)."""
    if from_currency == to_currency:
        return amount
    rows = await ExchangeRate.filter(
        Q(base=from_currency, quote=to_currency) | Q(base=to_currency, quote=from_currency)
    )
    direct = next((r for r in rows if r.base == from_currency), None)
    reverse = next((r for r in rows if r.base == to_currency), None)
    with localcontext() as context:
        context.prec = 50
        if direct is not None:
            return amount * Decimal(direct.rate)
        if reverse is not None:
            return amount / Decimal(reverse.rate)
    raise DomainError(
        "NO_EXCHANGE_RATE", f"There is no exchange rate between {from_currency} and {to_currency}.", "currency"
    )


async def set_rate(actor: Actor, *, base: str, quote: str, rate: object) -> ExchangeRate:
    """Create or replace the rate from `base` to `quote` (platform administrators)."""
    actor.require_platform_admin()
    problems = Problems()
    base_code = _currency(problems, base, "base")
    quote_code = _currency(problems, quote, "quote")
    if base_code and base_code == quote_code:
        problems.add("SAME_CURRENCY", "A rate converts between two different currencies.", "quote")
    value = _rate(problems, rate)
    problems.check()
    try:
        async with in_transaction():
            updated = await ExchangeRate.filter(base=base_code, quote=quote_code).update(
                rate=value, updated_by=actor.label
            )
            if not updated:
                await ExchangeRate.create(base=base_code, quote=quote_code, rate=value, updated_by=actor.label)
            await emit("exchange_rate.set", {"base": base_code, "quote": quote_code, "rate": str(value)})
    except IntegrityError:  # another admin created the same pair between our UPDATE and INSERT: theirs is as new
        pass
    return await ExchangeRate.get(base=base_code, quote=quote_code)


def listing(*, currency: str | None = None) -> QuerySet[ExchangeRate]:
    """Every rate, or those involving `currency`."""
    queryset = ExchangeRate.all()
    if currency:
        code = currency.strip().upper()
        queryset = queryset.filter(Q(base=code) | Q(quote=code))
    return queryset


def _currency(problems: Problems, value: str | None, field: str) -> str:
    code = (value or "").strip().upper()
    if not is_currency(code):
        problems.add("INVALID_CURRENCY", f"{value!r} is not an ISO 4217 currency code.", field)
        return ""
    return code


def _rate(problems: Problems, value: object) -> Decimal:
    try:
        if isinstance(value, float):
            raise TypeError
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        number = Decimal(0)
    rounded = (
        number.quantize(RATE_PLACES, rounding=ROUND_HALF_UP) if number.is_finite() and number < MAX_RATE else Decimal(0)
    )
    if rounded <= 0:
        problems.add("INVALID_RATE", f"Give a rate above 0 and below {MAX_RATE}, with up to 8 decimals.", "rate")
    elif rounded != number:
        problems.add("INVALID_RATE", "A rate has at most 8 decimals.", "rate")
    return rounded


async def factors_into(currency: str) -> dict[str, Decimal]:
    """What one unit of each currency that has a rate with `currency` is worth in it (`currency` itself: 1), in
    one query: a list priced in many currencies converts every row without a look-up each. The direct rate is
    preferred to the inverse of the reverse one, as `convert` does."""
    rows = await ExchangeRate.filter(Q(base=currency) | Q(quote=currency))
    factors = {currency: Decimal(1)}
    with localcontext() as context:
        context.prec = 50
        for row in rows:
            if row.base == currency and row.quote not in factors:
                factors[row.quote] = 1 / Decimal(row.rate)
        for row in rows:
            if row.quote == currency:
                factors[row.base] = Decimal(row.rate)
    return factors
