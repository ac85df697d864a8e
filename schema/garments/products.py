"""Made-to-measure over GraphQL: staff setting a product's configuration (`productMadeToMeasureSet`),
`customGarmentQuote`, and `checkoutCustomGarmentAdd`. The types they answer with are in
`schema.garments.custom_garment`.
"""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.catalog.models import Product as ProductModel
from core.checkout import services as checkout_services
from core.garments import products, quote
from core.garments.models import OptionKind
from schema.catalog.management import MANAGE_PRODUCTS, ProductPayload
from schema.catalog.management_types import render_product
from schema.checkout import CheckoutPayload, _payload, _who
from schema.errors import UserError, attempt
from schema.garments.custom_garment import CustomGarment, OptionKindEnum
from schema.locale import locale_for
from schema.permissions import PUBLIC, guard
from schema.relay import decode_id

# --- inputs ------------------------------------------------------------------------------------------------


@strawberry.input(description="A choice in one option group: `values` (codes) or, for a TEXT group, `text`.")
class CustomGarmentOptionInput:
    group: str
    values: list[str] = strawberry.field(default_factory=list)
    text: str = ""


@strawberry.input(description="A body measurement, in `unit`.")
class CustomGarmentMeasurementInput:
    code: str
    value: Decimal


@strawberry.input(
    description="A garment configured for a made-to-measure product: the fabric, the options, and either a "
    "saved measurement profile or the measurements themselves."
)
class CustomGarmentInput:
    product_id: relay.GlobalID
    fabric_id: relay.GlobalID
    options: list[CustomGarmentOptionInput] = strawberry.field(default_factory=list)
    measurement_profile_id: relay.GlobalID | None = None
    measurements: list[CustomGarmentMeasurementInput] | None = None
    unit: str = strawberry.field(default="CM", description="CM or INCH, for `measurements`.")
    quantity: int = 1


def request_of(input: CustomGarmentInput) -> quote.GarmentRequest:
    return quote.GarmentRequest(
        product_id=decode_id(input.product_id, "Product", "product_id"),
        fabric_id=decode_id(input.fabric_id, "Fabric", "fabric_id"),
        options=[quote.OptionChoice(group=o.group, values=list(o.values), text=o.text) for o in input.options],
        measurement_profile_id=decode_id(input.measurement_profile_id, "MeasurementProfile", "measurement_profile_id")
        if input.measurement_profile_id is not None
        else None,
        measurements=[(m.code, m.value) for m in input.measurements] if input.measurements is not None else None,
        unit=input.unit,
        quantity=input.quantity,
    )


@strawberry.type
class CustomGarmentQuotePayload:
    quote: CustomGarment | None
    errors: list[UserError]


@strawberry.input(description="A price in one of the brand's currencies.")
class MadeToMeasurePriceInput:
    currency: str
    amount: Decimal


@strawberry.input(description="One size band; leave `maxCm` out for the last, open-ended band.")
class MadeToMeasureSizeBandInput:
    code: str
    max_cm: Decimal | None = None


@strawberry.input(description="A text in one language.")
class MadeToMeasureNameInput:
    language: str
    text: str


@strawberry.input
class MadeToMeasureOptionValueInput:
    code: str
    names: list[MadeToMeasureNameInput] = strawberry.field(default_factory=list)
    surcharges: list[MadeToMeasurePriceInput] = strawberry.field(
        default_factory=list, description="None: free. Otherwise one per currency it is sold in."
    )


@strawberry.input
class MadeToMeasureOptionGroupInput:
    code: str
    kind: OptionKindEnum = OptionKind.SINGLE  # type: ignore[valid-type]
    names: list[MadeToMeasureNameInput] = strawberry.field(default_factory=list)
    required: bool = False
    max_length: int = strawberry.field(default=0, description="TEXT groups: 1–200 characters.")
    surcharges: list[MadeToMeasurePriceInput] = strawberry.field(
        default_factory=list, description="TEXT groups: charged when a text is given."
    )
    values: list[MadeToMeasureOptionValueInput] = strawberry.field(default_factory=list)


@strawberry.input
class MadeToMeasureConsumptionInput:
    band: str
    metres: Decimal


@strawberry.input(description="A fabric the product may be cut from, with its metres for every size band.")
class MadeToMeasureFabricInput:
    fabric_id: relay.GlobalID
    consumption: list[MadeToMeasureConsumptionInput]


