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


def test_multiplying_rounds_once_per_currency_and_works_both_ways():
    assert (Money.of("59.90", "MYR") * Decimal("0.105")).amount == Decimal("6.29")  # 6.2895 half-up
    assert (3 * Money.of("19.99", "USD")).amount == Decimal("59.97")
    assert (Money.of("1500", "JPY") * Decimal("0.0005")).amount == Decimal("1")  # 0.75 yen
    assert Money.of("111000", "IDR").scaled(11, 111).amount == Decimal("11000.00")
    assert Money.of("0.05", "USD").scaled(1, 10).amount == Decimal("0.01")  # exactly half a cent rounds up
    with pytest.raises(TypeError):
        Money.of("1", "IDR") * 1.5  # type: ignore[operator]


def test_comparisons_and_zero():
    assert Money.zero("IDR").amount == Decimal("0.00") and Money.zero("IDR").is_zero
    assert Money.zero("JPY").amount == Decimal("0")
    small, big = Money.of("1", "MYR"), Money.of("2", "MYR")
    assert big > small and big >= small and small < big and min(big, small) == small
    assert -small == Money.of("-1", "MYR")


@pytest.mark.parametrize(
    ("amount", "currency", "weights", "parts"),
    [
        ("100", "IDR", [1, 1, 1], ["33.34", "33.33", "33.33"]),
        ("10000", "IDR", [100000, 100000, 100000], ["3333.34", "3333.33", "3333.33"]),
        ("9.75", "USD", [Decimal("59.97"), Decimal("5.01")], ["9.00", "0.75"]),
        ("1000", "JPY", [1, 2, 3], ["167", "333", "500"]),
        ("0.05", "MYR", [3, 3, 3, 1], ["0.02", "0.02", "0.01", "0.00"]),  # ties: the earlier part
        ("0", "IDR", [0, 0], ["0.00", "0.00"]),
        ("-100", "IDR", [1, 1, 1], ["-33.34", "-33.33", "-33.33"]),
        ("5", "IDR", [0, 1], ["0.00", "5.00"]),
    ],
)
def test_allocation_is_largest_remainder_and_sums_exactly(amount, currency, weights, parts):
    allocated = Money.of(amount, currency).allocate(weights)
    assert [p.amount for p in allocated] == [Decimal(p) for p in parts]
    assert sum((p.amount for p in allocated), Decimal(0)) == Decimal(amount)


def test_allocation_never_loses_a_sen():
    for cents in range(0, 2000, 37):
        whole = Money.of(Decimal(cents) / 100, "MYR")
        for weights in ([7, 3], [1, 1, 1, 1, 1, 1, 1], [Decimal("0.3"), Decimal("2.9"), 11]):
            parts = whole.allocate(weights)
            assert sum(parts, Money.zero("MYR")) == whole and all(p.amount >= 0 for p in parts)


def test_allocation_refuses_what_cannot_be_split():
    with pytest.raises(ValueError):
        Money.of("1", "IDR").allocate([0, 0])
    with pytest.raises(ValueError):
        Money.of("1", "IDR").allocate([1, -1])


def test_display_uses_cldr_symbols_separators_and_customary_decimals():
    from core.money import display

    assert display(Decimal("389000.00"), "IDR") == "Rp389.000"  # rupiah is shown without sen
    assert display(Decimal("389000.50"), "IDR", "id") == "Rp389.000,50"  # unless there are some to show
    assert display(Decimal("-20000"), "IDR", "id_ID") == "-Rp20.000"
    assert display(Decimal("108.00"), "MYR", "ms-MY") == "RM108.00"
    assert display(Decimal("12.345"), "BHD", "en") == "BHD12.345"
    assert display(Decimal("1500"), "JPY", "ja") == "￥1,500"


@pytest.mark.parametrize("locale", ["zz-QQ", "", "not a locale"])
def test_display_refuses_an_unknown_locale(locale):
    from core.errors import DomainError
    from core.money import display

    with pytest.raises(DomainError) as caught:
        display(Decimal(1), "IDR", locale)
    assert (caught.value.code, caught.value.field) == ("INVALID_LOCALE", "locale")
