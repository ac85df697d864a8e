"""The prices API, for tailors: what each of your profiles asks for making a garment type, in a currency
(`myDispatchPrices`, `dispatchPriceSet`, `dispatchPriceDelete`). Brands' dispatch compares them in the PRICE term;
a tailor only ever sees and changes its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from lini.plugin import TAILOR, MoneyType, Tailor, UserError, attempt, decode_id, guard
from plugins.tailor_dispatch import prices
from plugins.tailor_dispatch.models import DispatchPrice as PriceRow
from plugins.tailor_dispatch.schema import DispatchTailor

ERRORS = "What was wrong, each with its field and code; nothing was changed."


@strawberry.type(description="What a tailor asks for making one garment of a type (added by tailor_dispatch).")
class DispatchPrice:
    tailor: DispatchTailor = strawberry.field(description="The tailor profile asking it.")
    garment_type: str = strawberry.field(description="The garment type code, e.g. GAMIS.")
    price: MoneyType = strawberry.field(description="The amount and its currency.")


def _tailor(tailor: Tailor) -> DispatchTailor:
    return DispatchTailor(
        id=relay.GlobalID("Tailor", str(tailor.id)),
        display_name=tailor.display_name,
        city=tailor.city,
        country=tailor.country,
    )


def _price(row: PriceRow, tailor: Tailor) -> DispatchPrice:
    return DispatchPrice(
        tailor=_tailor(tailor),
        garment_type=row.garment_type_code,
        price=MoneyType.of(Decimal(row.amount), row.currency),
    )


TAILOR_ID = "Which of your tailor profiles (Tailor); your only one when omitted (TAILOR_REQUIRED if several)."


@strawberry.input(description="A making price to set or replace.")
class DispatchPriceSetInput:
    garment_type: str = strawberry.field(
        description="A garment type code your profile makes, e.g. GAMIS (INVALID_GARMENT_TYPE otherwise)."
    )
    currency: str = strawberry.field(description="An ISO 4217 code such as IDR or MYR (INVALID_CURRENCY).")
    amount: Decimal = strawberry.field(
        description="Above 0, below 10¹³, with at most the currency's ISO 4217 decimals (INVALID_AMOUNT)."
    )
    tailor_id: relay.GlobalID | None = strawberry.field(default=None, description=TAILOR_ID)


@strawberry.input(description="A making price to clear.")
class DispatchPriceDeleteInput:
    garment_type: str = strawberry.field(description="The garment type code of the price.")
    currency: str = strawberry.field(description="The currency of the price (NOT_FOUND when you have none in it).")
    tailor_id: relay.GlobalID | None = strawberry.field(default=None, description=TAILOR_ID)


@strawberry.type(description="The result of `dispatchPriceSet` or `dispatchPriceDelete`.")
class DispatchPricePayload:
    prices: list[DispatchPrice] | None = strawberry.field(
        default=None, description="All the profile's prices after the change; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


async def listed(tailors: list[Tailor]) -> list[DispatchPrice]:
    """The prices of these tailors, by tailor, garment type and currency (one query)."""
    by_id = {t.id: t for t in tailors}
    return [_price(row, by_id[row.tailor_id]) for row in await prices.of_tailors(list(by_id))]


def _tailor_id(value: relay.GlobalID | None) -> int | None:
    return None if value is None else decode_id(value, "Tailor", "tailor_id")


@strawberry.type
class PriceQuery:
    @strawberry.field(**guard("Your tailor profiles' making prices, by profile, garment type and currency.", TAILOR))
    async def my_dispatch_prices(self, info: Info) -> list[DispatchPrice]:
        actor = await info.context.actor()
        return await listed(list(await Tailor.filter(id__in=list(actor.tailor_ids) or [-1])))


@strawberry.type
class PriceMutation:
    @strawberry.mutation(
        **guard(
            "Set or replace what one of your tailor profiles asks for making a garment type, in a currency; "
            "brands' dispatch compares it in their default currency (the PRICE term). INVALID_GARMENT_TYPE, "
            "INVALID_CURRENCY, INVALID_AMOUNT, TOO_MANY_PRICES past 200 per profile, NOT_FOUND for another's "
            "profile, TAILOR_REQUIRED when you have several and named none.",
            TAILOR,
        )
    )
    async def dispatch_price_set(
        self,
        info: Info,
        input: Annotated[DispatchPriceSetInput, strawberry.argument(description="The price.")],
    ) -> DispatchPricePayload:
        actor = await info.context.actor()

        async def run() -> Tailor:
            row = await prices.put(actor, _tailor_id(input.tailor_id), input.garment_type, input.currency, input.amount)
            return await Tailor.get(id=row.tailor_id)

        tailor, errors = await attempt(run)
        return DispatchPricePayload(prices=await listed([tailor]) if tailor else None, errors=errors)

    @strawberry.mutation(
        **guard(
            "Clear one of your making prices: dispatch then scores you neutral (0.5) on PRICE for that garment "
            "type. NOT_FOUND when there is no such price or profile of yours.",
            TAILOR,
        )
    )
    async def dispatch_price_delete(
        self,
        info: Info,
        input: Annotated[DispatchPriceDeleteInput, strawberry.argument(description="The price to clear.")],
    ) -> DispatchPricePayload:
        actor = await info.context.actor()

        async def run() -> Tailor:
            return await prices.remove(actor, _tailor_id(input.tailor_id), input.garment_type, input.currency)

        tailor, errors = await attempt(run)
        return DispatchPricePayload(prices=await listed([tailor]) if tailor else None, errors=errors)