@strawberry.input(description="A product's whole made-to-measure configuration; it replaces the one before.")
class ProductMadeToMeasureInput:
    garment_type: str = strawberry.field(description="A garment type code (built-in or the brand's own).")
    base_prices: list[MadeToMeasurePriceInput]
    size_bands: list[MadeToMeasureSizeBandInput]
    size_band_field: str = ""
    production_days: int = 14
    option_groups: list[MadeToMeasureOptionGroupInput] = strawberry.field(default_factory=list)
    fabrics: list[MadeToMeasureFabricInput] = strawberry.field(default_factory=list)


def _prices(items: list[MadeToMeasurePriceInput]) -> list[products.PriceInput]:
    return [products.PriceInput(currency=p.currency, amount=p.amount) for p in items]


def _names(items: list[MadeToMeasureNameInput]) -> dict[str, str]:
    return {n.language: n.text for n in items}


def config_input(input: ProductMadeToMeasureInput) -> products.ConfigInput:
    return products.ConfigInput(
        garment_type=input.garment_type,
        base_prices=_prices(input.base_prices),
        size_bands=[products.SizeBandInput(code=b.code, max_cm=b.max_cm) for b in input.size_bands],
        size_band_field=input.size_band_field,
        production_days=input.production_days,
        option_groups=[
            products.OptionGroupInput(
                code=g.code,
                kind=g.kind.value if hasattr(g.kind, "value") else str(g.kind),
                names=_names(g.names),
                required=g.required,
                max_length=g.max_length,
                surcharges=_prices(g.surcharges),
                values=[
                    products.OptionValueInput(code=v.code, names=_names(v.names), surcharges=_prices(v.surcharges))
                    for v in g.values
                ],
            )
            for g in input.option_groups
        ],
        fabrics=[
            products.FabricInput(
                fabric_id=decode_id(f.fabric_id, "Fabric", f"fabrics.{i}.fabric_id"),
                consumption={c.band: c.metres for c in f.consumption},
            )
            for i, f in enumerate(input.fabrics)
        ],
    )


# --- fields ------------------------------------------------------------------------------------------------


@strawberry.type
class MadeToMeasureQuery:
    @strawberry.field(
        **guard(
            "Price a configured made-to-measure garment in the storefront's currency (or `currency`), with the "
            "date it can be ready by. Checkout lines of the same configuration cost exactly this.",
            PUBLIC,
        )
    )
    async def custom_garment_quote(
        self,
        info: Info,
        input: CustomGarmentInput,
        currency: str | None = None,
        storefront: str | None = None,
    ) -> CustomGarmentQuotePayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout

        async def run() -> quote.Quote:
            chosen = locale_for(info, brand, currency=currency).currency
            return await quote.quote(
                actor, brand, chosen, request_of(input), info.context.host, max_quantity=limits.max_line_quantity
            )

        found, errors = await attempt(run)
        garment = CustomGarment.of(found.snapshot, input.quantity, found.price) if found else None
        return CustomGarmentQuotePayload(quote=garment, errors=errors)


@strawberry.type
class MadeToMeasureMutation:
    @strawberry.mutation(
        **guard(
            "Set a made-to-measure product's garment type, making price, size bands, lead time, options and "
            "fabrics (all of it, replacing what was there). The product must be flagged made-to-measure.",
            MANAGE_PRODUCTS,
        )
    )
    async def product_made_to_measure_set(
        self, info: Info, product_id: relay.GlobalID, input: ProductMadeToMeasureInput
    ) -> ProductPayload:
        actor = await info.context.actor()

        async def run() -> ProductModel:
            config = await products.configure(
                actor, decode_id(product_id, "Product", "product_id"), config_input(input)
            )
            return await ProductModel.get(id=config.product_id)

        product, errors = await attempt(run)
        return ProductPayload(product=await render_product(product), errors=errors)

    @strawberry.mutation(
        **guard(
            "Add a configured made-to-measure garment to the checkout, priced as `customGarmentQuote` prices it. "
            "The same configuration again raises its line's quantity.",
            PUBLIC,
        )
    )
    async def checkout_custom_garment_add(
        self, info: Info, token: str, input: CustomGarmentInput, storefront: str | None = None
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits, host = info.context.settings.checkout, info.context.host
        return _payload(
            *await attempt(
                lambda: checkout_services.custom_garment_add(actor, brand, token, request_of(input), limits, host)
            )
        )


QUERIES = (MadeToMeasureQuery,)
MUTATIONS = (MadeToMeasureMutation,)
TYPES = ()
