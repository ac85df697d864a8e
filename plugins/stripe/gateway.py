"""The gateway: a PaymentIntent per Lini payment, its state as Stripe reports it, refunds, capture and release.

Core calls these methods outside any database transaction. Every create-like call carries an idempotency key
derived from what it is for (the checkout, the payment and the amount; the refund; the capture), so the
SDK's retries and a repeated request reuse Stripe's first answer instead of charging twice.

The connected account a PaymentIntent was made on is kept in the payment's action (`instructions.stripeAccount`,
which Stripe.js needs too), so later calls about that payment reach the same account even if the brand's
settings changed since.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lini.plugin import DomainError, PaymentContext, PaymentRef, PaymentStart, PaymentState, RefundResult
from plugins.stripe.amounts import to_stripe
from plugins.stripe.client import StripeApi, domain_error, request_options
from plugins.stripe.settings import BrandSettings

if TYPE_CHECKING:  # the SDK itself is imported where a call is made (see plugins.stripe.client)
    import stripe

GATEWAY_ID = "stripe"
logger = logging.getLogger("lini.plugins.stripe")

STATES = {
    "requires_payment_method": PaymentState.ACTION_REQUIRED,
    "requires_confirmation": PaymentState.ACTION_REQUIRED,
    "requires_action": PaymentState.ACTION_REQUIRED,
    "processing": PaymentState.PENDING,
    "requires_capture": PaymentState.AUTHORIZED,
    "succeeded": PaymentState.SUCCEEDED,
    "canceled": PaymentState.CANCELLED,
}
# An intent in these states can still be paid, or was paid: a repeated checkoutPaymentCreate resumes it.
RESUMABLE = {"requires_payment_method", "requires_confirmation", "requires_action", "processing"}
PAID = {"succeeded", "requires_capture"}


def state_of(intent: Any) -> PaymentState:
    return STATES.get(intent["status"], PaymentState.PENDING)


def account_of(payment: Any) -> str | None:
    """The connected account the payment's intent lives on (None: the platform's own account)."""
    instructions = (payment.action or {}).get("instructions") or {}
    return instructions.get("stripeAccount") or None


def options_for(payment: Any, *, idempotency_key: str | None = None) -> stripe.RequestOptions:
    options: stripe.RequestOptions = {"idempotency_key": idempotency_key} if idempotency_key else {}
    account = account_of(payment)
    if account:
        options["stripe_account"] = account
    return options


def intent_key(context: PaymentContext, units: int, capture_method: str) -> str:
    """The PaymentIntent's idempotency key: one intent per checkout, Lini payment, amount and capture mode."""
    return f"lini-pi:{context.checkout_token}:{context.payment_id}:{units}{context.currency}:{capture_method}"


