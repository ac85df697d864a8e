"""Checkout totals (core.checkout.totals): every case below was worked out by hand, to the last rupiah or sen.

Per case: the lines as entered (key, quantity, unit price), the brand's price mode, the tax terms, the
voucher and the shipping price; then the expected totals, each line's (net unit, gross unit, discount, tax,
total) and the tax lines (name, rate, base, amount). The arithmetic is in the comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from core.checkout.totals import PricedLine, VoucherTerms, compute_totals
from core.money import Money
from core.taxes.calculator import LineTax, TaxTerms
from core.vouchers.models import VoucherKind

PPN = TaxTerms(name="PPN", country="ID", rate=Decimal("12"), base_numerator=11, base_denominator=12)
SST = TaxTerms(name="SST", country="MY", rate=Decimal("10"), base_numerator=1, base_denominator=1)
US_SALES = TaxTerms(name="Sales tax", country="US", rate=Decimal("10"), base_numerator=1, base_denominator=1)


def percent(p: str) -> VoucherTerms:
    return VoucherTerms(code="HEMAT", kind=VoucherKind.PERCENTAGE, percentage=Decimal(p), discount=None)


def fixed(amount: str, currency: str) -> VoucherTerms:
    return VoucherTerms(code="POTONG", kind=VoucherKind.FIXED, percentage=None, discount=Money.of(amount, currency))


FREE_SHIPPING = VoucherTerms(code="ONGKIR", kind=VoucherKind.FREE_SHIPPING, percentage=None, discount=None)


@dataclass
class Case:
    currency: str
    gross: bool
    lines: list[tuple[str, int, str]]
    tax: TaxTerms | None
    voucher: VoucherTerms | None
    shipping: str | None
    # subtotal, discount_total, shipping_total, tax_total, total
    expected: tuple[str, str, str, str, str]
    # key -> (unit net, unit gross, discount, tax, total)
    lines_expected: dict[str, tuple[str, str, str, str, str]] = field(default_factory=dict)
    # (name, rate, base, amount)
    tax_lines: list[tuple[str, str, str, str]] = field(default_factory=list)
    line_taxes: list[tuple[str, str, str]] | None = None  # (rate, amount, name) from a plugin


CASES = {
    # Rp 111.000 gross holds 111.000 × 11/111 = 11.000 tax; net 100.000; DPP 100.000 × 11/12 = 91.666,67.
    "idr-gross-ppn": Case(
        "IDR", True, [("a", 1, "111000")], PPN, None, None,
        ("111000.00", "0.00", "0.00", "11000.00", "111000.00"),
        {"a": ("100000.00", "111000.00", "0.00", "11000.00", "111000.00")},
        [("PPN", "12", "91666.67", "11000.00")],
    ),
    # Net Rp 100.000 × 2 = 200.000, tax 11% = 22.000; shipping 20.000 net + 2.200 tax.
    # DPP (200.000 + 20.000) × 11/12 = 201.666,666… → 201.666,67.
    "idr-net-ppn-shipping": Case(
        "IDR", False, [("a", 2, "100000")], PPN, None, "20000",
        ("222000.00", "0.00", "22200.00", "24200.00", "244200.00"),
        {"a": ("100000.00", "111000.00", "0.00", "22000.00", "222000.00")},
        [("PPN", "12", "201666.67", "24200.00")],
    ),
    # Rp 10.000 off three Rp 100.000 lines: 3.333,34 + 3.333,33 + 3.333,33 (largest remainder, first wins).
    # Tax on 96.666,66 × 11/111 = 9.579,578… → 9.579,58; on 96.666,67 → 9.579,579… → 9.579,58.
    # Unit tax 100.000 × 11/111 = 9.909,909… → 9.909,91, unit net 90.090,09.
    # Net after = 290.000 − 28.738,74 = 261.261,26; DPP × 11/12 = 239.489,488… → 239.489,49.
    "idr-gross-ppn-fixed-split": Case(
        "IDR", True, [("a", 1, "100000"), ("b", 1, "100000"), ("c", 1, "100000")], PPN, fixed("10000", "IDR"), None,
        ("300000.00", "10000.00", "0.00", "28738.74", "290000.00"),
        {
            "a": ("90090.09", "100000.00", "3333.34", "9579.58", "96666.66"),
            "b": ("90090.09", "100000.00", "3333.33", "9579.58", "96666.67"),
            "c": ("90090.09", "100000.00", "3333.33", "9579.58", "96666.67"),
        },
        [("PPN", "12", "239489.49", "28738.74")],
    ),
    # 149.000 × 2 + 89.900 = 387.900; 10% = 38.790, split 29.800 / 8.990.
    # Tax 268.200 × 11/111 = 26.578,378… → 26.578,38; 80.910 × 11/111 = 8.018,108… → 8.018,11.
    # Unit nets: 149.000 − 14.765,77 = 134.234,23; 89.900 − 8.909,01 = 80.990,99.
    # Net after 349.110 − 34.596,49 = 314.513,51; × 11/12 = 288.304,050… → 288.304,05.
    "idr-gross-ppn-percentage": Case(
        "IDR", True, [("a", 2, "149000"), ("b", 1, "89900")], PPN, percent("10"), None,
        ("387900.00", "38790.00", "0.00", "34596.49", "349110.00"),
        {
            "a": ("134234.23", "149000.00", "29800.00", "26578.38", "268200.00"),
            "b": ("80990.99", "89900.00", "8990.00", "8018.11", "80910.00"),
        },
        [("PPN", "12", "288304.05", "34596.49")],
    ),
    # Free shipping: the Rp 15.000 is dropped. Tax 250.000 × 11/111 = 24.774,774… → 24.774,77.
    # DPP 225.225,23 × 11/12 = 206.456,460… → 206.456,46.
    "idr-gross-ppn-free-shipping": Case(
        "IDR", True, [("a", 1, "250000")], PPN, FREE_SHIPPING, "15000",
        ("250000.00", "0.00", "0.00", "24774.77", "250000.00"),
        {"a": ("225225.23", "250000.00", "0.00", "24774.77", "250000.00")},
        [("PPN", "12", "206456.46", "24774.77")],
    ),
    # A Rp 75.000 voucher on Rp 50.000 takes 50.000 only; shipping 10.000 gross still holds
    # 10.000 × 11/111 = 990,990… → 990,99 tax; DPP (10.000 − 990,99) × 11/12 = 8.258,259… → 8.258,26.
    "idr-gross-ppn-fixed-capped": Case(
        "IDR", True, [("a", 1, "50000")], PPN, fixed("75000", "IDR"), "10000",
        ("50000.00", "50000.00", "10000.00", "990.99", "10000.00"),
        {"a": ("45045.05", "50000.00", "50000.00", "0.00", "0.00")},
        [("PPN", "12", "8258.26", "990.99")],
    ),
    # RM 59,90 × 3 = 179,70 net; RM 20 off → 159,70, SST 10% = 15,97, gross 175,67. Before: 179,70 + 17,97
    # = 197,67, so the gross discount is 22,00. Shipping RM 8 net + 0,80. Unit gross 59,90 + 5,99 = 65,89.
    "myr-net-sst-fixed-shipping": Case(
        "MYR", False, [("a", 3, "59.90")], SST, fixed("20", "MYR"), "8",
        ("197.67", "22.00", "8.80", "16.77", "184.47"),
        {"a": ("59.90", "65.89", "22.00", "15.97", "175.67")},
        [("SST", "10", "167.70", "16.77")],
    ),
    # No tax where it ships. 19,99 × 3 + 5,01 = 64,98; 15% = 9,747 → 9,75, split 975 × 5997/6498 = 899,83
    # and 975 × 501/6498 = 75,17 cents: floors 899 + 75, the spare cent to the larger remainder: 9,00 / 0,75.
    "usd-gross-untaxed-percentage": Case(
        "USD", True, [("a", 3, "19.99"), ("b", 1, "5.01")], None, percent("15"), None,
        ("64.98", "9.75", "0.00", "0.00", "55.23"),
        {
            "a": ("19.99", "19.99", "9.00", "0.00", "50.97"),
            "b": ("5.01", "5.01", "0.75", "0.00", "4.26"),
        },
        [],
    ),
    # Half a cent of tax rounds up: 0,05 × 10% = 0,005 → 0,01.
    "usd-net-half-up": Case(
        "USD", False, [("a", 1, "0.05")], US_SALES, None, None,
        ("0.06", "0.00", "0.00", "0.01", "0.06"),
        {"a": ("0.05", "0.06", "0.00", "0.01", "0.06")},
        [("Sales tax", "10", "0.05", "0.01")],
    ),
    # A plugin says Rp 11.000 on the Rp 111.000 line; half off leaves 55.500, so 5.500 tax. Shipping
    # 22.200 gross is taxed at the brand's own PPN: 2.200, DPP 20.000 × 11/12 = 18.333,33.
    "idr-plugin-taxes": Case(
        "IDR", True, [("a", 1, "111000")], PPN, percent("50"), "22200",
        ("111000.00", "55500.00", "22200.00", "7700.00", "77700.00"),
        {"a": ("100000.00", "111000.00", "55500.00", "5500.00", "55500.00")},
        [("PPN (plugin)", "11", "50000.00", "5500.00"), ("PPN", "12", "18333.33", "2200.00")],
        line_taxes=[("11", "11000", "PPN (plugin)")],
    ),
    # An empty cart costs nothing and has no tax lines.
    "idr-empty": Case(
        "IDR", True, [], PPN, percent("10"), None, ("0.00", "0.00", "0.00", "0.00", "0.00"), {}, []
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_totals_to_the_last_sen(name):
    case = CASES[name]
    lines = [PricedLine(key=k, quantity=q, unit_price=Money.of(p, case.currency)) for k, q, p in case.lines]
    line_taxes = (
        [LineTax(rate=Decimal(r), amount=Money.of(a, case.currency), name=n) for r, a, n in case.line_taxes]
        if case.line_taxes is not None
        else None
    )
    totals = compute_totals(
        lines,
        currency=case.currency,
        prices_include_tax=case.gross,
        tax=case.tax,
        voucher=case.voucher,
        shipping=Money.of(case.shipping, case.currency) if case.shipping is not None else None,
        line_taxes=line_taxes,
    )
    got = (totals.subtotal, totals.discount_total, totals.shipping_total, totals.tax_total, totals.total)
    assert tuple(str(m.amount) for m in got) == case.expected
    assert all(m.currency == case.currency for m in got)
    assert {
        t.key: tuple(str(m.amount) for m in (t.unit_price_net, t.unit_price_gross, t.discount, t.tax, t.total))
        for t in totals.lines
    } == case.lines_expected
    assert [(t.name, str(t.rate), str(t.base.amount), str(t.amount.amount)) for t in totals.tax_lines] == case.tax_lines
    # The identities every case keeps.
    assert totals.total == totals.subtotal - totals.discount_total + totals.shipping_total
    assert totals.tax_total == sum((t.amount for t in totals.tax_lines), Money.zero(case.currency))


def test_line_tax_rate_is_the_nominal_rate_or_zero():
    lines = [PricedLine(key="a", quantity=1, unit_price=Money.of("111000", "IDR"))]
    taxed = compute_totals(lines, currency="IDR", prices_include_tax=True, tax=PPN, voucher=None, shipping=None)
    untaxed = compute_totals(lines, currency="IDR", prices_include_tax=True, tax=None, voucher=None, shipping=None)
    assert taxed.lines[0].tax_rate == Decimal("12") and untaxed.lines[0].tax_rate == Decimal(0)


def test_a_zero_rate_still_shows_its_tax_line():
    zero = TaxTerms(name="Exempt", country="SA", rate=Decimal(0), base_numerator=1, base_denominator=1)
    lines = [PricedLine(key="a", quantity=2, unit_price=Money.of("150", "SAR"))]
    totals = compute_totals(lines, currency="SAR", prices_include_tax=False, tax=zero, voucher=None, shipping=None)
    assert totals.total.amount == Decimal("300.00")
    assert [(t.name, t.base.amount, t.amount.amount) for t in totals.tax_lines] == [
        ("Exempt", Decimal("300.00"), Decimal("0.00"))
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"shipping": Money.of("1", "MYR")},
        {"voucher": fixed("5", "MYR")},
        {"voucher": VoucherTerms(code="X", kind=VoucherKind.PERCENTAGE, percentage=Decimal(101), discount=None)},
        {"voucher": VoucherTerms(code="X", kind=VoucherKind.FIXED, percentage=None, discount=None)},
        {"line_taxes": []},
        {"lines": [PricedLine(key="a", quantity=-1, unit_price=Money.of("1", "IDR"))]},
        {"lines": [PricedLine(key="a", quantity=1, unit_price=Money.of("1", "MYR"))]},
    ],
)
def test_inconsistent_input_is_a_programming_error(kwargs):
    arguments = {
        "lines": [PricedLine(key="a", quantity=1, unit_price=Money.of("1000", "IDR"))],
        "currency": "IDR",
        "prices_include_tax": True,
        "tax": PPN,
        "voucher": None,
        "shipping": None,
        **kwargs,
    }
    with pytest.raises(ValueError):
        compute_totals(arguments.pop("lines"), **arguments)
