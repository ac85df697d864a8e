"""The hooks: the gateway, the webhook route, capture and release of authorisations as orders move, and
closing the HTTP pool at shutdown.

One gateway per plugin host (a process has one; the test suite builds many), built on first use from the
host's `[plugins.stripe]` settings and the environment. `order_event` has no host argument, so it uses the
gateway and host that started last.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from lini.plugin import (
    DomainError,
    Money,
    PaymentCaptured,
    PaymentFailed,
    PaymentGateway,
    PaymentState,
    PluginHost,
    apply_payment_update,
    hookimpl,
    order_payments,
)
from plugins.stripe.amounts import from_stripe
from plugins.stripe.client import RETRYABLE, StripeApi, read_keys
from plugins.stripe.gateway import GATEWAY_ID, StripeGateway
from plugins.stripe.webhook import PATH, receive

NAME = "stripe"
logger = logging.getLogger("lini.plugins.stripe")
# Order events after which an authorised (manual capture) payment is captured: the work has begun.
CAPTURE_ON = frozenset({"ORDER_IN_PRODUCTION", "ORDER_PARTIALLY_SHIPPED", "ORDER_SHIPPED"})

_gateways: weakref.WeakKeyDictionary[PluginHost, StripeGateway] = weakref.WeakKeyDictionary()
_latest: list[tuple[StripeGateway, PluginHost]] = []


def gateway_for(host: PluginHost) -> StripeGateway:
    gateway = _gateways.get(host)
    if gateway is None:
        config = host.config(NAME)
        gateway = _gateways[host] = StripeGateway(StripeApi(config, read_keys(config)))
    return gateway


@hookimpl
def startup(app: Starlette, host: PluginHost) -> None:
    gateway = gateway_for(host)
    _latest[:] = [(gateway, host)]
    if not gateway.api.configured:
        logger.info("Stripe is off: %s is not set", gateway.api.config.secret_key_env)
    elif not gateway.api.keys.webhook_secret:
        logger.warning("Stripe webhooks will be refused: %s is not set", gateway.api.config.webhook_secret_env)


@hookimpl
async def shutdown(app: Starlette, host: PluginHost) -> None:
    await gateway_for(host).api.close()


@hookimpl
def payment_gateways(host: PluginHost) -> list[PaymentGateway]:
    gateway = gateway_for(host)
    return [gateway] if gateway.api.configured else []


@hookimpl
def routes(host: PluginHost) -> list[BaseRoute]:
    async def stripe_webhook(request: Request) -> Response:
        return await receive(request, host=host, gateway=gateway_for(host))

    return [Route(PATH, stripe_webhook, methods=["POST"], name="stripe_webhook")]


@hookimpl
async def order_event(event: dict[str, Any]) -> None:
    """Capture a held card payment once the order's work begins; release it when the order is cancelled."""
    if not _latest or event.get("type") not in CAPTURE_ON | {"ORDER_CANCELLED"}:
        return
    gateway, host = _latest[0]
    order_id = int(event["order"]["id"])
    if event["type"] == "ORDER_CANCELLED":
        await _release(gateway, order_id)
        return
    for payment in await order_payments(order_id, gateway=GATEWAY_ID):
        if payment.state == PaymentState.AUTHORIZED:
            await _capture(gateway, host, payment)


async def _capture(gateway: StripeGateway, host: PluginHost, payment: Any) -> None:
    """Take the held money and tell core what Stripe took (core flags an amount that does not match)."""
    common = {"gateway": GATEWAY_ID, "reference": payment.psp_reference}
    try:
        intent = await gateway.capture(payment)
    except DomainError as error:
        if error.code in RETRYABLE:
            raise  # the event stays undelivered and is tried again; the capture's key makes that safe
        held = Money(payment.amount, payment.currency)
        await apply_payment_update(PaymentFailed(**common, amount=held, capture=True, message=error.message), host=host)
        return
    received = Money(from_stripe(intent.get("amount_received") or 0, intent["currency"]), intent["currency"].upper())
    message = f"{payment.amount} {payment.currency} captured through Stripe."
    await apply_payment_update(PaymentCaptured(**common, amount=received, message=message), host=host)


async def _release(gateway: StripeGateway, order_id: int) -> None:
    """The order was cancelled while its card payment was only authorised (core marked it CANCELLED)."""
    payments = await order_payments(order_id, gateway=GATEWAY_ID)
    held = [p for p in payments if p.state == PaymentState.CANCELLED and p.captured_amount == 0 and p.psp_reference]
    for payment in held:
        try:
            await gateway.cancel(payment, reason="requested_by_customer")
        except DomainError as error:
            if error.code in RETRYABLE:
                raise
            logger.info("authorisation of payment %s not released: %s", payment.id, error.message)


__all__ = ["gateway_for", "order_event", "payment_gateways", "routes", "shutdown", "startup"]
