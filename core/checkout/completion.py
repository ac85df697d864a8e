"""Paying for a checkout and turning it into an order, without ever selling a unit twice.

`payment_create` asks the gateway to start a payment for the checkout's total. `complete` checks the
checkout, asks the gateway how the payment stands (outside any transaction: gateways are network calls),
then writes the order in ONE transaction, taking its row locks as late as possible (they are held until the
commit, and every completion of a brand needs its counter, every completion of a variant its stock row):

1. the checkout is deleted (nothing below reads it; a rollback brings it back);
2. the order, its line snapshots (with the made-to-measure configuration) and tax lines are placed through
   the order lifecycle (`core.orders.lifecycle.place`: the payment linked, history, ORDER_CREATED, and
   `OrderPlaced`, on which garments create one production job per made-to-measure garment), the order row
   and the ORDER_CREATED event first with a placeholder number (the negated checkout id: unique among the
   completions in flight, never committed); `place` calls back for the claims below once those rows are
   written;
3. the claims: stock is taken by conditional updates (`quantity >= n`), one per variant in id order, so
   concurrent completions cannot oversell and cannot deadlock on each other; made-to-measure lines take no
   variant stock but their fabric's metres, by conditional updates too (`stock_metres >= n`, in fabric id
   order, never below zero: a shortfall is FABRIC_OUT_OF_STOCK and the whole transaction is rolled back, so
   nothing is written); the voucher's uses are counted by conditional updates too; last, the order number is
   the brand's counter raised by one upsert in the same transaction, which on PostgreSQL also writes the
   number into the order row and the event's payload (one statement). A rolled-back completion gives its
   number back, so numbers stay gapless and unique per brand;
4. `OrderPlaced` (garments: nothing to do, and no statement, for an order without made-to-measure lines).

The counter's lock is thus held for that one statement and the commit, the stock rows' for a statement or
two more (`bench/checkout.py`); plugins hear of the order after the commit (`core.outbox`).

The order's unique `checkout_token` makes a checkout complete at most once even when two requests race; a
repeat with the same idempotency key returns the first order and changes nothing, also while the first is
still being written (a repeat that finds the checkout gone or its stock taken looks for that order first).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.catalog.models import Stock
from core.checkout.models import Checkout
from core.checkout.pricing import CheckoutPricing, PricedCheckoutLine, customer_key, price_checkout
from core.checkout.services import exportable, open_for_change
from core.context import SYSTEM, Actor
from core.customs.export import landed_snapshot
from core.errors import DomainError, DomainErrors
from core.events import Event
from core.garments import lines as garment_lines
from core.garments.models import Fabric
from core.orders import lifecycle
from core.orders.models import Order, OrderHistory, OrderLine, OrderNumber, OrderTaxLine
from core.outbox import after_commit
from core.payments import attempts, registry
from core.payments.gateways import PaymentContext
from core.payments.models import Payment, PaymentState
from core.plugins import PluginHost
from core.vouchers import services as vouchers

logger = logging.getLogger("lini.checkout")

MAX_KEY = 100
PAID_STATES = lifecycle.PAID_STATES
# A bank transfer is paid after the order exists: the order waits UNPAID until staff confirm the money.
DEFERRED_STATES = {PaymentState.PENDING, PaymentState.ACTION_REQUIRED}
DEFAULT_PAYMENT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Completion:
    order: Order
    created: bool  # False: an earlier completion with the same idempotency key is being returned


def _now() -> datetime:
    return datetime.now(UTC)


# -- payment ------------------------------------------------------------------------------------------------


async def payment_create(actor: Actor, brand: Brand, token: str, gateway_id: str, host: PluginHost) -> Payment:
    """Start paying the checkout's current total through one of the gateways offered to it.

    A payment already started through the same gateway for the same amount is resumed (the gateway gets the
    same payment id, so it can reuse its own object); any other earlier payment is cancelled.
    """
    checkout = await open_for_change(actor, brand, token)
    pricing = await price_checkout(checkout, host, brand=brand)
    ready(pricing)
    # before any money moves: a payment for a parcel that cannot leave would only be refunded at completion
    await exportable(brand, checkout, (checkout.shipping_address or {}).get("country"))
    offered = {
        gateway.id: (gateway, config) for gateway, config in await registry.available(host, brand.id, checkout.currency)
    }
    if gateway_id not in offered:
        raise DomainError("GATEWAY_NOT_AVAILABLE", "That payment method is not offered here.", "gateway")
    gateway, config = offered[gateway_id]
    total = pricing.totals.total
    payment = await attempts.open_payment(
        brand_id=brand.id, checkout_id=checkout.id, checkout_token=checkout.token, gateway=gateway_id, total=total
    )
    context = PaymentContext(
        brand_id=brand.id,
        brand_slug=brand.slug,
        checkout_token=checkout.token,
        email=checkout.email,
        amount=total.amount,
        currency=total.currency,
        payment_id=payment.id,
        config=config,
        psp_reference=payment.psp_reference,
        previous_action=dict(payment.action or {}),
        superseded=await attempts.superseded(payment),
    )
    started = await gateway.start(context)  # outside any transaction: it may be a network call
    return await attempts.started(payment, started)


# -- completion ---------------------------------------------------------------------------------------------


def ready(pricing: CheckoutPricing) -> None:
    """Everything an order needs is there; otherwise every missing piece is reported at once."""
    checkout = pricing.checkout
    problems: list[DomainError] = []
    if not pricing.lines:
        problems.append(DomainError("EMPTY_CHECKOUT", "Add something to the checkout first.", "lines"))
    for index, line in enumerate(pricing.lines):
        if line.problem is not None:
            problems.append(DomainError(line.problem.code, line.problem.message, f"lines.{index}"))
        elif line.unit_price is None:
            problems.append(
                DomainError("VARIANT_NOT_PRICED", f"An item has no price in {checkout.currency}.", f"lines.{index}")
            )
    if not checkout.email:
        problems.append(DomainError("EMAIL_REQUIRED", "Give an e-mail address for the order.", "email"))
    if not checkout.shipping_address:
        problems.append(DomainError("SHIPPING_ADDRESS_REQUIRED", "Set the shipping address.", "shipping_address"))
    elif pricing.delivery is None:
        problems.append(
            DomainError(
                "DELIVERY_METHOD_REQUIRED", "Choose a delivery method offered for this address.", "delivery_method_id"
            )
        )
    if checkout.voucher_id is not None and pricing.voucher_problem is not None:
        problems.append(pricing.voucher_problem)
    if problems:
        raise DomainErrors(problems) if len(problems) > 1 else problems[0]


async def complete(actor: Actor, brand: Brand, token: str, idempotency_key: str | None, host: PluginHost) -> Completion:
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY:
        raise DomainError("INVALID_IDEMPOTENCY_KEY", f"Use at most {MAX_KEY} characters.", "idempotency_key")
    earlier = await Order.get_or_none(checkout_token=token, brand_id=brand.id)
    if earlier is not None:
        return await _repeat(actor, earlier, key)
    try:
        order = await _complete(actor, brand, token, key, host)
    except (DomainError, DomainErrors, IntegrityError):
        # Another request completed this checkout meanwhile: its insert won the unique checkout token, or it
        # committed before we looked (the checkout is gone, its payment unlinked, its last units taken).
        earlier = await Order.get_or_none(checkout_token=token, brand_id=brand.id)
        if earlier is None:
            raise
        return await _repeat(actor, earlier, key)
    await after_commit(host)
    return Completion(order=order, created=True)


async def _complete(actor: Actor, brand: Brand, token: str, key: str, host: PluginHost) -> Order:
    checkout = await open_for_change(actor, brand, token)
    pricing = await price_checkout(checkout, host, brand=brand)
    ready(pricing)
    await exportable(brand, checkout, (checkout.shipping_address or {}).get("country"))
    vetoes = [error for result in await host.call("validate_checkout", checkout=checkout) for error in result]
    if vetoes:
        raise DomainErrors(vetoes) if len(vetoes) > 1 else vetoes[0]
    payment, state = await _payment_state(checkout, pricing, host)
    return await _write_order(actor, pricing, payment, state, key, host)


async def _repeat(actor: Actor, order: Order, key: str) -> Completion:
    """The order an earlier completion made, to whoever may have it again; CHECKOUT_COMPLETED otherwise.

    The same idempotency key gets the same order back. So does the checkout's owner when the system placed
    the order for them (a payment gateway's webhook completed the checkout after the shopper paid and before
    the storefront asked): the storefront could not know the system's key, and its shopper did place it.
    """
    owner = order.user_id is None or order.user_id == actor.user_id
    if key and key == order.idempotency_key and owner:
        return Completion(order=order, created=False)
    if owner and await OrderHistory.exists(order_id=order.id, kind="PLACED", actor=SYSTEM.label):
        return Completion(order=order, created=False)
    raise DomainError(
        "CHECKOUT_COMPLETED",
        "This checkout is already an order; repeat the same idempotency key to get it again.",
        "token",
    )


async def _payment_state(
    checkout: Checkout, pricing: CheckoutPricing, host: PluginHost
) -> tuple[Payment, PaymentState]:
    """The checkout's live payment and its state at the gateway; it must cover exactly the total."""
    payment = (
        await Payment.filter(checkout_id=checkout.id)
        .exclude(state__in=[PaymentState.CANCELLED, PaymentState.FAILED])
        .order_by("-id")
        .first()
    )
    if payment is None:
        raise DomainError("PAYMENT_REQUIRED", "Choose how to pay first (checkoutPaymentCreate).", "payment")
    total = pricing.totals.total
    if payment.amount != total.amount or payment.currency != total.currency:
        raise DomainError(
            "PAYMENT_AMOUNT_MISMATCH",
            "The checkout changed after the payment was started: start the payment again.",
            "payment",
        )
    gateway = registry.gateways(host).get(payment.gateway)
    if gateway is None:
        raise DomainError("GATEWAY_NOT_AVAILABLE", "That payment method is no longer offered.", "payment")
    config = await registry.brand_config(checkout.brand_id, payment.gateway)
    state = await gateway.status(payment, config)  # outside any transaction
    if state in PAID_STATES or (state in DEFERRED_STATES and gateway.pays_after_order):
        return payment, state
    raise DomainError("PAYMENT_NOT_COMPLETED", "The payment has not gone through.", "payment")


