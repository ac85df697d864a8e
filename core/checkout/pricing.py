"""What a checkout costs now: its lines priced, the voucher and shipping applied, taxes added.

One function, `price_checkout`, serves the storefront's totals, the shipping and payment choices and order
completion, so the amount a shopper sees is the amount the order records. It reads a constant number of rows
whatever the number of lines (lines with variants and products, prices, then the voucher and tax rate), and
asks the shipping providers once.

A made-to-measure line (`custom_garment` set) is priced by `core.garments.quote.price`, the computation
`customGarmentQuote` shows, on all such lines at once (a constant number of statements too); its variant's
own price is never used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from core.actors.models import Brand, Incoterm
from core.catalog.models import Variant, VariantPrice
from core.checkout.models import Checkout, CheckoutLine
from core.checkout.totals import PricedLine, Totals, VoucherTerms, compute_totals
from core.customs.export import landed_for
from core.customs.landed import LandedCost
from core.errors import DomainError
from core.garments import quote as garments
from core.money import Money
from core.plugins import PluginHost
from core.shipping.providers import ShippingRate, ShippingRequest
from core.taxes.calculator import tax_terms
from core.vouchers import services as vouchers
from core.vouchers.models import Voucher

logger = logging.getLogger("lini.checkout")


@dataclass(frozen=True)
class PricedCheckoutLine:
    line: CheckoutLine
    variant: Variant
    # None: not sold in the checkout's currency any more (or a made-to-measure line that cannot be made now)
    unit_price: Money | None
    garment: garments.GarmentPrice | None = None  # a made-to-measure line's breakdown
    problem: DomainError | None = None  # why a made-to-measure line cannot be priced

    @property
    def is_custom(self) -> bool:
        return bool(self.line.config_key)


@dataclass(frozen=True)
class ShippingChoice:
    id: str  # "<provider id>:<rate id>"
    provider: str
    rate: ShippingRate


@dataclass(frozen=True)
class CheckoutPricing:
    checkout: Checkout
    brand: Brand
    lines: list[PricedCheckoutLine]
    weight_grams: int
    totals: Totals
    voucher: VoucherTerms | None
    voucher_problem: DomainError | None  # the voucher no longer applies (expired, used up, minimum not met)
    shipping_methods: list[ShippingChoice]  # empty without a shipping address
    delivery: ShippingChoice | None  # the chosen method, when it is still offered
    # A parcel abroad: what it owes on arrival (core.customs.landed); in `totals` when the brand ships DDP.
    landed: LandedCost | None = None


def method_id(provider: str, rate: ShippingRate) -> str:
    return f"{provider}:{rate.id}"


async def load_lines(checkout: Checkout, host: PluginHost) -> list[PricedCheckoutLine]:
    """Lines in the order they were added, with variant, product and price: two statements, plus a constant
    number for made-to-measure lines (`core.garments.quote.price`)."""
    rows = await CheckoutLine.filter(checkout_id=checkout.id).select_related("variant__product").order_by("id")
    ready_made = [r.variant_id for r in rows if not r.config_key]
    prices = (
        {
            variant_id: Money.of(amount, checkout.currency)
            for variant_id, amount in await VariantPrice.filter(
                variant_id__in=ready_made, currency=checkout.currency
            ).values_list("variant_id", "amount")
        }
        if ready_made
        else {}
    )
    custom = [r for r in rows if r.config_key]
    context = garments.PriceContext(brand_id=checkout.brand_id, currency=checkout.currency, user_id=checkout.user_id)
    quoted = await garments.price([(r.custom_garment or {}, r.quantity) for r in custom], context, host)
    by_line = dict(zip((r.id for r in custom), quoted, strict=True))
    result = []
    for r in rows:
        if not r.config_key:
            result.append(PricedCheckoutLine(line=r, variant=r.variant, unit_price=prices.get(r.variant_id)))
            continue
        found = by_line[r.id]
        if isinstance(found, DomainError):
            result.append(PricedCheckoutLine(line=r, variant=r.variant, unit_price=None, problem=found))
        else:
            result.append(PricedCheckoutLine(line=r, variant=r.variant, unit_price=found.unit_price, garment=found))
    return result


async def price_checkout(
    checkout: Checkout, host: PluginHost, *, brand: Brand | None = None, now: datetime | None = None
) -> CheckoutPricing:
    now = now or datetime.now(UTC)
    brand = brand or await Brand.get(id=checkout.brand_id)
    lines = await load_lines(checkout, host)
    priced = [
        PricedLine(key=str(p.line.id), quantity=p.line.quantity, unit_price=p.unit_price)
        for p in lines
        if p.unit_price is not None
    ]
    weight = sum(p.variant.weight_grams * p.line.quantity for p in lines)
    country = (checkout.shipping_address or {}).get("country")
    tax = await tax_terms(brand.id, country) if country else None
    line_taxes = await _plugin_taxes(host, checkout, priced)

    voucher_terms: VoucherTerms | None = None
    problem: DomainError | None = None

    def compute(shipping: Money | None) -> Totals:
        return compute_totals(
            priced,
            currency=checkout.currency,
            prices_include_tax=brand.prices_include_tax,
            tax=tax,
            voucher=voucher_terms,
            shipping=shipping,
            line_taxes=line_taxes,
        )

    if checkout.voucher_id is not None:
        # The minimum is checked against the subtotal the shopper sees (gross), as `voucher_apply` does.
        voucher_terms, problem = await _voucher(checkout, brand, compute(None).subtotal, now)

    goods = compute(None)
    methods: list[ShippingChoice] = []
    if checkout.shipping_address and priced:
        request = shipping_request(checkout, goods, weight)
        methods = await quote(host, request)
    delivery = next((m for m in methods if m.id == checkout.delivery_method_id), None)
    totals = compute(delivery.rate.price) if delivery is not None else goods
    landed = await landed_for(brand, checkout, lines, totals, host)
    if landed is not None and brand.incoterm == Incoterm.DDP:
        totals = replace(totals, duties_total=landed.total, total=totals.total + landed.total)
    return CheckoutPricing(
        checkout=checkout,
        brand=brand,
        lines=lines,
        weight_grams=weight,
        totals=totals,
        voucher=voucher_terms,
        voucher_problem=problem,
        shipping_methods=methods,
        delivery=delivery,
        landed=landed,
    )


def shipping_request(checkout: Checkout, goods: Totals, weight: int) -> ShippingRequest:
    address: dict[str, Any] = checkout.shipping_address or {}
    return ShippingRequest(
        brand_id=checkout.brand_id,
        currency=checkout.currency,
        country=address.get("country", ""),
        province=address.get("province", ""),
        city=address.get("city", ""),
        postal_code=address.get("postal_code", ""),
        weight_grams=weight,
        subtotal=goods.subtotal - goods.discount_total,
    )


async def quote(host: PluginHost, request: ShippingRequest) -> list[ShippingChoice]:
    """Every provider's rates, cheapest first; a provider that fails is logged and skipped, not fatal."""
    choices: list[ShippingChoice] = []
    for provider in host.collect("shipping_providers"):
        try:
            rates = await provider.quote(request)
        except Exception:
            logger.exception("shipping provider %s failed to quote", getattr(provider, "id", provider))
            continue
        choices += [
            ShippingChoice(id=method_id(provider.id, r), provider=provider.id, rate=r)
            for r in rates
            if r.price.currency == request.currency
        ]
    return sorted(choices, key=lambda c: (c.rate.price.amount, c.rate.name))


