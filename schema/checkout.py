"""The storefront's checkout: `checkout(token:)` and the `checkout…` mutations, in shared/API.md's names.

Totals, shipping methods and gateways are priced once per checkout object per request (`_pricing`), however
many of those fields a query asks for.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from core.checkout import completion, services
from core.checkout.models import Checkout as CheckoutModel
from core.checkout.pricing import CheckoutPricing, ShippingChoice, price_checkout
from core.context import Actor
from core.orders.models import Order as OrderModel
from core.payments import registry
from core.payments.models import Payment as PaymentModel
from schema.catalog.products import ProductVariant
from schema.enums import PaymentActionType, PaymentState
from schema.errors import UserError, attempt
from schema.garments.custom_garment import CustomGarment
from schema.locale import Locale
from schema.orders.types import Order, PostalAddress, render_order
from schema.permissions import PUBLIC, guard
from schema.relay import decode_id
from schema.scalars import Money


@strawberry.type(description="A way to ship the parcel, priced for this checkout.")
class CheckoutShippingMethod:
    id: str = strawberry.field(description="Pass to `checkoutDeliveryMethodUpdate`.")
    name: str
    carrier: str
    price: Money
    min_days: int | None
    max_days: int | None

    @classmethod
    def of(cls, choice: ShippingChoice) -> CheckoutShippingMethod:
        rate = choice.rate
        return cls(
            id=choice.id,
            name=rate.name,
            carrier=rate.carrier,
            price=Money.from_core(rate.price),
            min_days=rate.min_days,
            max_days=rate.max_days,
        )


@strawberry.type(description="A payment method offered to this checkout.")
class PaymentGateway:
    id: str
    name: str


@strawberry.type(description="What the storefront does next to pay: show instructions, confirm a card, redirect.")
class PaymentAction:
    type: PaymentActionType = strawberry.field(description="What to do with the other fields.")  # type: ignore[valid-type]
    client_secret: str | None
    publishable_key: str | None
    redirect_url: str | None
    instructions: JSON | None = strawberry.field(description="Bank, account, transfer reference, amount, expiry.")


@strawberry.type(description="A payment started for a checkout.")
class Payment:
    id: relay.GlobalID
    gateway: str
    status: PaymentState = strawberry.field(description="Where this payment attempt is.")  # type: ignore[valid-type]
    amount: Money
    psp_reference: str | None
    action: PaymentAction | None
    expires_at: datetime | None

    @classmethod
    def of(cls, row: PaymentModel) -> Payment:
        action = row.action or {}
        return cls(
            id=relay.GlobalID("Payment", str(row.id)),
            gateway=row.gateway,
            status=str(row.state),
            amount=Money.of(row.amount, row.currency),
            psp_reference=row.psp_reference,
            action=PaymentAction(
                type=action.get("type", ""),
                client_secret=action.get("clientSecret"),
                publishable_key=action.get("publishableKey"),
                redirect_url=action.get("redirectUrl"),
                instructions=action.get("instructions"),
            )
            if action
            else None,
            expires_at=row.expires_at,
        )


@strawberry.type(description="A tax charged on the checkout, per rate.")
class CheckoutTaxLine:
    name: str
    country: str
    rate: Decimal
    base: Money
    amount: Money


@strawberry.type
class CheckoutLine:
    id: relay.GlobalID
    quantity: int
    product_name: str
    variant: ProductVariant
    unit_price: Money | None = strawberry.field(description="As the brand prices it; null: not sold in this currency.")
    discount: Money | None
    tax: Money | None
    total: Money | None = strawberry.field(description="Gross, after this line's share of the discount.")
    custom_garment: CustomGarment | None = strawberry.field(
        description="A made-to-measure line's configuration and price breakdown, as `customGarmentQuote` "
        "prices it; null for ready-made lines."
    )


@strawberry.type(description="A cart on its way to becoming an order. Keep the token: it is the key to it.")
class Checkout:
    token: str
    email: str
    currency: str
    language: str
    expires_at: datetime
    shipping_address: PostalAddress | None
    billing_address: PostalAddress | None
    _row: strawberry.Private[CheckoutModel]
    _pricing_task: strawberry.Private[dict[str, asyncio.Future[CheckoutPricing]]]

    @classmethod
    def of(cls, row: CheckoutModel) -> Checkout:
        return cls(
            token=row.token,
            email=row.email,
            currency=row.currency,
            language=row.language,
            expires_at=row.expires_at,
            shipping_address=PostalAddress.of(row.shipping_address),
            billing_address=PostalAddress.of(row.billing_address),
            _row=row,
            _pricing_task={},
        )

    async def _pricing(self, info: Info) -> CheckoutPricing:
        if "p" not in self._pricing_task:
            self._pricing_task["p"] = asyncio.ensure_future(price_checkout(self._row, info.context.host))
        return await asyncio.shield(self._pricing_task["p"])

    @strawberry.field(description="Lines in the order they were added.")
    async def lines(self, info: Info) -> list[CheckoutLine]:
        pricing = await self._pricing(info)
        totals = {t.key: t for t in pricing.totals.lines}
        locale = Locale(language=self._row.language, currency=self._row.currency)
        result = []
        for p in pricing.lines:
            t = totals.get(str(p.line.id))
            result.append(
                CheckoutLine(
                    id=relay.GlobalID("CheckoutLine", str(p.line.id)),
                    quantity=p.line.quantity,
                    product_name=p.variant.product.name,
                    variant=ProductVariant.from_model(p.variant, locale),
                    unit_price=Money.from_core(p.unit_price) if p.unit_price else None,
                    discount=Money.from_core(t.discount) if t else None,
                    tax=Money.from_core(t.tax) if t else None,
                    total=Money.from_core(t.total) if t else None,
                    custom_garment=CustomGarment.of(p.line.custom_garment, p.line.quantity, p.garment, p.problem)
                    if p.line.custom_garment
                    else None,
                )
            )
        return result

    @strawberry.field(description="Units in the checkout, over all lines.")
    async def quantity(self, info: Info) -> int:
        return sum(p.line.quantity for p in (await self._pricing(info)).lines)

    @strawberry.field(description="Parcel weight in grams, which shipping is priced by.")
    async def weight_grams(self, info: Info) -> int:
        return (await self._pricing(info)).weight_grams

    @strawberry.field(description="Methods that fit the shipping address and parcel weight, cheapest first.")
    async def available_shipping_methods(self, info: Info) -> list[CheckoutShippingMethod]:
        return [CheckoutShippingMethod.of(m) for m in (await self._pricing(info)).shipping_methods]

    @strawberry.field(description="The chosen method, while it is still offered for the address and parcel.")
    async def delivery_method(self, info: Info) -> CheckoutShippingMethod | None:
        delivery = (await self._pricing(info)).delivery
        return CheckoutShippingMethod.of(delivery) if delivery else None

    @strawberry.field(description="Payment methods offered for this storefront and currency.")
    async def available_payment_gateways(self, info: Info) -> list[PaymentGateway]:
        offered = await registry.available(info.context.host, self._row.brand_id, self._row.currency)
        return [PaymentGateway(id=gateway.id, name=gateway.name) for gateway, _ in offered]

    @strawberry.field(description="The voucher applied, if it still applies.")
    async def voucher_code(self, info: Info) -> str | None:
        voucher = (await self._pricing(info)).voucher
        return voucher.code if voucher else None

    @strawberry.field(description="Why the applied voucher no longer applies (expired, minimum not met…).")
    async def voucher_error(self, info: Info) -> UserError | None:
        problem = (await self._pricing(info)).voucher_problem
        return UserError(field="voucherCode", code=problem.code, message=problem.message) if problem else None

    @strawberry.field(description="Lines before discounts, as the brand prices them.")
    async def subtotal(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.subtotal)

    @strawberry.field
    async def discount_total(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.discount_total)

    @strawberry.field
    async def shipping_total(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.shipping_total)

    @strawberry.field
    async def tax_total(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.tax_total)

    @strawberry.field(description="What the customer pays.")
    async def total(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.total)

    @strawberry.field
    async def tax_lines(self, info: Info) -> list[CheckoutTaxLine]:
        return [
            CheckoutTaxLine(
                name=t.name,
                country=t.country,
                rate=t.rate,
                base=Money.from_core(t.base),
                amount=Money.from_core(t.amount),
            )
            for t in (await self._pricing(info)).totals.tax_lines
        ]

    @strawberry.field(description="The payment in progress, if one was started.")
    async def payment(self) -> Payment | None:
        row = (
            await PaymentModel.filter(checkout_id=self._row.id)
            .exclude(state__in=["CANCELLED", "FAILED"])
            .order_by("-id")
            .first()
        )
        return Payment.of(row) if row else None


# -- inputs and payloads ----------------------------------------------------------------------------------


@strawberry.input(
    description="A line by its variant, or (when updating) by its id: made-to-measure lines are reached by id."
)
class CheckoutLineInput:
    variant_id: relay.GlobalID | None = None
    line_id: relay.GlobalID | None = strawberry.field(default=None, description="`checkoutLinesUpdate` only.")
    quantity: int


@strawberry.input
class CheckoutCreateInput:
    currency: str | None = strawberry.field(
        default=None, description="One of the storefront's; its default if not given."
    )
    email: str | None = None
    language: str | None = None
    lines: list[CheckoutLineInput] = strawberry.field(default_factory=list)


@strawberry.input
class CheckoutAddressInput:
    first_name: str
    last_name: str = ""
    company: str = ""
    street1: str
    street2: str = ""
    city: str
    province: str = ""
    postal_code: str = ""
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. ID.")
    phone: str = ""


@strawberry.input
class CheckoutPaymentInput:
    gateway: str = strawberry.field(description="An id from `availablePaymentGateways`.")


@strawberry.type
class CheckoutPayload:
    checkout: Checkout | None
    errors: list[UserError]


@strawberry.type
class CheckoutPaymentPayload:
    payment: Payment | None
    checkout: Checkout | None
    errors: list[UserError]


@strawberry.type
class CheckoutCompletePayload:
    order: Order | None
    errors: list[UserError]


def _lines(lines: list[CheckoutLineInput]) -> list[services.LineInput]:
    return [
        services.LineInput(
            variant_id=decode_id(line.variant_id, "ProductVariant", f"lines.{i}.variant_id")
            if line.variant_id is not None
            else None,
            quantity=line.quantity,
            line_id=decode_id(line.line_id, "CheckoutLine", f"lines.{i}.line_id") if line.line_id is not None else None,
        )
        for i, line in enumerate(lines)
    ]


def _payload(row: CheckoutModel | None, errors: list[UserError]) -> CheckoutPayload:
    return CheckoutPayload(checkout=Checkout.of(row) if row else None, errors=errors)


async def _who(info: Info, storefront: str | None) -> tuple[Actor, Any]:
    return await info.context.actor(), await info.context.storefront(storefront)


STOREFRONT_ARG = strawberry.argument(description="Brand slug; defaults to the Lini-Storefront header or the Host.")


@strawberry.type
class CheckoutQuery:
    @strawberry.field(
        **guard("A checkout by its token; without a token, the signed-in customer's current checkout here.", PUBLIC)
    )
    async def checkout(self, info: Info, token: str | None = None, storefront: str | None = None) -> Checkout | None:
        actor, brand = await _who(info, storefront)
        row = await services.find(actor, brand, token) if token else await services.active_for_user(actor, brand)
        return Checkout.of(row) if row else None


@strawberry.type
class CheckoutMutation:
    @strawberry.mutation(
        **guard("Start a checkout (guest or signed in) in one of the storefront's currencies.", PUBLIC)
    )
    async def checkout_create(
        self, info: Info, input: CheckoutCreateInput, storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout

        async def run() -> CheckoutModel:
            return await services.create(
                actor,
                brand,
                limits,
                currency=input.currency,
                email=input.email,
                language=input.language,
                lines=_lines(input.lines),
            )

        return _payload(*await attempt(run))

    @strawberry.mutation(**guard("Add units; a variant already in the checkout gets them added to its line.", PUBLIC))
    async def checkout_lines_add(
        self, info: Info, token: str, lines: list[CheckoutLineInput], storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        return _payload(*await attempt(lambda: services.lines_add(actor, brand, token, _lines(lines), limits)))

    @strawberry.mutation(**guard("Set line quantities; 0 removes the line.", PUBLIC))
    async def checkout_lines_update(
        self, info: Info, token: str, lines: list[CheckoutLineInput], storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        return _payload(*await attempt(lambda: services.lines_update(actor, brand, token, _lines(lines), limits)))

    @strawberry.mutation(**guard("Remove lines.", PUBLIC))
    async def checkout_lines_delete(
        self, info: Info, token: str, line_ids: list[relay.GlobalID], storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout

        async def run() -> CheckoutModel:
            ids = [decode_id(i, "CheckoutLine", f"line_ids.{n}") for n, i in enumerate(line_ids)]
            return await services.lines_delete(actor, brand, token, ids, limits)

        return _payload(*await attempt(run))

    @strawberry.mutation(**guard("Set the e-mail the order confirmation goes to.", PUBLIC))
    async def checkout_email_update(
        self, info: Info, token: str, email: str, storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        return _payload(*await attempt(lambda: services.email_update(actor, brand, token, email, limits)))

    @strawberry.mutation(**guard("Set where the parcel goes; the storefront must ship to its country.", PUBLIC))
    async def checkout_shipping_address_update(
        self, info: Info, token: str, address: CheckoutAddressInput, storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        values = asdict(address)  # type: ignore[call-overload]
        return _payload(*await attempt(lambda: services.shipping_address_update(actor, brand, token, values, limits)))

    @strawberry.mutation(**guard("Set the billing address (the shipping address when never set).", PUBLIC))
    async def checkout_billing_address_update(
        self, info: Info, token: str, address: CheckoutAddressInput, storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        values = asdict(address)  # type: ignore[call-overload]
        return _payload(*await attempt(lambda: services.billing_address_update(actor, brand, token, values, limits)))

    @strawberry.mutation(**guard("Choose one of `availableShippingMethods`.", PUBLIC))
    async def checkout_delivery_method_update(
        self, info: Info, token: str, delivery_method_id: str, storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits, host = info.context.settings.checkout, info.context.host
        return _payload(
            *await attempt(
                lambda: services.delivery_method_update(actor, brand, token, delivery_method_id, limits, host)
            )
        )

    @strawberry.mutation(**guard("Apply a voucher code.", PUBLIC))
    async def checkout_voucher_apply(
        self, info: Info, token: str, code: str, storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits, host = info.context.settings.checkout, info.context.host
        return _payload(*await attempt(lambda: services.voucher_apply(actor, brand, token, code, limits, host)))

    @strawberry.mutation(**guard("Remove the voucher.", PUBLIC))
    async def checkout_voucher_remove(self, info: Info, token: str, storefront: str | None = None) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        return _payload(*await attempt(lambda: services.voucher_remove(actor, brand, token, limits)))

    @strawberry.mutation(
        **guard("Start paying the checkout's total; the payment's `action` says what the shopper does next.", PUBLIC)
    )
    async def checkout_payment_create(
        self, info: Info, token: str, input: CheckoutPaymentInput, storefront: str | None = None
    ) -> CheckoutPaymentPayload:
        actor, brand = await _who(info, storefront)
        host = info.context.host
        payment, errors = await attempt(lambda: completion.payment_create(actor, brand, token, input.gateway, host))
        row = await services.find(actor, brand, token)
        return CheckoutPaymentPayload(
            payment=Payment.of(payment) if payment else None, checkout=Checkout.of(row) if row else None, errors=errors
        )

    @strawberry.mutation(
        **guard(
            "Turn the paid (or, by bank transfer, to-be-paid) checkout into an order. Repeating the same "
            "idempotency key returns the same order and changes nothing.",
            PUBLIC,
        )
    )
    async def checkout_complete(
        self, info: Info, token: str, idempotency_key: str | None = None, storefront: str | None = None
    ) -> CheckoutCompletePayload:
        actor, brand = await _who(info, storefront)
        host = info.context.host

        async def run() -> OrderModel:
            return (await completion.complete(actor, brand, token, idempotency_key, host)).order

        row, errors = await attempt(run)
        return CheckoutCompletePayload(order=await render_order(row), errors=errors)


QUERIES = (CheckoutQuery,)
MUTATIONS = (CheckoutMutation,)
TYPES = ()