async def _write_order(
    actor: Actor, pricing: CheckoutPricing, payment: Payment, state: PaymentState, key: str, host: PluginHost
) -> Order:
    checkout, brand, totals = pricing.checkout, pricing.brand, pricing.totals
    line_totals = {t.key: t for t in totals.lines}

    async def claim(order: Order, created: Event) -> int:
        """Stock, fabric, the voucher's use, then the order number (see the module's docstring)."""
        await _take_stock(pricing)
        await _reserve_fabric(pricing)
        if checkout.voucher_id is not None:
            await vouchers.redeem(checkout.voucher_id, customer_key(checkout))
        return await _next_number(brand.id, order.id, created.id)

    async with in_transaction():
        # first, not last: nothing below reads it, and a rollback brings it back (its payment's link with it)
        await Checkout.filter(id=checkout.id).delete()
        values = {
            "brand_id": brand.id,
            "number": _placeholder(checkout.id),
            "user_id": checkout.user_id,
            "email": checkout.email,
            "checkout_token": checkout.token,
            "idempotency_key": key,
            "currency": checkout.currency,
            "language": checkout.language,
            "prices_include_tax": brand.prices_include_tax,
            "shipping_address": checkout.shipping_address,
            "billing_address": checkout.billing_address or checkout.shipping_address,
            "delivery_method_id": checkout.delivery_method_id,
            "delivery_method_name": pricing.delivery.rate.name if pricing.delivery else "",
            "subtotal_amount": totals.subtotal.amount,
            "discount_amount": totals.discount_total.amount,
            "shipping_amount": totals.shipping_total.amount,
            "tax_amount": totals.tax_total.amount,
            "total_amount": totals.total.amount,
            "duties_amount": totals.duties_total.amount if totals.duties_total else 0,
            "landed_cost": landed_snapshot(pricing.landed, brand.incoterm),
            "voucher_id": checkout.voucher_id,
            "voucher_code": pricing.voucher.code if pricing.voucher else "",
            "customer_note": checkout.customer_note,
        }
        lines = [
            OrderLine(
                variant_id=p.variant.id,
                product_id=p.variant.product_id,
                product_name=p.variant.product.name,
                variant_name=_variant_name(p),
                sku=p.variant.sku,
                quantity=p.line.quantity,
                unit_price_net=t.unit_price_net.amount,
                unit_price_gross=t.unit_price_gross.amount,
                discount_amount=t.discount.amount,
                tax_rate=t.tax_rate,
                tax_amount=t.tax.amount,
                total_amount=t.total.amount,
                position=position,
                custom_garment=_garment_snapshot(p),
            )
            for position, p in enumerate(pricing.lines)
            for t in [line_totals[str(p.line.id)]]
        ]
        tax_lines = [
            OrderTaxLine(
                name=t.name,
                country=t.country,
                rate=t.rate,
                base_amount=t.base.amount,
                amount=t.amount.amount,
            )
            for t in totals.tax_lines
        ]
        order = await lifecycle.place(
            actor,
            values=values,
            lines=lines,
            tax_lines=tax_lines,
            payment=payment,
            state=state,
            due_at=payment.expires_at or _now() + DEFAULT_PAYMENT_WINDOW,
            host=host,
            number=claim,
            brand_slug=brand.slug,
        )
    return await Order.get(id=order.id)  # as stored: defaults and amounts come back as the database keeps them


