"""Relay connections backed by keyset pagination (`core.pagination`)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError
from strawberry.types import Info

from core.errors import DomainError
from core.pagination import Page
from schema.permissions import PUBLIC, guard

T = TypeVar("T")
N = TypeVar("N")


# The paging arguments, described once here and used by every connection field.
First = Annotated[
    int | None,
    strawberry.argument(
        description="Page forwards: at most this many items after `after` (or from the start). Defaults to the "
        "server's page size (20 unless configured); more than the maximum (100 unless configured) is refused with "
        "PAGE_SIZE_EXCEEDED, a negative number or `first` with `last` with INVALID_PAGINATION."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Start after this cursor (an edge's `cursor` or `pageInfo.endCursor` of the same list, "
        "filters and sort); a cursor from another list or ordering is refused with INVALID_CURSOR."
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description="Page backwards: at most this many items before `before` (or from the end); the same "
        "limits as `first`, and not together with it."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="End before this cursor (`pageInfo.startCursor` of the same list), for paging backwards; "
        "a cursor from another list or ordering is refused with INVALID_CURSOR."
    ),
]


@strawberry.type(description="Where a page stands in its list, and the cursors to ask for the next or previous one.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="True if more items follow this page: ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="True if items come before this page: ask again with `last` and `before: startCursor`."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the first item on this page; null when the page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last item on this page; null when the page is empty."
    )


@strawberry.type(description="One item of a page and the cursor that points at it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="An opaque position in this list and ordering: pass it as `after` or `before` to page from "
        "this item. Do not parse or store it across filter or sort changes."
    )
    node: T = strawberry.field(description="The item itself.")


@strawberry.type(description="A page of a list: `first`/`after` forwards, `last`/`before` backwards.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, in the list's order.")
    page_info: PageInfo = strawberry.field(description="Whether more pages follow or precede, and their cursors.")
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


MAX_ROW_ID = 2**63 - 1  # every table's key is a BIGINT


def row_id(node_id: str) -> int | None:
    """The row id a global ID's node part names, or None: ASCII digits only (`"²".isdigit()` is true and
    `int("²")` fails), and within BIGINT, so no out-of-range number ever reaches the database."""
    if not (0 < len(node_id) <= 19 and node_id.isascii() and node_id.isdigit()):
        return None
    value = int(node_id)
    return value if 0 < value <= MAX_ROW_ID else None


# Global-ID type names a Node type answered to before it was renamed, still read for a deprecation period (see
# CHANGELOG.md): `node(id:)` resolves them as the new type, and `decode_id` accepts them where the new one is asked.
FORMER_TYPE_NAMES: dict[str, str] = {
    "Payment": "OrderPayment",
    "ProductMedia": "ManagedProductMedia",
    "Customer": "BrandCustomer",
}


def decode_id(id: relay.GlobalID, type_name: str, field: str = "id") -> int:
    """The database id inside a global ID, refusing an ID of another type (a user error, not a crash)."""
    named = id.type_name == type_name or FORMER_TYPE_NAMES.get(id.type_name) == type_name
    value = row_id(id.node_id) if named else None
    if value is None:
        raise DomainError("INVALID_ID", f"Expected the ID of a {type_name}.", field)
    return value


def _well_formed(node_type: type[relay.Node] | None, node_id: str) -> bool:
    """A node part as its type writes them: a row id, unless the type says otherwise with a `valid_node_id`
    classmethod (a brand's customer is a brand and an account, `<brand>:<account>`)."""
    check = getattr(node_type, "valid_node_id", None)
    return bool(check(node_id)) if check else row_id(node_id) is not None


def _invalid(field: str) -> DomainError:
    return DomainError("INVALID_ID", "Not the ID of an object of this API.", field)


def _node_type(info: Info, id: relay.GlobalID) -> type[relay.Node] | None:
    try:
        return id.resolve_type(info)
    except GlobalIDValueError:
        former = FORMER_TYPE_NAMES.get(id.type_name)
        if former:  # an ID issued under a type's former name
            return _node_type(info, relay.GlobalID(former, id.node_id))
        return None  # no such type: nothing can have this ID


async def _resolve(info: Info, node_type: type[relay.Node], node_ids: list[str]) -> list[relay.Node | None]:
    found = node_type.resolve_nodes(info=info, node_ids=node_ids, required=False)
    if inspect.isawaitable(found):
        found = await found
    return list(found)


@strawberry.type
class NodeQuery:
    # Plain resolvers rather than `relay.node()`, whose field extension cannot be shared by two schemas.
    @strawberry.field(**guard("Any object by its global ID; null if it does not exist or is not visible.", PUBLIC))
    async def node(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description="A global ID as returned in any object's `id`; a malformed one is refused with INVALID_ID."
            ),
        ],
    ) -> relay.Node | None:
        node_type = _node_type(info, id)
        if not _well_formed(node_type, id.node_id):
            raise _invalid("id")
        return (await _resolve(info, node_type, [id.node_id]))[0] if node_type else None

    @strawberry.field(**guard("Objects by their global IDs, in the order asked; null where not found.", PUBLIC))
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[relay.GlobalID],
            strawberry.argument(
                description="Global IDs, of any types mixed; at most the maximum page size (100 unless configured), "
                "else PAGE_SIZE_EXCEEDED; a malformed one is refused with INVALID_ID."
            ),
        ],
    ) -> list[relay.Node | None]:
        max_size = info.context.settings.graphql.max_page_size
        if len(ids) > max_size:
            raise DomainError("PAGE_SIZE_EXCEEDED", f"At most {max_size} ids can be asked for at once.", "ids")
        # one lookup per type asked for, not one per id
        wanted: dict[str, list[str]] = {}
        for global_id in ids:
            wanted.setdefault(global_id.type_name, []).append(global_id.node_id)
        types = {name: _node_type(info, relay.GlobalID(name, node_ids[0])) for name, node_ids in wanted.items()}
        if any(not _well_formed(types[i.type_name], i.node_id) for i in ids):
            raise _invalid("ids")
        found: dict[tuple[str, str], relay.Node | None] = {}
        for type_name, node_ids in wanted.items():
            node_type = types[type_name]
            unique = list(dict.fromkeys(node_ids))
            nodes = await _resolve(info, node_type, unique) if node_type else [None] * len(unique)
            found.update(((type_name, node_id), node) for node_id, node in zip(unique, nodes, strict=True))
        return [found[(global_id.type_name, global_id.node_id)] for global_id in ids]


QUERIES = (NodeQuery,)
