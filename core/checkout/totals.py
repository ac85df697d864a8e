"""What a checkout costs, computed from plain values: no database, no plugins, the same answer everywhere.

The storefront's totals, the amount charged and the order's stored lines all come from `compute_totals`, so
a shopper pays exactly what was shown. The rules (also in docs/totals.md):

- Prices are as the brand entered them: gross (tax included) when `prices_include_tax`, else net.
- `subtotal` is the sum of the lines' gross amounts before any discount: what a shopper sees in the cart.
- A voucher discounts the entered amounts. PERCENTAGE takes that share of the entered subtotal, rounded
  once; FIXED takes its amount but never more than the entered subtotal; FREE_SHIPPING makes shipping 0.
  The discount is split across the lines in proportion to their amounts (largest remainder), so the
  lines' discounts add up to it exactly.
- Tax is computed per line on the discounted amount and rounded once per line: `rate`% of a base that is
  `base_numerator/base_denominator` of the net amount. Indonesia's PPN (12% of 11/12, 11% in effect): a
  gross Rp 111.000 holds Rp 11.000 tax on a net Rp 100.000; a net Rp 100.000 becomes Rp 111.000 gross.
- Shipping is entered like the brand's prices (gross or net) and taxed at the destination's rate, as a
  part of the same tax line.
- `line_taxes` from a `tax_lines` plugin replace the per-line taxes (each scaled down in proportion when
  a discount applies); shipping is still taxed at the brand's own rate, if it has one for the destination.
- `discount_total` and each line's `discount` are gross, so `total = subtotal - discount_total +
  shipping_total` holds to the last sen, and `tax_total` is the tax contained in `total`.
- A tax line's `base` is the taxed base after the base fraction (PPN's DPP, 11/12 of the net amount), so
  `amount` is `rate`% of `base` up to the per-line rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.money import Money
from core.taxes.calculator import LineTax, TaxTerms
from core.vouchers.models import VoucherKind

TaxOf = Callable[[Money], Money]


@dataclass(frozen=True)
class PricedLine:
    key: str
    quantity: int
    unit_price: Money  # as the brand entered it: gross when prices_include_tax


@dataclass(frozen=True)
class VoucherTerms:
    code: str
    kind: VoucherKind
    percentage: Decimal | None
    discount: Money | None  # the FIXED amount in this currency


@dataclass(frozen=True)
class LineTotals:
    key: str
    quantity: int
    unit_price_net: Money
    unit_price_gross: Money
    discount: Money
    tax_rate: Decimal
    tax: Money
    total: Money  # gross after discount


@dataclass(frozen=True)
class TaxLineTotals:
    name: str
    country: str
    rate: Decimal
    base: Money
    amount: Money


@dataclass(frozen=True)
class Totals:
    lines: list[LineTotals]
    subtotal: Money
    discount_total: Money
    shipping_total: Money
    tax_total: Money
    total: Money
    tax_lines: list[TaxLineTotals]
    # Import duty and tax collected at checkout (a DDP parcel abroad); already part of `total`. None otherwise.
    duties_total: Money | None = None


@dataclass(frozen=True)
class _Rule:
    """How one line is taxed: the tax contained in (gross) or due on (net) an entered amount."""

    name: str
    country: str
    rate: Decimal
    base: tuple[int, int]
    tax_of: TaxOf


@dataclass
class _Group:
    name: str
    country: str
    rate: Decimal
    base: tuple[int, int]
    net: Money
    amount: Money


def compute_totals(
    lines: Sequence[PricedLine],
    *,
    currency: str,
    prices_include_tax: bool,
    tax: TaxTerms | None,
    voucher: VoucherTerms | None,
    shipping: Money | None,
    line_taxes: Sequence[LineTax] | None = None,
) -> Totals:
    """The checkout's totals under the rules in this module's docstring.

    Wrong input (another currency, a negative quantity, a plugin's tax list of the wrong length) is a
    programming error and raises `ValueError`: callers build these values, shoppers do not.
    """
    _check(lines, currency, voucher, shipping, line_taxes)
    zero = Money.zero(currency)
    amounts = [line.unit_price * line.quantity for line in lines]
    discounts = _discount(amounts, voucher, zero).allocate([a.amount for a in amounts])
    core_rule = _core_rule(tax, prices_include_tax) if tax else None
    groups: dict[tuple[str, str, Decimal], _Group] = {}
    results = []
    for i, line in enumerate(lines):
        rule = _plugin_rule(line_taxes[i], amounts[i], tax) if line_taxes is not None else core_rule
        result, net = _line(line, amounts[i], discounts[i], rule, prices_include_tax, zero)
        results.append(result)
        if rule is not None:
            _add(groups, rule, net, result.tax, zero)

    shipping_entered = zero if shipping is None or _frees_shipping(voucher) else shipping
    shipping_tax = core_rule.tax_of(shipping_entered) if core_rule else zero
    shipping_gross = shipping_entered if prices_include_tax else shipping_entered + shipping_tax
    if core_rule is not None and not shipping_entered.is_zero:
        _add(groups, core_rule, shipping_gross - shipping_tax, shipping_tax, zero)

    after = _sum([r.total for r in results], zero)
    subtotal = after + _sum([r.discount for r in results], zero)
    return Totals(
        lines=results,
        subtotal=subtotal,
        discount_total=subtotal - after,
        shipping_total=shipping_gross,
        tax_total=_sum([r.tax for r in results], zero) + shipping_tax,
        total=after + shipping_gross,
        tax_lines=[
            TaxLineTotals(
                name=g.name,
                country=g.country,
                rate=g.rate,
                base=g.net.scaled(g.base[0], g.base[1]),
                amount=g.amount,
            )
            for g in groups.values()
        ],
    )


def _check(
    lines: Sequence[PricedLine],
    currency: str,
    voucher: VoucherTerms | None,
    shipping: Money | None,
    line_taxes: Sequence[LineTax] | None,
) -> None:
    for line in lines:
        if line.unit_price.currency != currency or line.unit_price.amount < 0 or line.quantity < 0:
            raise ValueError(f"line {line.key}: a price in {currency} and a quantity of 0 or more are needed")
    if shipping is not None and (shipping.currency != currency or shipping.amount < 0):
        raise ValueError(f"shipping must be an amount of 0 or more in {currency}")
    if line_taxes is not None:
        if len(line_taxes) != len(lines):
            raise ValueError("line_taxes must hold one tax per line, in order")
        if any(t.amount.currency != currency or t.amount.amount < 0 for t in line_taxes):
            raise ValueError(f"line taxes must be amounts of 0 or more in {currency}")
    if voucher is None:
        return
    if voucher.kind == VoucherKind.PERCENTAGE and not (
        voucher.percentage is not None and 0 < voucher.percentage <= 100
    ):
        raise ValueError("a PERCENTAGE voucher needs a percentage above 0 and at most 100")
    if voucher.kind == VoucherKind.FIXED and (
        voucher.discount is None or voucher.discount.currency != currency or voucher.discount.amount < 0
    ):
        raise ValueError(f"a FIXED voucher needs an amount of 0 or more in {currency}")


def _frees_shipping(voucher: VoucherTerms | None) -> bool:
    return voucher is not None and voucher.kind == VoucherKind.FREE_SHIPPING


def _discount(amounts: Sequence[Money], voucher: VoucherTerms | None, zero: Money) -> Money:
    """The whole discount on the entered amounts, before it is split across the lines."""
    subtotal = _sum(amounts, zero)
    if voucher is None:
        return zero
    if voucher.kind == VoucherKind.PERCENTAGE:
        assert voucher.percentage is not None
        return subtotal.scaled(voucher.percentage, 100)
    if voucher.kind == VoucherKind.FIXED:
        assert voucher.discount is not None
        return min(voucher.discount, subtotal)
    return zero


def _core_rule(terms: TaxTerms, prices_include_tax: bool) -> _Rule:
    numerator, denominator = terms.effective_rate
    if prices_include_tax:
        denominator += numerator  # the tax inside a gross amount: g × e / (1 + e)

    def tax_of(amount: Money) -> Money:
        return amount.scaled(numerator, denominator)

    base = (terms.base_numerator, terms.base_denominator)
    return _Rule(name=terms.name, country=terms.country, rate=terms.rate, base=base, tax_of=tax_of)


def _plugin_rule(given: LineTax, line_amount: Money, terms: TaxTerms | None) -> _Rule:
    """A plugin's tax for a whole line, applied to a part of it (one unit, the discounted amount) in
    proportion. A line that costs nothing carries no tax."""

    def tax_of(amount: Money) -> Money:
        if line_amount.is_zero:
            return Money.zero(amount.currency)
        return amount.scaled(given.amount.amount, line_amount.amount)

    country = terms.country if terms else ""
    return _Rule(name=given.name or "Tax", country=country, rate=given.rate, base=(1, 1), tax_of=tax_of)


def _line(
    line: PricedLine, amount: Money, discount: Money, rule: _Rule | None, gross: bool, zero: Money
) -> tuple[LineTotals, Money]:
    """A line's totals, and its net amount after discount (what its tax line's base is made of)."""
    tax_of: TaxOf = rule.tax_of if rule else (lambda _: zero)
    after = amount - discount
    tax, tax_before, unit_tax = tax_of(after), tax_of(amount), tax_of(line.unit_price)
    if gross:
        gross_before, gross_after = amount, after
        unit_net, unit_gross = line.unit_price - unit_tax, line.unit_price
    else:
        gross_before, gross_after = amount + tax_before, after + tax
        unit_net, unit_gross = line.unit_price, line.unit_price + unit_tax
    result = LineTotals(
        key=line.key,
        quantity=line.quantity,
        unit_price_net=unit_net,
        unit_price_gross=unit_gross,
        discount=gross_before - gross_after,
        tax_rate=rule.rate if rule else Decimal(0),
        tax=tax,
        total=gross_after,
    )
    return result, gross_after - tax


def _add(groups: dict[tuple[str, str, Decimal], _Group], rule: _Rule, net: Money, tax: Money, zero: Money) -> None:
    key = (rule.name, rule.country, rule.rate)
    group = groups.setdefault(key, _Group(rule.name, rule.country, rule.rate, rule.base, zero, zero))
    group.net += net
    group.amount += tax


def _sum(amounts: Sequence[Money], zero: Money) -> Money:
    return sum(amounts, zero)
