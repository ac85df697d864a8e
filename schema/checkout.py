"""The storefront's checkout: `checkout(token:)` and the `checkout…` mutations, in shared/API.md's names.

Totals, shipping methods and gateways are priced once per checkout object per request (`_pricing`), however
many of those fields a query asks for.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from core.checkout import completion, services
from core.checkout.models import Checkout as CheckoutModel
from core.checkout.pricing import CheckoutPricing, ShippingChoice, price_checkout
from core.context import Actor
from core.money import Money as CoreMoney
from core.orders.models import Order as OrderModel
from core.payments import registry
from core.payments.models import Payment as PaymentModel
from schema.actors.storefront import StorefrontSlug
from schema.catalog.products import ProductVariant
from schema.customs import LandedCost
from schema.enums import PaymentActionType, PaymentState
from schema.errors import UserError, attempt
from schema.garments.custom_garment import CustomGarment
from schema.locale import Locale
from schema.orders.types import Order, PostalAddress, order_details_asked, render_order
from schema.permissions import PUBLIC, guard
from schema.relay import decode_id
from schema.scalars import Money

# the `token` argument of every checkout mutation, described once
CheckoutToken = Annotated[
    str,
    strawberry.argument(
        description="The checkout's `token`. Unknown, another brand's or another shopper's: NOT_FOUND; "
        "expired: CHECKOUT_EXPIRED."
    ),
]


@strawberry.type(description="A way to ship the parcel, priced for this checkout.")
class CheckoutShippingMethod:
    id: str = strawberry.field(description="Pass to `checkoutDeliveryMethodUpdate`.")
    name: str = strawberry.field(description="The method's name for the shopper (e.g. `JNE Reguler`).")
    carrier: str = strawberry.field(
        description="The carrier delivering it (e.g. `JNE`); empty when the provider names none."
    )
    price: Money = strawberry.field(
        description=(
            "What shipping costs with this method, in the checkout's currency, as the brand enters "
            "prices (gross or net of tax)."
        )
    )
    min_days: int | None = strawberry.field(
        description="The fewest days delivery takes; null when the provider does not say."
    )
    max_days: int | None = strawberry.field(
        description="The most days delivery takes; null when the provider does not say."
    )

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
    id: str = strawberry.field(
        description=("The gateway's id (e.g. `bank_transfer`, `stripe`): pass it as `CheckoutPaymentInput.gateway`.")
    )
    name: str = strawberry.field(description="The payment method's name to show the shopper.")


@strawberry.type(description="What the storefront does next to pay: show instructions, confirm a card, redirect.")
class PaymentAction:
    type: PaymentActionType = strawberry.field(description="What to do with the other fields.")  # type: ignore[valid-type]
    client_secret: str | None = strawberry.field(
        description=(
            "For CLIENT_SECRET: the secret to confirm the payment with the gateway's browser SDK "
            "(e.g. Stripe.js); null otherwise."
        )
    )
    publishable_key: str | None = strawberry.field(
        description=("For CLIENT_SECRET: the gateway's public key the browser SDK is loaded with; null otherwise.")
    )
    redirect_url: str | None = strawberry.field(
        description="For REDIRECT: the absolute URL to send the shopper to, to pay there; null otherwise."
    )
    instructions: JSON | None = strawberry.field(description="Bank, account, transfer reference, amount, expiry.")


@strawberry.type(description="A payment started for a checkout.")
class Payment:
    id: relay.GlobalID = strawberry.field(
        description="The payment's global ID. Not a `Node`: only the checkout's token shows it (`Checkout.payment`, "
        "`checkoutPaymentCreate`); once the order is placed the same payment is one of `Order.payments`, an "
        "`OrderPayment` with an ID of its own."
    )
    gateway: str = strawberry.field(description="The id of the gateway it goes through (`PaymentGateway.id`).")
    status: PaymentState = strawberry.field(description="Where this payment attempt is.")  # type: ignore[valid-type]
    amount: Money = strawberry.field(
        description="What is being paid: the checkout's total when the payment was started."
    )
    psp_reference: str | None = strawberry.field(
        description=(
            "The gateway's own reference for this payment (e.g. a Stripe PaymentIntent id, a transfer"
            " reference); null until the gateway gives one."
        )
    )
    action: PaymentAction | None = strawberry.field(
        description="What the shopper does next to pay; null when nothing is needed."
    )
    expires_at: datetime | None = strawberry.field(
        description=(
            "When the gateway stops accepting this payment (e.g. a bank transfer's deadline; ISO 8601"
            " with offset); null if it does not expire."
        )
    )

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
    name: str = strawberry.field(description="The tax's name as the brand set it (e.g. `PPN`).")
    country: str = strawberry.field(
        description="The country whose tax it is (ISO 3166-1 alpha-2): the shipping destination's."
    )
    rate: Decimal = strawberry.field(
        description="The rate in percent (a Decimal string, `12` for 12%), applied to `base`."
    )
    base: Money = strawberry.field(
        description=(
            "The taxed base: the net amount, or the fraction of it the tax is levied on (PPN's DPP is 11/12 of it)."
        )
    )
    amount: Money = strawberry.field(
        description="The tax at this rate over every line and shipping; contained in the checkout's `total`."
    )


@strawberry.type(
    description=(
        "One line of a checkout: a ready-made variant and its quantity, or one configured made-to-measure garment."
    )
)
class CheckoutLine:
    id: relay.GlobalID = strawberry.field(
        description="The line's global ID: use it in `CheckoutLineInput.lineId` and `checkoutLinesDelete`. Not a "
        "`Node` on purpose: a checkout is seen only with its `token` (most shoppers are anonymous, and the token is "
        "the secret), which `node(id:)` does not carry; refetch lines with `checkout(token:) { lines }`."
    )
    quantity: int = strawberry.field(description="How many units (1 to the configured maximum, 50 by default).")
    product_name: str = strawberry.field(description="The product's name in the brand's default language.")
    variant: ProductVariant = strawberry.field(
        description="The variant ordered (for a made-to-measure line, the product's variant it is made from)."
    )
    unit_price: Money | None = strawberry.field(description="As the brand prices it; null: not sold in this currency.")
    discount: Money | None = strawberry.field(
        description=("This line's share of the voucher's discount (gross); null when the line cannot be priced.")
    )
    tax: Money | None = strawberry.field(
        description="The tax contained in this line's `total`; null when the line cannot be priced."
    )
    total: Money | None = strawberry.field(description="Gross, after this line's share of the discount.")
    custom_garment: CustomGarment | None = strawberry.field(
        description="A made-to-measure line's configuration and price breakdown, as `customGarmentQuote` "
        "prices it; null for ready-made lines."
    )


@strawberry.type(description="A cart on its way to becoming an order. Keep the token: it is the key to it.")
class Checkout:
    token: str = strawberry.field(
        description=(
            "The secret key to this checkout (URL-safe, 43 characters): pass it to every `checkout…` "
            "mutation. Anyone with it can change a guest checkout, so keep it in the shopper's "
            "browser only."
        )
    )
    email: str = strawberry.field(
        description=(
            "Where the order confirmation goes; empty until set (a signed-in shopper's account e-mail by default)."
        )
    )
    currency: str = strawberry.field(
        description="The currency everything is priced and paid in (ISO 4217), fixed at `checkoutCreate`."
    )
    language: str = strawberry.field(description="The language the order is placed in (e.g. `id`, `en`).")
    expires_at: datetime = strawberry.field(
        description=(
            "When an untouched checkout is deleted (ISO 8601 with offset); every change pushes it "
            "back by the configured lifetime (72 hours by default)."
        )
    )
    shipping_address: PostalAddress | None = strawberry.field(description="Where the parcel goes; null until set.")
    billing_address: PostalAddress | None = strawberry.field(
        description="The billing address; null until set (the order then uses the shipping address)."
    )
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

    @strawberry.field(
        description="For an address outside the brand's `shipsFrom` country: the duty and import tax the parcel "
        "owes on arrival — with DAP an estimate the shopper pays the courier, with DDP collected now "
        "(`dutiesTotal`); null at home, before an address, where a line lacks customs data, or where the "
        "platform knows no rules for the destination."
    )
    async def landed_cost(self, info: Info) -> LandedCost | None:
        cost = (await self._pricing(info)).landed
        return LandedCost.of(cost) if cost else None

    @strawberry.field(
        description="Import duty and tax collected now, for a brand that ships DDP (`Storefront.incoterm`) to an "
        "address abroad: `landedCost.total`, already part of `total`. Zero otherwise (DAP: the buyer pays on "
        "arrival)."
    )
    async def duties_total(self, info: Info) -> Money:
        totals = (await self._pricing(info)).totals
        return Money.from_core(totals.duties_total or CoreMoney.zero(self._row.currency))

    @strawberry.field(description="Lines before discounts, as the brand prices them.")
    async def subtotal(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.subtotal)

    @strawberry.field(description="The voucher's discount over all lines (gross); 0 without a voucher.")
    async def discount_total(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.discount_total)

    @strawberry.field(
        description=("What the chosen delivery method costs; 0 until one is chosen, or with a FREE_SHIPPING voucher.")
    )
    async def shipping_total(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.shipping_total)

    @strawberry.field(
        description="The tax contained in `total` (or added to it, when the brand's prices are net of tax)."
    )
    async def tax_total(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.tax_total)

    @strawberry.field(description="What the customer pays.")
    async def total(self, info: Info) -> Money:
        return Money.from_core((await self._pricing(info)).totals.total)

    @strawberry.field(
        description="The taxes charged, one line per tax name, country and rate; empty when no tax applies."
    )
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
    variant_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description=(
            "The ProductVariant's global ID, for a ready-made line (`checkoutCreate`, "
            "`checkoutLinesAdd`, and `checkoutLinesUpdate` of a ready-made line)."
        ),
    )
    line_id: relay.GlobalID | None = strawberry.field(default=None, description="`checkoutLinesUpdate` only.")
    quantity: int = strawberry.field(
        description=(
            "Units: 1 up to the maximum per line (50 by default) when adding (added to a line already"
            " there); 0 up to it when updating, 0 removing the line. Outside: INVALID_QUANTITY; more "
            "than in stock: INSUFFICIENT_STOCK."
        )
    )


@strawberry.input(
    description=(
        "A new checkout. A signed-in shopper who already has an unexpired checkout here in the "
        "same currency gets that one back, with these lines added."
    )
)
class CheckoutCreateInput:
    currency: str | None = strawberry.field(
        default=None, description="One of the storefront's; its default if not given."
    )
    email: str | None = strawberry.field(
        default=None,
        description=(
            "Where the order confirmation goes; a signed-in shopper's account e-mail if not given. A "
            "malformed one: INVALID_EMAIL."
        ),
    )
    language: str | None = strawberry.field(
        default=None, description="The order's language (e.g. `id`, `en`); the brand's default language if not given."
    )
    lines: list[CheckoutLineInput] = strawberry.field(
        default_factory=list, description="Ready-made lines to start with (variant ids only); may be empty."
    )


@strawberry.input(
    description=(
        "A postal address. Errors name `shippingAddress.<field>` or `billingAddress.<field>`: "
        "REQUIRED, TOO_LONG, INVALID_COUNTRY, INVALID_PHONE."
    )
)
class CheckoutAddressInput:
    first_name: str = strawberry.field(description="Required, at most 100 characters.")
    last_name: str = strawberry.field(default="", description="At most 100 characters.")
    company: str = strawberry.field(default="", description="At most 200 characters.")
    street1: str = strawberry.field(description="The street and number; required, at most 250 characters.")
    street2: str = strawberry.field(
        default="", description="More of the address (RT/RW, building, floor); at most 250 characters."
    )
    city: str = strawberry.field(description="The city or regency (kota/kabupaten); required, at most 100 characters.")
    province: str = strawberry.field(default="", description="The province or state; at most 100 characters.")
    postal_code: str = strawberry.field(default="", description="At most 20 characters.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. ID.")
    phone: str = strawberry.field(
        default="",
        description=(
            "A phone number in international form (`+62812…`) or national form for the address's "
            "country; stored as E.164. Malformed: INVALID_PHONE."
        ),
    )


@strawberry.input(
    description=(
        "How the shopper pays: one of the checkout's `availablePaymentGateways`; another is "
        "refused with GATEWAY_NOT_AVAILABLE. The amount is always the checkout's current `total`."
    )
)
class CheckoutPaymentInput:
    gateway: str = strawberry.field(description="An id from `availablePaymentGateways`.")


@strawberry.type(description="The checkout after the change, or the errors and no change.")
class CheckoutPayload:
    checkout: Checkout | None = strawberry.field(
        description="The checkout as it is now; null when the change was refused."
    )
    errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The payment started, and the checkout it pays for.")
class CheckoutPaymentPayload:
    payment: Payment | None = strawberry.field(
        description="The payment started (or resumed: the same gateway and amount again); null when refused."
    )
    checkout: Checkout | None = strawberry.field(
        description="The checkout, also when the payment was refused; null if the token names none."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "Why the payment could not be started (NOT_FOUND, CHECKOUT_EXPIRED, "
            "GATEWAY_NOT_AVAILABLE, or what the checkout still lacks: EMPTY_CHECKOUT, EMAIL_REQUIRED,"
            " SHIPPING_ADDRESS_REQUIRED, DELIVERY_METHOD_REQUIRED, VARIANT_NOT_PRICED, a voucher "
            "error); empty on success."
        )
    )


@strawberry.type(description="The order the checkout became.")
class CheckoutCompletePayload:
    order: Order | None = strawberry.field(
        description="The order placed (or placed earlier with the same idempotency key); null when refused."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "Why no order was placed: what the checkout lacks (as for `checkoutPaymentCreate`), "
            "PAYMENT_REQUIRED, PAYMENT_AMOUNT_MISMATCH (the checkout changed after paying started), "
            "PAYMENT_NOT_COMPLETED, INSUFFICIENT_STOCK, CHECKOUT_COMPLETED, INVALID_IDEMPOTENCY_KEY; "
            "empty on success."
        )
    )


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


@strawberry.type
class CheckoutQuery:
    @strawberry.field(
        **guard("A checkout by its token; without a token, the signed-in customer's current checkout here.", PUBLIC)
    )
    async def checkout(
        self,
        info: Info,
        token: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The checkout's `token`; without it, the signed-in shopper's newest unexpired checkout at"
                    " this storefront (null for a guest). Unknown, another brand's or another shopper's: "
                    "null."
                )
            ),
        ] = None,
        storefront: StorefrontSlug = None,
    ) -> Checkout | None:
        actor, brand = await _who(info, storefront)
        row = await services.find(actor, brand, token) if token else await services.active_for_user(actor, brand)
        return Checkout.of(row) if row else None


@strawberry.type
class CheckoutMutation:
    @strawberry.mutation(
        **guard("Start a checkout (guest or signed in) in one of the storefront's currencies.", PUBLIC)
    )
    async def checkout_create(
        self,
        info: Info,
        input: Annotated[
            CheckoutCreateInput,
            strawberry.argument(
                description=(
                    "The currency, e-mail, language and first lines. Errors: CURRENCY_NOT_ENABLED, "
                    "INVALID_EMAIL, INVALID_LINE, VARIANT_NOT_AVAILABLE, VARIANT_NOT_PRICED, "
                    "MADE_TO_MEASURE_PRODUCT, INVALID_QUANTITY, INSUFFICIENT_STOCK, TOO_MANY_LINES (100 lines"
                    " by default)."
                )
            ),
        ],
        storefront: StorefrontSlug = None,
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
        self,
        info: Info,
        token: CheckoutToken,
        lines: Annotated[
            list[CheckoutLineInput],
            strawberry.argument(
                description=(
                    "Ready-made lines by `variantId` (made-to-measure garments are added with "
                    "`checkoutCustomGarmentAdd`). At least one (REQUIRED); errors name "
                    "`lines.<index>.<field>`: VARIANT_NOT_AVAILABLE, VARIANT_NOT_PRICED, "
                    "MADE_TO_MEASURE_PRODUCT, INVALID_QUANTITY, INSUFFICIENT_STOCK; TOO_MANY_LINES."
                )
            ),
        ],
        storefront: StorefrontSlug = None,
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        return _payload(*await attempt(lambda: services.lines_add(actor, brand, token, _lines(lines), limits)))

    @strawberry.mutation(**guard("Set line quantities; 0 removes the line.", PUBLIC))
    async def checkout_lines_update(
        self,
        info: Info,
        token: CheckoutToken,
        lines: Annotated[
            list[CheckoutLineInput],
            strawberry.argument(
                description=(
                    "New quantities, by `variantId` for ready-made lines or `lineId` (made-to-measure lines "
                    "only by `lineId`). Errors as for `checkoutLinesAdd`, plus NOT_FOUND, INVALID_LINE and "
                    "DUPLICATE_LINE for `lineId`."
                )
            ),
        ],
        storefront: StorefrontSlug = None,
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        return _payload(*await attempt(lambda: services.lines_update(actor, brand, token, _lines(lines), limits)))

    @strawberry.mutation(**guard("Remove lines.", PUBLIC))
    async def checkout_lines_delete(
        self,
        info: Info,
        token: CheckoutToken,
        line_ids: Annotated[
            list[relay.GlobalID],
            strawberry.argument(
                description=(
                    "`CheckoutLine.id`s of this checkout, at least one; one not in it: NOT_FOUND "
                    "(`lineIds.<index>`) and nothing is removed."
                )
            ),
        ],
        storefront: StorefrontSlug = None,
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout

        async def run() -> CheckoutModel:
            ids = [decode_id(i, "CheckoutLine", f"line_ids.{n}") for n, i in enumerate(line_ids)]
            return await services.lines_delete(actor, brand, token, ids, limits)

        return _payload(*await attempt(run))

    @strawberry.mutation(**guard("Set the e-mail the order confirmation goes to.", PUBLIC))
    async def checkout_email_update(
        self,
        info: Info,
        token: CheckoutToken,
        email: Annotated[
            str, strawberry.argument(description="An e-mail address, stored lowercased; malformed: INVALID_EMAIL.")
        ],
        storefront: StorefrontSlug = None,
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        return _payload(*await attempt(lambda: services.email_update(actor, brand, token, email, limits)))

    @strawberry.mutation(**guard("Set where the parcel goes; the storefront must ship to its country.", PUBLIC))
    async def checkout_shipping_address_update(
        self,
        info: Info,
        token: CheckoutToken,
        address: Annotated[
            CheckoutAddressInput,
            strawberry.argument(
                description=(
                    "The whole address (it replaces the one before). A country the storefront does not ship "
                    "to (`Storefront.shipsTo`): COUNTRY_NOT_SHIPPED_TO. A delivery method chosen before is "
                    "dropped if it no longer fits."
                )
            ),
        ],
        storefront: StorefrontSlug = None,
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        values = asdict(address)  # type: ignore[call-overload]
        return _payload(*await attempt(lambda: services.shipping_address_update(actor, brand, token, values, limits)))

    @strawberry.mutation(**guard("Set the billing address (the shipping address when never set).", PUBLIC))
    async def checkout_billing_address_update(
        self,
        info: Info,
        token: CheckoutToken,
        address: Annotated[
            CheckoutAddressInput, strawberry.argument(description="The whole address (it replaces the one before).")
        ],
        storefront: StorefrontSlug = None,
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        values = asdict(address)  # type: ignore[call-overload]
        return _payload(*await attempt(lambda: services.billing_address_update(actor, brand, token, values, limits)))

    @strawberry.mutation(**guard("Choose one of `availableShippingMethods`.", PUBLIC))
    async def checkout_delivery_method_update(
        self,
        info: Info,
        token: CheckoutToken,
        delivery_method_id: Annotated[
            str,
            strawberry.argument(
                description=(
                    "A `CheckoutShippingMethod.id` from `availableShippingMethods`. Without a shipping "
                    "address: SHIPPING_ADDRESS_REQUIRED; not offered for it: DELIVERY_METHOD_NOT_AVAILABLE."
                )
            ),
        ],
        storefront: StorefrontSlug = None,
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
        self,
        info: Info,
        token: CheckoutToken,
        code: Annotated[
            str,
            strawberry.argument(
                description=(
                    "The voucher code as the shopper typed it. Refused now if it does not apply now: "
                    "VOUCHER_NOT_FOUND, VOUCHER_INACTIVE, VOUCHER_NOT_STARTED, VOUCHER_EXPIRED, "
                    "VOUCHER_CURRENCY, VOUCHER_MIN_SUBTOTAL, VOUCHER_USED_UP, VOUCHER_CUSTOMER_LIMIT (field "
                    "`code`)."
                )
            ),
        ],
        storefront: StorefrontSlug = None,
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits, host = info.context.settings.checkout, info.context.host
        return _payload(*await attempt(lambda: services.voucher_apply(actor, brand, token, code, limits, host)))

    @strawberry.mutation(**guard("Remove the voucher.", PUBLIC))
    async def checkout_voucher_remove(
        self,
        info: Info,
        token: CheckoutToken,
        storefront: StorefrontSlug = None,
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout
        return _payload(*await attempt(lambda: services.voucher_remove(actor, brand, token, limits)))

    @strawberry.mutation(
        **guard("Start paying the checkout's total; the payment's `action` says what the shopper does next.", PUBLIC)
    )
    async def checkout_payment_create(
        self,
        info: Info,
        token: CheckoutToken,
        input: Annotated[CheckoutPaymentInput, strawberry.argument(description="The gateway to pay through.")],
        storefront: StorefrontSlug = None,
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
        self,
        info: Info,
        token: CheckoutToken,
        idempotency_key: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "A key the storefront makes once per order attempt (at most 100 characters, else "
                    "INVALID_IDEMPOTENCY_KEY), e.g. a UUID: sending it again after a timeout returns the same"
                    " order instead of CHECKOUT_COMPLETED."
                )
            ),
        ] = None,
        storefront: StorefrontSlug = None,
    ) -> CheckoutCompletePayload:
        actor, brand = await _who(info, storefront)
        host = info.context.host

        async def run() -> OrderModel:
            return (await completion.complete(actor, brand, token, idempotency_key, host)).order

        row, errors = await attempt(run)
        details = order_details_asked(info, "order")
        return CheckoutCompletePayload(order=await render_order(row, details=details), errors=errors)


QUERIES = (CheckoutQuery,)
MUTATIONS = (CheckoutMutation,)
TYPES = ()
