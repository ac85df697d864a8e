"""Arguments many management fields share, described once so every field says the same thing about them.

The paging arguments (`First`, `After`, `Last`, `Before`) are `schema.relay`'s, beside the connections.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

BrandSlug = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "The slug of the brand concerned; without it, the `Lini-Storefront` header's. "
            "Neither given: error `BRAND_REQUIRED`; a brand the caller does not manage, or no such brand: `FORBIDDEN`."
        )
    ),
]


# The global ID arguments of management fields, each described once (the text says who is refused).
AttributeId = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description=(
            "The Attribute's global ID; one of a brand you may not manage (or none) is refused with FORBIDDEN."
        )
    ),
]
CategoryId = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description=("The Category's global ID; one of a brand you may not manage (or none) is refused with FORBIDDEN.")
    ),
]
CollectionId = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description=(
            "The Collection's global ID; one of a brand you may not manage (or none) is refused with FORBIDDEN."
        )
    ),
]
GarmentTypeId = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description=(
            "The GarmentType's global ID: a brand's own type needs MANAGE_PRODUCTS in that brand, a built-in a "
            "platform administrator (FORBIDDEN otherwise)."
        )
    ),
]
MeasurementProfileId = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description=(
            "The MeasurementProfile's global ID; one that is not the caller's (or none) is refused with NOT_FOUND."
        )
    ),
]
OrderId = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description=(
            "The Order's global ID; an order of a brand you may not manage (or none) is refused with FORBIDDEN."
        )
    ),
]
ProductId = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description=(
            "The Product's global ID; a product of a brand you may not manage (or none) is refused with FORBIDDEN."
        )
    ),
]
VariantId = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description=(
            "The ProductVariant's global ID; a variant of a brand you may not manage (or none) is refused with "
            "FORBIDDEN."
        )
    ),
]
VoucherId = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description=("The Voucher's global ID; one of a brand you may not manage (or none) is refused with FORBIDDEN.")
    ),
]