async def _take_stock(pricing: CheckoutPricing) -> None:
    """One conditional UPDATE per variant, in id order; a shortfall rolls the whole completion back."""
    wanted: dict[int, int] = {}
    for p in pricing.lines:
        if not p.is_custom:  # a made-to-measure garment takes fabric, not a unit off the shelf
            wanted[p.variant.id] = wanted.get(p.variant.id, 0) + p.line.quantity
    short: list[DomainError] = []
    for variant_id in sorted(wanted):
        taken = await Stock.filter(variant_id=variant_id, quantity__gte=wanted[variant_id]).update(
            quantity=F("quantity") - wanted[variant_id]
        )
        if not taken:
            index = next(i for i, p in enumerate(pricing.lines) if p.variant.id == variant_id)
            short.append(DomainError("INSUFFICIENT_STOCK", "Not enough of this item is left.", f"lines.{index}"))
    if short:
        raise DomainErrors(short) if len(short) > 1 else short[0]


async def _reserve_fabric(pricing: CheckoutPricing) -> None:
    """The metres made-to-measure lines cut, one conditional UPDATE per fabric in id order (the order
    cancellation gives them back in), so concurrent orders never take a fabric below zero."""
    custom = [(p.line.custom_garment or {}, p.line.quantity) for p in pricing.lines if p.is_custom]
    needed = garment_lines.fabric_needed(custom)
    short: list[DomainError] = []
    for fabric_id in sorted(needed):
        metres = needed[fabric_id]
        taken = await Fabric.filter(id=fabric_id, stock_metres__gte=metres).update(
            stock_metres=F("stock_metres") - metres
        )
        if not taken:
            index = next(i for i, p in enumerate(pricing.lines) if p.is_custom and _fabric_of(p) == fabric_id)
            short.append(
                DomainError(
                    "FABRIC_OUT_OF_STOCK", "The supplier no longer has enough of this fabric.", f"lines.{index}"
                )
            )
    if short:
        raise DomainErrors(short) if len(short) > 1 else short[0]