async def _voucher(
    checkout: Checkout, brand: Brand, subtotal: Money, now: datetime
) -> tuple[VoucherTerms | None, DomainError | None]:
    voucher = await Voucher.get_or_none(id=checkout.voucher_id) if checkout.voucher_id is not None else None
    if voucher is None:
        return None, None
    try:
        applicable = await vouchers.find_applicable(
            brand.id,
            voucher.code,
            currency=checkout.currency,
            subtotal=subtotal,
            customer_key=customer_key(checkout),
            now=now,
        )
    except DomainError as error:
        return None, error
    return await vouchers.terms(applicable, checkout.currency), None


async def _plugin_taxes(host: PluginHost, checkout: Checkout, priced: list[PricedLine]) -> list[Any] | None:
    """The first tax plugin's per-line taxes, or None to let core's rates apply."""
    results = await host.call("tax_lines", checkout=checkout, lines=priced, address=checkout.shipping_address)
    for result in results:
        if result is not None:
            if len(result) != len(priced):
                raise RuntimeError("a tax_lines hook returned a tax for some lines only")
            return list(result)
    return None


def customer_key(checkout: Checkout) -> str | None:
    """Who counts as one customer for per-customer voucher limits: the account, else the e-mail."""
    if checkout.user_id is not None:
        return f"user:{checkout.user_id}"
    return f"email:{checkout.email.lower()}" if checkout.email else None


def zero(currency: str) -> Money:
    return Money.of(Decimal(0), currency)
