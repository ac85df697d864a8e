"""Arguments many management fields share, described once."""

from __future__ import annotations

from typing import Annotated

import strawberry

BrandSlug = Annotated[
    str | None,
    strawberry.argument(
        description="The slug of the brand the field is about; the `Lini-Storefront` header's when not given "
        "(neither: BRAND_REQUIRED). A brand you lack the field's permission in is refused with FORBIDDEN, an "
        "unknown one alike."
    ),
]
