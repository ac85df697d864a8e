"""Arguments many management fields share, described once so every field says the same thing about them."""

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
First = Annotated[
    int | None,
    strawberry.argument(
        description="The number of items from the start (after `after`); the server's default page size when "
        "neither `first` nor `last` is given, at most its maximum (20 and 100 unless configured)."
    ),
]
After = Annotated[str | None, strawberry.argument(description="A cursor from `pageInfo.endCursor`: items after it.")]
Last = Annotated[int | None, strawberry.argument(description="The number of items from the end (before `before`).")]
Before = Annotated[
    str | None, strawberry.argument(description="A cursor from `pageInfo.startCursor`: items before it.")
]