class StripeGateway:
    id = GATEWAY_ID
    name = "Card and wallets (Stripe)"
    currencies: frozenset[str] | None = None  # Stripe takes 135+ currencies; amounts.py knows their units
    pays_after_order = False  # an order needs the card's money taken or held first

    def __init__(self, api: StripeApi) -> None:
        self.api = api

    # -- checkoutPaymentCreate ----------------------------------------------------------------------------

    async def start(self, context: PaymentContext) -> PaymentStart:
        brand = BrandSettings.model_validate(context.config)
        client = self.api.client()
        if not self.api.keys.publishable_key:
            raise DomainError("GATEWAY_NOT_AVAILABLE", "Stripe is not set up on this server.", "payment")
        units = to_stripe(context.amount, context.currency)
        capture_method = "manual" if brand.capture_mode == "manual" else "automatic"
        key = intent_key(context, units, capture_method)
        intent = None
        if context.psp_reference:
            previous = PaymentRef(context.payment_id, context.psp_reference, context.previous_action)
            earlier = await self._call(
                client.v1.payment_intents.retrieve_async(
                    context.psp_reference,
                    options=options_for(previous),
                )
            )
            if self._resumable(earlier, units, context.currency, capture_method):
                intent = earlier
            else:
                key = f"{key}:after:{earlier['id']}"
        if intent is None:
            intent = await self._call(
                client.v1.payment_intents.create_async(
                    self._intent_params(context, brand, units, capture_method),
                    options=request_options(brand, idempotency_key=key),  # type: ignore[arg-type]
                )
            )
        await self._release_superseded(context)
        action: dict[str, Any] = {
            "type": "CLIENT_SECRET",
            "clientSecret": intent["client_secret"],
            "publishableKey": self.api.keys.publishable_key,
        }
        if brand.connect_account_id:
            action["instructions"] = {"stripeAccount": brand.connect_account_id}
        return PaymentStart(state=state_of(intent), psp_reference=intent["id"], action=action)

    @staticmethod
    def _resumable(intent: Any, units: int, currency: str, capture_method: str) -> bool:
        return (
            intent["status"] in RESUMABLE | PAID
            and intent["amount"] == units
            and intent["currency"] == currency.lower()
            and intent["capture_method"] == capture_method
        )

    @staticmethod
    def _intent_params(context: PaymentContext, brand: BrandSettings, units: int, capture_method: str) -> Any:
        params: dict[str, Any] = {
            "amount": units,
            "currency": context.currency.lower(),
            "automatic_payment_methods": {"enabled": True},
            "capture_method": capture_method,
            "description": f"{context.brand_slug} checkout",
            "metadata": {
                "lini_brand": context.brand_slug,
                "lini_brand_id": str(context.brand_id),
                "lini_checkout": context.checkout_token,
                "lini_payment_id": str(context.payment_id),
            },
        }
        if brand.statement_descriptor:
            params["statement_descriptor_suffix"] = brand.statement_descriptor
        return params

    async def _release_superseded(self, context: PaymentContext) -> None:
        """Cancel at Stripe the intents of this checkout's payments that a newer one replaced (core cancelled
        them and hands them over in `context.superseded`), so an old browser tab cannot pay for a checkout that
        changed. Best effort: an intent paid meanwhile is refunded by the webhook instead."""
        import stripe

        for payment in context.superseded:
            try:
                await self.api.client().v1.payment_intents.cancel_async(
                    payment.psp_reference,
                    options=options_for(payment, idempotency_key=f"lini-release:{payment.psp_reference}"),
                )
            except stripe.StripeError as error:  # already cancelled, or paid: nothing more to do here
                logger.info("superseded intent %s not cancelled: %s", payment.psp_reference, error)

    # -- checkoutComplete ---------------------------------------------------------------------------------

    async def status(self, payment: Any, config: dict[str, Any]) -> PaymentState:
        """Stripe's word on the intent, checked against the payment's amount and currency."""
        if not payment.psp_reference:
            return PaymentState(payment.state)
        intent = await self.retrieve(payment, expand=["latest_charge"])
        check_amount(intent, payment)
        state = state_of(intent)
        if state == PaymentState.AUTHORIZED and intent["capture_method"] == "automatic":
            return PaymentState.PENDING  # Stripe is capturing it: not an authorisation to keep
        if state in (PaymentState.SUCCEEDED, PaymentState.AUTHORIZED):
            charge = intent.get("latest_charge")
            if isinstance(charge, dict) and charge.get("amount_refunded"):
                raise DomainError(
                    "PAYMENT_REFUNDED", "This payment was refunded at Stripe: start the payment again.", "payment"
                )
        if state == PaymentState.ACTION_REQUIRED and intent.get("last_payment_error"):
            message = intent["last_payment_error"].get("message") or "The card was declined."
            raise DomainError("PAYMENT_DECLINED", message, "payment")
        return state

    async def retrieve(self, payment: Any, *, expand: list[str] | None = None) -> Any:
        params: Any = {"expand": expand} if expand else None
        return await self._call(
            self.api.client().v1.payment_intents.retrieve_async(
                payment.psp_reference,
                params,
                options=options_for(payment),
            )
        )

    # -- orderRefund, orderCancel -------------------------------------------------------------------------

    async def refund(self, payment: Any, amount: Decimal, idempotency_key: str, config: dict[str, Any]) -> RefundResult:
        import stripe

        try:
            refund = await self.api.client().v1.refunds.create_async(  # raw, to tell Stripe's refusal apart
                {
                    "payment_intent": payment.psp_reference,
                    "amount": to_stripe(amount, payment.currency),
                    "metadata": {"lini_payment_id": str(payment.id), "lini_refund": idempotency_key},
                },
                options=options_for(payment, idempotency_key=idempotency_key),
            )
        except stripe.StripeError as error:
            logger.warning("refund %s of %s failed at Stripe: %s", idempotency_key, payment.psp_reference, error)
            message = error.user_message if isinstance(error, stripe.InvalidRequestError) and error.user_message else ""
            return RefundResult(succeeded=False, message=message or domain_error(error).message)
        except DomainError as error:
            return RefundResult(succeeded=False, message=error.message)
        if refund["status"] in ("failed", "canceled"):
            return RefundResult(succeeded=False, psp_reference=refund["id"], message="Stripe could not refund it.")
        return RefundResult(succeeded=True, psp_reference=refund["id"])

    async def capture(self, payment: Any) -> Any:
        """Take the authorised money (manual capture), once: the key is the payment's."""
        return await self._call(
            self.api.client().v1.payment_intents.capture_async(
                payment.psp_reference,
                options=options_for(payment, idempotency_key=f"lini-capture:{payment.id}"),
            )
        )

    async def cancel(self, payment: Any, *, reason: str = "abandoned") -> Any:
        """Release an authorisation or an unpaid intent."""
        return await self._call(
            self.api.client().v1.payment_intents.cancel_async(
                payment.psp_reference,
                {"cancellation_reason": reason},
                options=options_for(payment, idempotency_key=f"lini-cancel:{payment.id}"),
            )
        )

    async def refund_all(self, payment: Any, *, reason: str) -> Any:
        """Give back everything left on an intent that cannot become an order."""
        return await self._call(
            self.api.client().v1.refunds.create_async(
                {
                    "payment_intent": payment.psp_reference,
                    "metadata": {"lini_payment_id": str(payment.id), "lini_reason": reason},
                },
                options=options_for(payment, idempotency_key=f"lini-unmatched:{payment.psp_reference}"),
            )
        )

    @staticmethod
    async def _call(request: Any) -> dict[str, Any]:
        """Await an SDK call; its object as a plain dict (like a webhook's), its failure as a DomainError."""
        import stripe

        try:
            result = await request
        except stripe.StripeError as error:
            raise domain_error(error) from error
        return result.to_dict()


def check_amount(intent: Any, payment: Any) -> None:
    """The intent charges exactly the payment's amount, in its currency; otherwise it is not this payment."""
    expected = to_stripe(Decimal(payment.amount), payment.currency)
    received = intent.get("amount_received") or 0
    wrong = intent["currency"] != payment.currency.lower() or intent["amount"] != expected
    if intent["status"] == "succeeded" and received != expected:
        wrong = True
    if wrong:
        raise DomainError(
            "PAYMENT_AMOUNT_MISMATCH",
            "The Stripe payment does not match the checkout's total: start the payment again.",
            "payment",
        )
