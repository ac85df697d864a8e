"""The arguments the plugin's fields share, with the descriptions a developer reads in the schema."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

First = Annotated[
    int | None,
    strawberry.argument(description="Page forwards: at most this many items after `after` (default 20, max 100)."),
]
After = Annotated[
    str | None, strawberry.argument(description="A cursor from this list's `pageInfo.endCursor` or an edge.")
]
Last = Annotated[
    int | None,
    strawberry.argument(description="Page backwards: at most this many items before `before` (default 20, max 100)."),
]
Before = Annotated[
    str | None, strawberry.argument(description="A cursor from this list's `pageInfo.startCursor` or an edge.")
]
OrderId = Annotated[
    relay.GlobalID,
    strawberry.argument(description="The purchase order's ID (SupplierOrder); NOT_FOUND when you may not see it."),
]
SourceId = Annotated[
    relay.GlobalID,
    strawberry.argument(description="The feed source's ID (CatalogSource), one of your supplier's; else NOT_FOUND."),
]
