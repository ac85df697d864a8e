"""Money as `Decimal` plus an ISO 4217 currency; never a float.

Each currency is quantized to its own minor unit with one rounding rule (half-up, what shoppers and tax
offices expect), so totals computed anywhere in Lini agree to the last rupiah or sen. Sums and differences
of quantized amounts are exact; a product or a ratio is rounded once, where it is taken; splitting an amount
(a discount across lines) goes through `allocate`, whose parts always add up to the whole.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError
from babel.numbers import NumberPattern, get_currency_precision

from core.errors import DomainError

# ISO 4217 minor units that differ from 2: what amounts are kept and charged in. pycountry does not carry
# exponents, and babel's CLDR "digits" are a display convention that differs from ISO for 17 currencies
# (IDR 0 where ISO, tax invoices and Stripe say 2; IQD 0 where ISO says 3), so they decide display only.
_EXPONENTS = {
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
    "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}  # fmt: skip


def is_currency(code: str) -> bool:
    return len(code) == 3 and code.isupper() and code in _iso_4217()


@functools.cache
def _iso_4217() -> frozenset[str]:
    """The codes, read once: a feed import asks for every one of its hundred thousand rows, and pycountry's
    look-up costs far more than a set's."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def display_digits(amount: Decimal, currency: str) -> int:
    """Decimals a person is shown: the currency's customary ones (CLDR, through babel: none for rupiah), unless
    the amount has a fraction they would hide (Rp389.000,50), then its ISO 4217 minor unit."""
    customary = get_currency_precision(currency)
    return customary if amount == amount.quantize(Decimal(1).scaleb(-customary)) else exponent(currency)


@lru_cache(maxsize=256)
def _locale(tag: str) -> Locale:
    return Locale.parse(tag.replace("_", "-"), sep="-")


def display(amount: Decimal, currency: str, locale: str = "id-ID") -> str:
    """The amount as a shopper of `locale` reads it, symbol and separators by CLDR (babel): "Rp389.000" in
    id-ID, "RM108.00" in ms-MY, "₺99,90" in tr. The `amount` string stays the exact value; this is for showing.

    `locale` is a BCP 47 tag ("id-ID", "ms", "ar-SA"); an unknown one is INVALID_LOCALE.
    """
    try:
        chosen = _locale(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        raise DomainError(
            "INVALID_LOCALE", f"{locale!r} is not a known locale such as id-ID or ms-MY.", "locale"
        ) from None
    digits = display_digits(amount, currency)
    pattern: NumberPattern = copy.copy(chosen.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    return pattern.apply(amount, chosen, currency=currency, currency_digits=False)


@functools.cache
def _quantum(currency: str) -> Decimal:
    """The currency's minor unit as a Decimal, built once: a storefront page quantizes hundreds of prices."""
    return Decimal(1).scaleb(-exponent(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP)


def quantize_ratio(numerator: Decimal, denominator: Decimal, currency: str) -> Decimal:
    """`numerator / denominator` rounded once to the currency's minor unit.

    The division runs at 50 significant digits, so a true half (which always has a finite expansion) is
    seen exactly and rounded up, and no repeating fraction can be rounded the wrong way.
    """
    with localcontext() as context:
        context.prec = 50
        exact = numerator / denominator
    return quantize(exact, currency)


def parse_amount(value: str | Decimal | int) -> Decimal:
    """Parse an amount from the API; floats are refused on purpose."""
    if isinstance(value, float):
        raise TypeError("money amounts must not be floats")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal amount") from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not a finite amount")
    return amount


def decimal_or_none(value: object) -> Decimal | None:
    """A finite Decimal from an API value (Decimal, int or numeric string), None for anything else: floats and
    booleans included, so a validator reports its own typed error instead of catching conversions."""
    if value is None or isinstance(value, float | bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")

    @classmethod
    def of(cls, amount: str | Decimal | int, currency: str) -> Money:
        return cls(quantize(parse_amount(amount), currency), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(quantize(Decimal(0), currency), currency)

    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if not isinstance(factor, int | Decimal) or isinstance(factor, bool):
            return NotImplemented
        return Money(quantize(self.amount * factor, self.currency), self.currency)

    __rmul__ = __mul__

    def scaled(self, numerator: int | Decimal, denominator: int | Decimal) -> Money:
        """`self × numerator / denominator`, rounded once (a tax included in a price, a share of a line)."""
        return Money(quantize_ratio(self.amount * numerator, Decimal(denominator), self.currency), self.currency)

    def allocate(self, weights: Sequence[int | Decimal]) -> list[Money]:
        """Split into parts proportional to `weights` that add up to exactly this amount.

        Largest remainder: every part is first rounded down to the minor unit, then the minor units left
        over go one each to the parts that lost the most, the earlier part first on a tie. A discount split
        across order lines this way never gains or loses a sen.
        """
        if any(w < 0 for w in weights):
            raise ValueError("allocation weights must not be negative")
        total = sum(weights, Decimal(0))
        if self.amount < 0:
            return [-part for part in (-self).allocate(weights)]
        if total == 0:
            if self.amount != 0:
                raise ValueError("cannot allocate a non-zero amount over weights that are all zero")
            return [self for _ in weights]
        unit = Decimal(1).scaleb(-exponent(self.currency))
        units = int((quantize(self.amount, self.currency) / unit).to_integral_value())
        with localcontext() as context:
            context.prec = 50
            exact = [Decimal(units) * Decimal(w) / total for w in weights]
        floors = [int(share.to_integral_value(rounding=ROUND_FLOOR)) for share in exact]
        left = units - sum(floors)
        by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
        for i in by_remainder[:left]:
            floors[i] += 1
        return [Money(quantize(Decimal(n) * unit, self.currency), self.currency) for n in floors]

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