def _fabric_of(p: PricedCheckoutLine) -> int:
    return garment_lines.metres_of(p.line.custom_garment or {}, 1)[0]


def _variant_name(p: PricedCheckoutLine) -> str:
    if p.is_custom and p.line.custom_garment:
        garment = p.line.custom_garment
        return f"Made to measure / {garment['fabric']['name']} / {garment['size_band']}"[:200]
    return " / ".join(x for x in (p.variant.size, p.variant.colour) if x)


def _garment_snapshot(p: PricedCheckoutLine) -> dict | None:
    """The line's configuration with the ready-by date it was priced with at completion."""
    if not p.is_custom or p.line.custom_garment is None or p.garment is None:
        return None
    return {**p.line.custom_garment, "ready_by": p.garment.ready_by.isoformat()}


PLACEHOLDER_SPAN = 2**31 - 1  # `Order.number` is a 32-bit integer


def _placeholder(checkout_id: int) -> int:
    """The order's number until `_next_number` gives the real one, in the same transaction: negative (no
    real number is), and unique among the completions in flight because their checkouts are distinct rows.
    Two that met anyway would only wait for each other at the unique index, never fail: the first one's row
    has its real number before it commits."""
    return -(checkout_id % PLACEHOLDER_SPAN) - 1


async def _next_number(brand_id: int, order_id: int, event_id: int) -> int:
    """The brand's next order number, written into the order's row and its ORDER_CREATED event's payload
    (both written with the placeholder): the counter row created at 1 or raised by 1 under its row lock, held
    until the transaction ends, so this is the last statement before the commit. One statement on PostgreSQL
    (data-modifying CTEs), three on SQLite, whose single writer holds every lock until the commit anyway."""
    db = OrderNumber._choose_db(True)
    counter, orders, events = OrderNumber._meta.db_table, Order._meta.db_table, Event._meta.db_table
    raise_counter = (
        f'INSERT INTO "{counter}" ("brand_id", "last_number") VALUES ({{brand}}, 1) ON CONFLICT ("brand_id") '
        f'DO UPDATE SET "last_number" = "{counter}"."last_number" + 1 RETURNING "last_number"'
    )
    if db.capabilities.dialect == "postgres":
        sql = (
            f"WITH n AS ({raise_counter.format(brand='$1')}), "
            f'o AS (UPDATE "{orders}" SET "number" = n."last_number" FROM n WHERE "{orders}"."id" = $2), '
            f'e AS (UPDATE "{events}" SET "payload" = jsonb_set("payload", \'{{order,number}}\', '
            f'to_jsonb(n."last_number")) FROM n WHERE "{events}"."id" = $3) '
            'SELECT "last_number" FROM n'
        )
        rows = await db.execute_query_dict(sql, [brand_id, order_id, event_id])
        return int(rows[0]["last_number"])
    # not `execute_query`: it drops an INSERT's rows
    rows = await db.execute_query_dict(raise_counter.format(brand="?"), [brand_id])
    number = int(rows[0]["last_number"])
    await db.execute_query(f'UPDATE "{orders}" SET "number" = ? WHERE "id" = ?', [number, order_id])
    await db.execute_query(
        f'UPDATE "{events}" SET "payload" = json_set("payload", \'$.order.number\', ?) WHERE "id" = ?',
        [number, event_id],
    )
    return number
