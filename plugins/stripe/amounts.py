"""Stripe's own amount rules: an amount is an integer count of Stripe's unit for the currency.

Stripe's units are not always ISO 4217's minor units, so this table is Stripe's, not `core.money`'s
(https://docs.stripe.com/currencies):

- zero-decimal currencies are sent as whole units (JPY 500 → 500);
- IDR is *not* zero-decimal for Stripe: Rp 150.000 → 15000000, like MYR 45.00 → 4500;
- ISK and UGX are zero-decimal but, for backwards compatibility, still sent ×100, in whole units only;
- three-decimal currencies (BHD, JOD, KWD, OMR, TND) are sent ×1000 with a last digit of 0.

Conversions are exact Decimal arithmetic; an amount Stripe cannot represent is refused, never rounded.
"""

from __future__ import annotations

from decimal import Decimal

from lini.plugin import DomainError

ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "VND", "VUV", "XAF", "XOF", "XPF"}
)
WHOLE_UNITS_TIMES_100 = frozenset({"ISK", "UGX"})
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})


def exponent(currency: str) -> int:
    """How many decimal places Stripe's integer amount carries for `currency` (upper or lower case)."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def _unsupported(amount: Decimal, currency: str, why: str) -> DomainError:
    return DomainError("PAYMENT_AMOUNT_UNSUPPORTED", f"Stripe cannot charge {amount} {currency}: {why}", "payment")


def to_stripe(amount: Decimal, currency: str) -> int:
    """Lini's Decimal amount as Stripe's integer; a fraction Stripe cannot take is an error, not rounded."""
    code = currency.upper()
    if not amount.is_finite() or amount < 0:
        raise _unsupported(amount, code, "not a positive amount.")
    if code in WHOLE_UNITS_TIMES_100 and amount != amount.to_integral_value():
        raise _unsupported(amount, code, "it is charged in whole units.")
    scaled = amount.scaleb(exponent(code))
    if scaled != scaled.to_integral_value():
        raise _unsupported(amount, code, f"it has at most {exponent(code)} decimals at Stripe.")
    units = int(scaled)
    if code in THREE_DECIMAL and units % 10:
        raise _unsupported(amount, code, "the last of its three decimals must be 0.")
    return units


def from_stripe(units: int, currency: str) -> Decimal:
    """Stripe's integer amount as a Decimal in the currency's major unit."""
    return Decimal(int(units)).scaleb(-exponent(currency))
