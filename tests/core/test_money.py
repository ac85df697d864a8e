"""Money is Decimal plus currency, quantized to the currency's minor unit with half-up rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.money import Money, exponent, is_currency, quantize


@pytest.mark.parametrize(
    ("currency", "digits"), [("IDR", 2), ("MYR", 2), ("SAR", 2), ("TRY", 2), ("JPY", 0), ("KWD", 3)]
)
def test_exponents_follow_iso_4217(currency, digits):
    assert exponent(currency) == digits


def test_quantize_rounds_half_up():
    assert quantize(Decimal("10.005"), "MYR") == Decimal("10.01")
    assert quantize(Decimal("10.004"), "MYR") == Decimal("10.00")
    assert quantize(Decimal("1500.5"), "JPY") == Decimal("1501")


def test_arithmetic_keeps_currency_and_refuses_mixing():
    a = Money.of("100000", "IDR")
    assert (a + Money.of("2500.50", "IDR")).amount == Decimal("102500.50")
    assert (a * 3).amount == Decimal("300000.00")
    with pytest.raises(ValueError, match="cannot combine IDR with MYR"):
        a + Money.of("1", "MYR")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        Money.of(1.1, "IDR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(1.1, "IDR")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money.of("NaN", "IDR")


def test_currency_codes_are_validated():
    assert is_currency("IDR") and is_currency("MYR")
    assert not is_currency("idr") and not is_currency("XYZ") and not is_currency("RUPIAH")
