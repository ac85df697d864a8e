"""Relay connections backed by keyset pagination (`core.pagination`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.errors import DomainError
from core.pagination import Page
from schema.permissions import PUBLIC, guard

T = TypeVar("T")
N = TypeVar("N")


@strawberry.type(description="Where a page stands in its list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list: `first`/`after` forwards, `last`/`before` backwards.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list has (costs one query; ask only if shown).")
    async def total_count(self) -> int:
        return await self._count()


def connection(page: Page[N], to_node: Callable[[N], T]) -> Connection[T]:
    edges = [Edge(cursor=c, node=to_node(item)) for c, item in zip(page.cursors, page.items, strict=True)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        _count=page.count,
    )


def encode_id(type_name: str, id: int) -> relay.GlobalID:
    """The global ID of a row, as `decode_id` reads it back: for plugins that return their own node types."""
    return relay.GlobalID(type_name, str(id))


def decode_id(id: relay.GlobalID, type_name: str, field: str = "id") -> int:
    """The database id inside a global ID, refusing an ID of another type (a user error, not a crash)."""
    if id.type_name != type_name or not id.node_id.isdigit():
        raise DomainError("INVALID_ID", f"Expected the ID of a {type_name}.", field)
    return int(id.node_id)


@strawberry.type
class NodeQuery:
    # Plain resolvers rather than `relay.node()`, whose field extension cannot be shared by two schemas.
    @strawberry.field(**guard("Any object by its global ID; null if it does not exist or is not visible.", PUBLIC))
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        return await id.resolve_node(info, required=False)

    @strawberry.field(**guard("Objects by their global IDs, in the order asked; null where not found.", PUBLIC))
    async def nodes(self, info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
        max_size = info.context.settings.graphql.max_page_size
        if len(ids) > max_size:
            raise DomainError("PAGE_SIZE_EXCEEDED", f"At most {max_size} ids can be asked for at once.", "ids")
        return [await global_id.resolve_node(info, required=False) for global_id in ids]


QUERIES = (NodeQuery,)
