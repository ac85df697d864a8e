"""A second payment gateway, written as a stranger would: only `lini.plugin` (and starlette for its route).

The shopper is sent to the provider (REDIRECT); the provider later posts events to `/webhooks/second`:
`{"id", "type": "authorised" | "captured" | "failed" | "cancelled" | "refunded" | "disputed", "reference",
"amount", "currency"}` (for "refunded", the total refunded so far; for "disputed", also "dispute" and
"reason"). Signatures are left out: the point is what the plugin does NOT need (no tables, no order code, no
locks).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from lini import plugin as lini

KINDS = {
    "authorised": lini.PaymentAuthorised,
    "captured": lini.PaymentCaptured,
    "failed": lini.PaymentFailed,
    "cancelled": lini.PaymentCancelled,
    "refunded": lini.PaymentRefundedAtGateway,
    "disputed": lini.PaymentDisputed,
}


class SecondGateway:
    id = "second"
    name = "Second gateway"
    currencies = None
    pays_after_order = False

    async def start(self, context: lini.PaymentContext) -> lini.PaymentStart:
        reference = context.psp_reference or f"sg_{context.payment_id}"
        action = {"type": "REDIRECT", "redirectUrl": f"https://pay.example/{reference}"}
        return lini.PaymentStart(state=lini.PaymentState.ACTION_REQUIRED, psp_reference=reference, action=action)

    async def status(self, payment: Any, config: dict[str, Any]) -> lini.PaymentState:
        return lini.PaymentState(payment.state)  # what its events told Lini

    async def refund(self, payment: Any, amount: Decimal, idempotency_key: str, config: dict[str, Any]) -> Any:
        return lini.RefundResult(succeeded=True, psp_reference=f"sg_re_{idempotency_key}")


def update_of(event: dict[str, Any]) -> lini.PaymentUpdate:
    kind = KINDS[event["type"]]
    dispute = {"dispute_id": event.get("dispute", event["id"]), "reason": event.get("reason", "")}
    extra = dispute if kind is lini.PaymentDisputed else {}
    amount = lini.Money(Decimal(event["amount"]), event["currency"])
    return kind(gateway="second", reference=event["reference"], amount=amount, event_id=event["id"], **extra)


class SecondGatewayPlugin:
    @lini.hookimpl
    def payment_gateways(self, host: lini.PluginHost) -> list[Any]:
        return [SecondGateway()]

    @lini.hookimpl
    def routes(self, host: lini.PluginHost) -> list[Any]:
        async def receive(request: Request) -> JSONResponse:
            applied = await lini.apply_payment_update(update_of(await request.json()), host=host)
            return JSONResponse({"outcome": applied.outcome.value, "giveBack": applied.give_back})

        return [Route("/webhooks/second", receive, methods=["POST"])]
