"""Arguments many management fields share, described once so every field says the same thing about them.

The paging arguments (`First`, `After`, `Last`, `Before`) are `schema.relay`'s, beside the connections.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

BrandSlug = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "The slug of the brand concerned; without it, the `Lini-Storefront` header's. "
            "Neither given: error `BRAND_REQUIRED`; a brand the caller does not manage, or no such brand: `FORBIDDEN`."
        )
    ),
]
